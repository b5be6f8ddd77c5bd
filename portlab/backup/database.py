"""Dump and restore the database with the vendor's own tools, so the restored rows are the
same bytes the audit chains hashed: SQLite's online backup API (a consistent copy while the
server runs), PostgreSQL's pg_dump / pg_restore (custom format, one snapshot)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

from portlab.core.errors import ApplicationError


class DatabaseBackupError(ApplicationError):
    pass


def vendor() -> str:
    return connection.vendor


def _pg_environment() -> dict[str, str]:
    """libpq's variables, so the password never appears on a command line."""
    settings = connection.settings_dict
    values = {"PGHOST": settings.get("HOST") or "", "PGPORT": str(settings.get("PORT") or ""),
              "PGUSER": settings.get("USER") or "", "PGPASSWORD": settings.get("PASSWORD") or "",
              "PGDATABASE": settings["NAME"]}
    return {**os.environ, **{key: value for key, value in values.items() if value}}


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise DatabaseBackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    completed = subprocess.run(command, env=_pg_environment(), capture_output=True, text=True)
    if completed.returncode != 0:
        raise DatabaseBackupError(f"{command[0]} failed: {completed.stderr.strip()}")


def database_dump(target: Path) -> None:
    """Write a consistent copy of the database to `target`."""
    if vendor() == "sqlite":
        # A connection of its own: it copies what is committed (a snapshot, thanks to WAL)
        # while the server's connections go on writing.
        _sqlite_copy(connection.settings_dict["NAME"], str(target))
    elif vendor() == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(target)])
    else:
        raise DatabaseBackupError(f"no backup for database vendor {vendor()!r}")


def _sqlite_copy(origin: str, destination: str) -> None:
    """SQLite's online backup API, page by page, from one database file into another."""
    source, target = sqlite3.connect(origin), sqlite3.connect(destination)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def database_is_empty() -> bool:
    return not connection.introspection.table_names()


def database_restore(source: Path) -> None:
    """Load a dump into the configured database, which must be empty (a fresh database)."""
    if not database_is_empty():
        raise DatabaseBackupError(
            "the database to restore into is not empty; create a fresh one and point "
            "DATABASE_URL at it (restore never overwrites data)")
    if vendor() == "sqlite":
        connection.close()
        _sqlite_copy(str(source), connection.settings_dict["NAME"])
    elif vendor() == "postgresql":
        connection.close()  # pg_restore works on its own connection
        _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
              "--dbname", connection.settings_dict["NAME"], str(source)])
    else:
        raise DatabaseBackupError(f"no restore for database vendor {vendor()!r}")
