"""The network's signing keys on this host: PEM files in PORTLAB_KEYS_DIR and the trust list.

Keys never enter the database. `portlab keys-init` creates the root, one key per lab and the
audit log key, `portlab keys-rotate LAB` issues a new lab key, `portlab log-key` a new log key,
`portlab keys-compromise LAB --since DATE` declares a lab key compromised (recorded in
<keys dir>/compromised-keys.json) and issues its successor; each rewrites the signed trust
list (<keys dir>/trust-list.json) that /trust-list.json publishes byte for byte. Only these
commands need the root's private key: afterwards it can live offline, and reports and
checkpoints are still signed (by the lab and log keys).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

from cryptography import x509
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.network.models import Lab
from portlab.reports import keys
from portlab.reports.keys import CertifiedKey, SigningKeyError
from portlab.reports.trust_list import (
    TrustList,
    TrustListError,
    root_fingerprint,
    trust_list_build,
    trust_list_dumps,
    trust_list_load,
)

TRUST_LIST_FILE = "trust-list.json"
COMPROMISE_FILE = "compromised-keys.json"
DEFAULT_NETWORK_NAME = "PortLab Network"

_cache_lock = threading.Lock()
_trust_list_cache: dict[tuple[str, int], TrustList] = {}


def keys_directory() -> Path:
    return Path(settings.PORTLAB_KEYS_DIR)


def _root_or_create(directory: Path, network_name: str) -> tuple[CertifiedKey, bool]:
    if (directory / "root.key.pem").exists():
        return keys.root_load(directory), False
    root = keys.root_create(network_name=network_name)
    keys.root_save(directory, root)
    return root, True


def _has_valid_key(directory: Path, lab: Lab) -> bool:
    try:
        keys.lab_key_current(directory, lab.code)
    except SigningKeyError:
        return False
    return True


def _lab_key_issue(directory: Path, root: CertifiedKey, lab: Lab, actor: User) -> CertifiedKey:
    key = keys.lab_certificate_issue(root=root, lab_code=lab.code, lab_name=lab.name_zh)
    keys.lab_key_save(directory, key)
    audit_record(actor=actor, action="lab_key_issue", entity=lab,
                 after={"kid": key.kid.hex(), "not_after": key.not_after.isoformat()})
    return key


def network_keys_init(*, actor: User | None = None,
                      network_name: str = DEFAULT_NETWORK_NAME) -> list[str]:
    """Create the root (once) and a key for every lab without a valid one. Idempotent.

    Returns the codes of the labs that received a key.
    """
    directory = keys_directory()
    root, _created = _root_or_create(directory, network_name)
    issued = []
    for lab in Lab.objects.order_by("code"):
        if not _has_valid_key(directory, lab):
            _lab_key_issue(directory, root, lab, actor)
            issued.append(lab.code)
    if not _has_valid_log_key(directory):
        log_key_issue_with(root)
    trust_list_write()
    return issued


def _has_valid_log_key(directory: Path) -> bool:
    try:
        key = keys.log_key_load(directory)
    except SigningKeyError:
        return False
    return key.not_before <= dt.datetime.now(dt.UTC) <= key.not_after


def log_key_issue_with(root: CertifiedKey) -> CertifiedKey:
    key = keys.log_certificate_issue(root=root)
    keys.log_key_save(keys_directory(), key)
    return key


def log_key_issue() -> CertifiedKey:
    """Issue a new audit log key (certified by the root, which must be present for this) and
    republish the trust list. Checkpoints signed by the previous key keep verifying: each
    carries its own certificate."""
    key = log_key_issue_with(_root_for_issuing(keys_directory()))
    trust_list_write()
    return key


def log_key_current() -> CertifiedKey:
    """The key that signs audit checkpoints, or a clear error saying what to run."""
    directory = keys_directory()
    if not _has_valid_log_key(directory):
        raise ApplicationError(
            _("There is no valid audit log key in %(directory)s. An administrator must run "
              "`portlab log-key` where the root key is kept.") % {"directory": directory})
    return keys.log_key_load(directory)


def _root_for_issuing(directory: Path) -> CertifiedKey:
    try:
        return keys.root_load(directory)
    except SigningKeyError as error:
        raise ApplicationError(_("There is no root key here: run `portlab keys-init` first, or "
                                 "run this where the root key is kept.")) from error


def lab_key_rotate(*, actor: User | None = None, lab: Lab) -> CertifiedKey:
    """Issue a new key for the lab; its old certificates stay in the trust list."""
    directory = keys_directory()
    key = _lab_key_issue(directory, _root_for_issuing(directory), lab, actor)
    trust_list_write()
    return key


def _compromises(directory: Path) -> dict[str, dict]:
    """The declared compromises on this host: kid (hex) → {lab, since, declared_at, reason}."""
    path = directory / COMPROMISE_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def _compromise_times(directory: Path) -> dict[bytes, dt.datetime]:
    return {bytes.fromhex(kid): dt.datetime.fromisoformat(record["since"])
            for kid, record in _compromises(directory).items()}


def _key_to_compromise(directory: Path, lab: Lab, kid: str) -> CertifiedKey:
    """The key named by kid, or the lab's current key."""
    try:
        if not kid:
            return keys.lab_key_current(directory, lab.code)
        for key in keys.lab_keys_load(directory, lab.code):
            if key.kid.hex() == kid.strip().lower():
                return key
    except SigningKeyError:
        pass
    raise ApplicationError(_("%(lab)s has no signing key %(kid)s in this keys directory.")
                           % {"lab": lab.code, "kid": kid or _("valid today")}, field="kid")


