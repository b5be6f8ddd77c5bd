"""Routing rules pinned for mutation testing (kept apart from test_routing.py)."""
