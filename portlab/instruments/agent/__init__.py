"""The instrument agent: runs on the instrument PC, talks to PortLab over HTTP(S).

Pure Python (urllib); no Django import here. `portlab agent` is its thin command-line entry.
"""
