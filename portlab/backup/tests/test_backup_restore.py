"""`portlab backup` then `portlab restore` into a fresh database and empty directories, on the
database the suite runs on (SQLite, or PostgreSQL when DATABASE_URL names it), checked the way
an auditor would: `portlab audit-verify` on the restored host, and the report verified offline
against the restored trust list."""

import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from portlab.audit.models import AuditEvent
from portlab.backup.database import DatabaseBackupError
from portlab.backup.services import backup_create, backup_restore

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def directories(settings, tmp_path):
    """The deployment's directories, each with a file, as a running host would have them."""
    settings.FILE_STORE_DIR = tmp_path / "files"
    settings.STORAGES = {**settings.STORAGES, "rawfiles": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(settings.FILE_STORE_DIR)}}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTLAB_MODELS_DIR = tmp_path / "models"
    for directory, name, content in (("files", "ab/abcd", b"raw export"),
                                     ("media", "calibration_certificates/c.pdf", b"%PDF-1.7"),
                                     ("models", "risk.json", b"{}")):
        path = tmp_path / directory / name
        path.parent.mkdir(parents=True)
        path.write_bytes(content)
    return tmp_path


@pytest.fixture
def fresh_database(tmp_path):
    """An empty database of the suite's vendor, and its DATABASE_URL."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"portlab_restore_{uuid.uuid4().hex[:8]}"
    params = connection.settings_dict
    admin = (f"postgres://{params['USER']}:{params['PASSWORD']}@{params['HOST'] or '127.0.0.1'}:"
             f"{params['PORT'] or 5432}/postgres")
    with psycopg.connect(admin, autocommit=True) as admin_connection:
        admin_connection.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + f"/{name}"
    with psycopg.connect(admin, autocommit=True) as admin_connection:
        admin_connection.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def portlab(*arguments: str, environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "portlab.cli", *arguments], cwd=ROOT,
                          env={**os.environ, "PORTLAB_DEMO": "1", **environment},
                          capture_output=True, text=True, timeout=300)


@pytest.mark.django_db(transaction=True)
def test_a_restored_host_verifies_its_audit_trail_and_reports(
        issued_report, directories, fresh_database, tmp_path):
    call_command("audit_checkpoint")  # so the restored host checks a signed checkpoint too
    events = AuditEvent.objects.count()
    archive = tmp_path / "backup.tar.gz"

    summary = backup_create(archive)

    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert names[0] == "manifest.json"
    assert not [name for name in names if name.endswith(".key.pem")]  # private keys stay home
    assert {"database/dump", "files/ab/abcd", "media/calibration_certificates/c.pdf",
            "models/risk.json", "keys/root.cert.pem", "keys/trust-list.json"} <= set(names)
    assert summary.files["files"] == 1

    restored = tmp_path / "restored"
    environment = {"DATABASE_URL": fresh_database,
                   "PORTLAB_KEYS_DIR": str(restored / "keys"),
                   "PORTLAB_FILE_STORE": str(restored / "files"),
                   "PORTLAB_MEDIA_ROOT": str(restored / "media"),
                   "PORTLAB_MODELS_DIR": str(restored / "models")}
    restore = portlab("restore", str(archive), environment=environment)
    assert restore.returncode == 0, restore.stderr
    assert (restored / "files" / "ab" / "abcd").read_bytes() == b"raw export"
    assert (restored / "models" / "risk.json").read_bytes() == b"{}"

    verified = portlab("audit-verify", environment=environment)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f"Audit trail intact: {events} events in ")
    assert "1 checkpoints verified" in verified.stdout

    pdf = tmp_path / issued_report.filename
    pdf.write_bytes(bytes(issued_report.pdf))
    offline = portlab("verify-report", str(pdf), "--trust-list",
                      str(restored / "keys" / "trust-list.json"), environment=environment)
    assert offline.returncode == 0, offline.stdout + offline.stderr
    assert json.loads(offline.stdout)["report_number"] == issued_report.number

    again = portlab("restore", str(archive), environment=environment)
    assert again.returncode == 1
    assert "not empty" in again.stderr


@pytest.mark.django_db(transaction=True)
def test_a_tampered_archive_is_refused_before_anything_is_restored(
        issued_report, directories, fresh_database, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    unpacked = tmp_path / "unpacked"
    with tarfile.open(archive) as opened:
        opened.extractall(unpacked, filter="data")
    (unpacked / "files" / "ab" / "abcd").write_bytes(b"edited export")
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as rebuilt:
        for name in names_in(archive):
            rebuilt.add(unpacked / name, arcname=name, recursive=False)

    result = portlab("restore", str(tampered), environment={"DATABASE_URL": fresh_database})

    assert result.returncode == 1
    assert "files/ab/abcd does not match its SHA-256" in result.stderr
    check = portlab("migrate", "--check", environment={"DATABASE_URL": fresh_database})
    assert check.returncode == 1  # still empty: nothing was restored


def names_in(archive: Path) -> list[str]:
    with tarfile.open(archive) as opened:
        return opened.getnames()


@pytest.mark.django_db
def test_restore_refuses_a_database_that_holds_data(issued_report, directories, tmp_path):
    archive = tmp_path / "backup.tar.gz"
    backup_create(archive)
    reports_before = type(issued_report).objects.count()

    with pytest.raises(DatabaseBackupError, match="not empty"):
        backup_restore(archive)

    assert type(issued_report).objects.count() == reports_before


def test_an_archive_that_is_not_a_backup_is_refused(tmp_path, db):
    not_backup = tmp_path / "photos.tar.gz"
    with tarfile.open(not_backup, "w:gz") as archive:
        (tmp_path / "a.jpg").write_bytes(b"jpeg")
        archive.add(tmp_path / "a.jpg", arcname="a.jpg")

    with pytest.raises(DatabaseBackupError, match="not a PortLab backup"):
        backup_restore(not_backup)


def test_backup_will_not_overwrite_an_existing_file(tmp_path, db):
    existing = tmp_path / "backup.tar.gz"
    existing.write_bytes(b"yesterday's backup")

    with pytest.raises(Exception, match="exists"):
        call_command("backup", str(existing))

    assert existing.read_bytes() == b"yesterday's backup"
    assert settings.PORTLAB_KEYS_DIR  # settings untouched