def lab_key_compromise(*, actor=None, lab: Lab, since: dt.date, reason: str = "",
                       kid: str = "") -> tuple[CertifiedKey, CertifiedKey]:
    """Declare a lab key (its current one unless `kid` names another) compromised from `since`:
    reports it signed dated on or after that day then verify as "signature key revoked", earlier
    ones stay genuine. Issues the lab's next key, rewrites the signed trust list, and returns
    (compromised key, new key)."""
    if since > timezone.localdate():
        raise ApplicationError(_("The compromise date %(date)s is in the future.")
                               % {"date": since.isoformat()}, field="since")
    directory = keys_directory()
    key = _key_to_compromise(directory, lab, kid)
    records = _compromises(directory)
    records[key.kid.hex()] = {
        "lab_code": lab.code, "reason": reason.strip(),
        "since": dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC).isoformat(),
        "declared_at": timezone.now().astimezone(dt.UTC).isoformat()}
    path = directory / COMPROMISE_FILE
    path.with_name(path.name + ".tmp").write_text(json.dumps(records, indent=2, sort_keys=True),
                                                  encoding="utf-8")
    path.with_name(path.name + ".tmp").replace(path)
    audit_record(actor=actor, action="lab_key_compromise", entity=lab, reason=reason.strip(),
                 after={"kid": key.kid.hex(), "since": since.isoformat()})
    successor = lab_key_rotate(actor=actor, lab=lab)
    return key, successor


def trust_list_document(*, issued_at: dt.datetime | None = None) -> dict:
    """Build and sign the trust list from every certificate in the keys directory."""
    directory = keys_directory()
    root = keys.root_load(directory)
    log_certificate = (keys.log_key_load(directory).certificate
                       if _has_valid_log_key(directory) else None)
    return trust_list_build(root=root, lab_certificates=keys.lab_certificates_load(directory),
                            issued_at=issued_at, log_certificate=log_certificate,
                            checkpoints_url=reverse("audit_checkpoints"),
                            compromised=_compromise_times(directory))


def trust_list_write(path: Path | None = None) -> Path:
    """Write the signed trust list (by default where /trust-list.json serves it from)."""
    target = path or keys_directory() / TRUST_LIST_FILE
    text = trust_list_dumps(trust_list_document())
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(target)  # readers never see half a file
    return target


def trust_list_text() -> str:
    """The published trust list, exactly as stored (written by keys-init / keys-rotate)."""
    path = keys_directory() / TRUST_LIST_FILE
    if not path.exists():
        trust_list_write(path)
    return path.read_text(encoding="utf-8")


def trust_list_current() -> TrustList:
    """The verified trust list, re-read only when the file changes."""
    path = keys_directory() / TRUST_LIST_FILE
    if not path.exists():
        trust_list_write(path)
    cache_key = (str(path), path.stat().st_mtime_ns)
    with _cache_lock:
        cached = _trust_list_cache.get(cache_key)
    if cached is not None:
        return cached
    pinned = settings.PORTLAB_ROOT_FINGERPRINT or None
    loaded = trust_list_load(path.read_bytes(), pinned_root_fingerprint=pinned)
    with _cache_lock:
        _trust_list_cache.clear()
        _trust_list_cache[cache_key] = loaded
    return loaded


def signing_material(lab: Lab) -> tuple[CertifiedKey, x509.Certificate]:
    """The lab's current key and the root certificate, or a clear error saying what to run."""
    directory = keys_directory()
    try:
        root_certificate = keys.root_certificate_load(directory)
        return keys.lab_key_current(directory, lab.code), root_certificate
    except SigningKeyError as error:
        command = "portlab keys-rotate " + lab.code if (directory / lab.code).exists() \
            else "portlab keys-init"
        raise ApplicationError(
            _("%(lab)s has no valid signing key in %(directory)s. "
              "An administrator must run `%(command)s`.")
            % {"lab": lab.name, "directory": directory, "command": command},
        ) from error


def root_fingerprint_current() -> str:
    return root_fingerprint(keys.root_certificate_load(keys_directory()))


__all__ = ["TrustListError", "keys_directory", "lab_key_compromise", "lab_key_rotate",
           "log_key_current", "log_key_issue", "network_keys_init",
           "root_fingerprint_current", "signing_material", "trust_list_current",
           "trust_list_document", "trust_list_text", "trust_list_write"]
