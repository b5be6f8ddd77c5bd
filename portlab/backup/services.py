"""`backup_create` writes one archive of a deployment; `backup_restore` brings it back into a
fresh database and empty directories. See the package docstring for what is (not) included."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder

from portlab.backup.archive import ArchiveError, archive_read, archive_write
from portlab.backup.database import DatabaseBackupError, database_dump, database_restore, vendor

DATABASE_MEMBER = "database/dump"
PRIVATE_KEY_SUFFIX = ".key.pem"


@dataclass(frozen=True)
class Summary:
    archive: Path
    database: str
    files: dict[str, int]  # directory → number of files
    notes: list[str]


def _directories() -> dict[str, Path]:
    """The directories a backup holds, by the name they have in the archive."""
    chosen = {"media": Path(settings.MEDIA_ROOT), "models": Path(settings.PORTLAB_MODELS_DIR),
              "keys": Path(settings.PORTLAB_KEYS_DIR)}
    if _file_store_is_local():
        chosen["files"] = Path(settings.FILE_STORE_DIR)
    return chosen


def _rawfile_storage() -> dict[str, Any]:
    chosen: dict[str, Any] = settings.STORAGES["rawfiles"]  # type: ignore[assignment]
    return chosen


def _file_store_is_local() -> bool:
    return str(_rawfile_storage()["BACKEND"]).endswith("FileSystemStorage")


def _walk(name: str, root: Path) -> Iterator[tuple[str, Path]]:
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name.endswith(".partial"):
            continue
        if name == "keys" and path.name.endswith(PRIVATE_KEY_SUFFIX):
            continue  # private keys never go into an archive
        yield f"{name}/{path.relative_to(root).as_posix()}", path


def backup_create(target: Path) -> Summary:
    notes = ["private keys (*.key.pem) are not in the archive: back them up separately, offline"]
    if not _file_store_is_local():
        notes.append(f"raw files live in the bucket {_rawfile_storage().get('OPTIONS')}"
                     " and are not in the archive: use the bucket's own versioning/replication")
    with tempfile.TemporaryDirectory(prefix="portlab-backup-") as work:
        dump = Path(work) / "dump"
        database_dump(dump)
        members = [(DATABASE_MEMBER, dump)]
        counts: dict[str, int] = {}
        for name, root in _directories().items():
            found = list(_walk(name, root))
            counts[name] = len(found)
            members.extend(found)
        latest = MigrationRecorder.Migration.objects.order_by("-applied").first()
        archive_write(target, members, {
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": vendor(), "latest_migration": latest and f"{latest.app}.{latest.name}",
            "notes": notes})
    return Summary(archive=target, database=vendor(), files=counts, notes=notes)


def _restore_directory(unpacked: Path, name: str, root: Path) -> int:
    """Copy the archive's files of `name` under `root`; an existing file with other content is
    never overwritten (a restore goes into empty directories, keys may already be there)."""
    source = unpacked / name
    if not source.is_dir():
        return 0
    copied = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        destination = root / path.relative_to(source)
        if destination.exists():
            if destination.read_bytes() != path.read_bytes():
                raise DatabaseBackupError(
                    f"{destination} exists with other content; restore into empty directories")
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        copied += 1
    return copied


def backup_restore(source: Path) -> Summary:
    """Check the whole archive first, then restore the database, then the directories."""
    with tempfile.TemporaryDirectory(prefix="portlab-restore-") as work:
        unpacked = Path(work)
        try:
            manifest = archive_read(source, unpacked)
        except ArchiveError as error:
            raise DatabaseBackupError(str(error)) from error
        if manifest["database"] != vendor():
            raise DatabaseBackupError(
                f"the archive holds a {manifest['database']} database and DATABASE_URL names "
                f"{vendor()}: restore into the same kind of database")
        database_restore(unpacked / DATABASE_MEMBER)
        counts = {name: _restore_directory(unpacked, name, root)
                  for name, root in _directories().items()}
    notes = list(manifest.get("notes", []))
    return Summary(archive=source, database=manifest["database"], files=counts, notes=notes)
