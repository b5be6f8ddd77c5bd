"""The content-addressed file store: a directory by default, an S3-compatible bucket when
configured (django-storages), chosen in settings.STORAGES["rawfiles"]."""

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, NotFound
from portlab.files.models import RawFile


def _storage():
    return storages["rawfiles"]


def rawfile_store(*, content: bytes, name: str, actor=None, content_type: str = "") -> RawFile:
    """Store `content` once under its SHA-256; the same content again returns the same row."""
    digest = hashlib.sha256(content).hexdigest()
    existing = RawFile.objects.filter(sha256=digest).first()
    if existing is not None:
        return existing
    raw = RawFile(sha256=digest, size=len(content), name=name[:255],
                  content_type=content_type[:100],
                  stored_by=actor if getattr(actor, "pk", None) else None)
    storage = _storage()
    if not storage.exists(raw.path):  # a file left by an earlier, rolled-back attempt is kept
        saved = storage.save(raw.path, ContentFile(content))
        if saved != raw.path:
            raise RuntimeError(f"file store renamed {raw.path} to {saved}")
    try:
        with transaction.atomic():
            raw.save(force_insert=True)
            audit_record(actor=actor, action="rawfile_store", entity=raw,
                         after={"name": raw.name, "size": raw.size, "sha256": digest})
    except IntegrityError:  # stored by a concurrent request meanwhile: same content
        return RawFile.objects.get(sha256=digest)
    return raw


def rawfile_read(*, sha256: str) -> bytes:
    """The stored bytes, checked against their name: an altered file is refused."""
    raw = RawFile.objects.filter(sha256=sha256).first()
    if raw is None:
        raise NotFound(_("No stored file %s.") % sha256[:12])
    with _storage().open(raw.path, "rb") as handle:
        content = handle.read()
    if hashlib.sha256(content).hexdigest() != sha256:
        raise ApplicationError(_("The stored file %s was altered: its content no longer "
                                 "matches its SHA-256.") % raw.name, field="file")
    return content


DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_SIGNATURES = {b"%PDF-": "application/pdf", b"\x89PNG\r\n\x1a\n": "image/png",
                       b"\xff\xd8\xff": "image/jpeg"}


def document_check(*, content: bytes, name: str, field: str) -> str:
    """The content type of an uploaded certificate or evidence file, known by its first bytes
    (PDF, PNG or JPEG), not by its name; anything else or over 10 MB is refused by name."""
    if not content:
        raise ApplicationError(_("“%s” is empty.") % name, field=field)
    if len(content) > DOCUMENT_MAX_BYTES:
        raise ApplicationError(
            _("“%(name)s” is %(size).1f MB: files up to %(limit)d MB are accepted.")
            % {"name": name, "size": len(content) / 1048576,
               "limit": DOCUMENT_MAX_BYTES // 1048576}, field=field)
    for signature, content_type in DOCUMENT_SIGNATURES.items():
        if content.startswith(signature):
            return content_type
    raise ApplicationError(_("“%s” is not a PDF or an image (PNG, JPEG).") % name, field=field)
