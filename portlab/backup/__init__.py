"""Backup and restore of a PortLab deployment: `portlab backup` and `portlab restore`.

One archive (tar.gz) holds the database (the vendor's own consistent dump: SQLite's online
backup API, PostgreSQL's `pg_dump --format=custom`), the raw-file store, uploaded media, the
risk models, and the public parts of the key store (certificates, trust list, compromise list).
Private keys are never written to an archive: back them up separately, offline (the root key
belongs offline anyway); a restored host can verify every report and checkpoint without them,
and signs again once its lab and log keys are put back or re-issued (`portlab keys-rotate`).
"""
