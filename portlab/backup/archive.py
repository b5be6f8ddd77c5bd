"""The backup archive: a tar.gz whose first member is manifest.json, listing every other member
with its SHA-256. Pure: no Django. Reading checks every hash before anything is restored."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

FORMAT = "portlab-backup/1"
MANIFEST = "manifest.json"


class ArchiveError(Exception):
    """The archive cannot be read or does not match its manifest."""


def _digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def archive_write(target: Path, members: Iterable[tuple[str, Path]], facts: dict) -> dict:
    """Write `members` (archive name, file on disk) under a manifest holding `facts`; return
    the manifest. The archive is written beside `target` and renamed into place when whole."""
    members = list(members)
    manifest = {**facts, "format": FORMAT,
                "files": {name: {"sha256": _digest(path), "size": path.stat().st_size}
                          for name, path in members}}
    partial = target.with_name(target.name + ".partial")
    with tarfile.open(partial, "w:gz") as archive:
        encoded = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size = len(encoded)
        archive.addfile(info, io.BytesIO(encoded))
        for name, path in members:
            archive.add(path, arcname=name, recursive=False)
    partial.replace(target)
    return manifest


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def archive_read(source: Path, into: Path) -> dict:
    """Unpack `source` into the directory `into` and return its manifest, after checking that
    every member is listed, safe to unpack, and has the size and SHA-256 the manifest says."""
    try:
        with tarfile.open(source, "r:gz") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST:
                raise ArchiveError(f"{source.name}: not a PortLab backup (no manifest first)")
            manifest = json.loads(archive.extractfile(first).read())  # type: ignore[union-attr]
            if manifest.get("format") != FORMAT:
                raise ArchiveError(f"{source.name}: unknown format {manifest.get('format')!r}")
            listed = manifest["files"]
            for member in archive:
                if member is first:
                    continue
                if not member.isfile() or member.name not in listed or not _safe_name(member.name):
                    raise ArchiveError(f"{source.name}: unexpected member {member.name!r}")
                archive.extract(member, into, filter="data")
    except (OSError, tarfile.TarError, EOFError, ValueError, KeyError) as error:
        raise ArchiveError(f"{source.name}: cannot be read ({error})") from error
    for name, expected in listed.items():
        path = into / name
        if not path.is_file():
            raise ArchiveError(f"{source.name}: {name} is missing")
        if _digest(path) != expected["sha256"]:
            raise ArchiveError(f"{source.name}: {name} does not match its SHA-256")
    return manifest
