"""The content-addressed file store on a real directory."""

import hashlib

import pytest

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError, NotFound
from portlab.files.models import RawFile
from portlab.files.services import rawfile_read, rawfile_store

CSV = b"lab_code,test_item_code\nTJ-TC,PB\n"


@pytest.fixture(autouse=True)
def store(file_store):
    return file_store


def test_a_file_is_stored_under_its_sha256_once(db, file_store) -> None:
    digest = hashlib.sha256(CSV).hexdigest()
    first = rawfile_store(content=CSV, name="catalog.csv")
    again = rawfile_store(content=CSV, name="renamed.csv")
    assert (first.sha256, again.pk, again.name, RawFile.objects.count()) == (
        digest, first.pk, "catalog.csv", 1)
    assert (file_store / digest[:2] / digest[2:4] / digest).read_bytes() == CSV
    assert rawfile_read(sha256=digest) == CSV
    assert AuditEvent.objects.filter(action="rawfile_store").count() == 1


def test_an_altered_file_is_refused_on_read(db, file_store) -> None:
    raw = rawfile_store(content=CSV, name="catalog.csv")
    (file_store / raw.path).write_bytes(CSV + b"TJ-TC,CD\n")
    with pytest.raises(ApplicationError, match="was altered"):
        rawfile_read(sha256=raw.sha256)


def test_an_unknown_file_is_not_found(db) -> None:
    with pytest.raises(NotFound):
        rawfile_read(sha256="0" * 64)
