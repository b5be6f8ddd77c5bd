"""Signing keys of the laboratory network: a root CA and one ES256 certificate per lab key.

Keys live in PEM files or environment variables, never in the database. A lab rotates its key
by being issued a new certificate; the old certificate stays in the trust list with its
validity period, so reports signed earlier keep verifying.

Directory layout::

    <dir>/root.key.pem, <dir>/root.cert.pem   (the root key can be moved offline once it has
                                               certified the lab and log keys)
    <dir>/log.key.pem, <dir>/log.cert.pem     (the audit log key, which signs checkpoints)
    <dir>/<lab_code>/<kid_hex>.key.pem, <dir>/<lab_code>/<kid_hex>.cert.pem
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from portlab.audit.checkpoint import LOG_KEY_UNIT

KEY_ID_LENGTH = 8
DEFAULT_ROOT_VALIDITY = dt.timedelta(days=20 * 365)
DEFAULT_LAB_VALIDITY = dt.timedelta(days=2 * 365)
DEFAULT_LOG_VALIDITY = dt.timedelta(days=2 * 365)
_LAB_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")


class SigningKeyError(ValueError):
    """A key or certificate is missing, malformed or does not match its counterpart."""


@dataclass(frozen=True)
class CertifiedKey:
    """A private key with the certificate that binds its public key to a lab (or the root)."""

    private_key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def kid(self) -> bytes:
        return key_id(self.certificate)

    @property
    def not_before(self) -> dt.datetime:
        return self.certificate.not_valid_before_utc

    @property
    def not_after(self) -> dt.datetime:
        return self.certificate.not_valid_after_utc


def key_id(certificate: x509.Certificate) -> bytes:
    """EU DCC key id: the first 8 bytes of SHA-256 over the DER SubjectPublicKeyInfo."""
    spki = certificate.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return hashlib.sha256(spki).digest()[:KEY_ID_LENGTH]


def lab_code_of(certificate: x509.Certificate) -> str:
    """The lab code, stored in the certificate subject's organizationalUnitName."""
    return _subject_text(certificate, NameOID.ORGANIZATIONAL_UNIT_NAME)


def lab_name_of(certificate: x509.Certificate) -> str:
    """The lab name, stored in the certificate subject's commonName."""
    return _subject_text(certificate, NameOID.COMMON_NAME)


def _subject_text(certificate: x509.Certificate, oid: x509.ObjectIdentifier) -> str:
    attributes = certificate.subject.get_attributes_for_oid(oid)
    if not attributes:
        raise SigningKeyError(f"certificate subject has no {oid._name}")
    return str(attributes[0].value)


def _validate_lab_code(lab_code: str) -> None:
    # The lab code becomes a directory name; refuse anything that could escape the keys dir.
    if not _LAB_CODE_PATTERN.fullmatch(lab_code):
        raise SigningKeyError(f"invalid lab code {lab_code!r}")


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def root_create(
    *,
    network_name: str,
    now: dt.datetime | None = None,
    validity: dt.timedelta = DEFAULT_ROOT_VALIDITY,
) -> CertifiedKey:
    """Create the network's self-signed root CA (ECDSA P-256)."""
    not_before = now or _utc_now()
    private_key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, f"{network_name} Root CA"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, network_name),
        ]
    )
    builder = (
        _certificate_builder(name, name, private_key.public_key(), not_before, validity)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(certificate_signing=True), critical=True)
    )
    certificate = builder.sign(private_key, hashes.SHA256())
    return CertifiedKey(private_key=private_key, certificate=certificate)


def lab_certificate_issue(
    *,
    root: CertifiedKey,
    lab_code: str,
    lab_name: str,
    now: dt.datetime | None = None,
    validity: dt.timedelta = DEFAULT_LAB_VALIDITY,
) -> CertifiedKey:
    """Generate a fresh lab key and issue its certificate; calling it again rotates the key."""
    _validate_lab_code(lab_code)
    return _end_entity_issue(root=root, common_name=lab_name, unit=lab_code,
                             now=now, validity=validity)


def log_certificate_issue(
    *,
    root: CertifiedKey,
    now: dt.datetime | None = None,
    validity: dt.timedelta = DEFAULT_LOG_VALIDITY,
) -> CertifiedKey:
    """Generate the network's audit log key, which signs checkpoints, and certify it."""
    network = _subject_text(root.certificate, NameOID.ORGANIZATION_NAME)
    return _end_entity_issue(root=root, common_name=f"{network} Audit Log", unit=LOG_KEY_UNIT,
                             now=now, validity=validity)


def _end_entity_issue(*, root: CertifiedKey, common_name: str, unit: str,
                      now: dt.datetime | None, validity: dt.timedelta) -> CertifiedKey:
    not_before = now or _utc_now()
    private_key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(
                NameOID.ORGANIZATION_NAME,
                _subject_text(root.certificate, NameOID.ORGANIZATION_NAME),
            ),
        ]
    )
    builder = (
        _certificate_builder(
            subject, root.certificate.subject, private_key.public_key(), not_before, validity
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(certificate_signing=False), critical=True)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root.private_key.public_key()),
            critical=False,
        )
    )
    certificate = builder.sign(root.private_key, hashes.SHA256())
    return CertifiedKey(private_key=private_key, certificate=certificate)


def _certificate_builder(
    subject: x509.Name,
    issuer: x509.Name,
    public_key: ec.EllipticCurvePublicKey,
    not_before: dt.datetime,
    validity: dt.timedelta,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_before + validity)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )


def _key_usage(*, certificate_signing: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not certificate_signing,
        # nonRepudiation: PDF validators expect it on document-signing certificates.
        content_commitment=not certificate_signing,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=certificate_signing,
        crl_sign=certificate_signing,
        encipher_only=False,
        decipher_only=False,
    )


def certified_key_from_pem(
    key_pem: bytes, certificate_pem: bytes, *, password: bytes | None = None
) -> CertifiedKey:
    """Load a P-256 private key and its certificate from PEM text, checking they match."""
    try:
        private_key = serialization.load_pem_private_key(key_pem, password=password)
        certificate = x509.load_pem_x509_certificate(certificate_pem)
    except (ValueError, TypeError) as error:
        raise SigningKeyError(f"unreadable PEM key or certificate: {error}") from error
    if not isinstance(private_key, ec.EllipticCurvePrivateKey) or not isinstance(
        private_key.curve, ec.SECP256R1
    ):
        raise SigningKeyError("signing key must be an ECDSA P-256 key")
    if private_key.public_key() != certificate.public_key():
        raise SigningKeyError("private key does not match the certificate")
    return CertifiedKey(private_key=private_key, certificate=certificate)


def certified_key_from_environment(
    *,
    key_variable: str = "PORTLAB_SIGNING_KEY_PEM",
    certificate_variable: str = "PORTLAB_SIGNING_CERT_PEM",
    environ: Mapping[str, str] | None = None,
    password: bytes | None = None,
) -> CertifiedKey:
    """Load a key and certificate whose PEM text is held in two environment variables."""
    environ = os.environ if environ is None else environ
    missing = [name for name in (key_variable, certificate_variable) if not environ.get(name)]
    if missing:
        raise SigningKeyError(f"environment variable(s) not set: {', '.join(missing)}")
    return certified_key_from_pem(
        environ[key_variable].encode(), environ[certificate_variable].encode(), password=password
    )


def key_pem(key: CertifiedKey, *, password: bytes | None = None) -> bytes:
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return key.private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )


def certificate_pem(certificate: x509.Certificate) -> bytes:
    return certificate.public_bytes(serialization.Encoding.PEM)


def _write_pair(
    key_path: Path, certificate_path: Path, key: CertifiedKey, password: bytes | None
) -> None:
    key_path.parent.mkdir(parents=True, exist_ok=True)
    # Create the key file owner-only from the start rather than chmod after writing.
    descriptor = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as key_file:
        key_file.write(key_pem(key, password=password))
    certificate_path.write_bytes(certificate_pem(key.certificate))


def root_save(directory: Path, root: CertifiedKey, *, password: bytes | None = None) -> None:
    """Write root.key.pem and root.cert.pem into the keys directory."""
    directory = Path(directory)
    _write_pair(directory / "root.key.pem", directory / "root.cert.pem", root, password)


def root_load(directory: Path, *, password: bytes | None = None) -> CertifiedKey:
    directory = Path(directory)
    return _read_pair(directory / "root.key.pem", directory / "root.cert.pem", password)


def root_certificate_load(directory: Path) -> x509.Certificate:
    """The root certificate alone, for hosts that publish but never issue."""
    try:
        return x509.load_pem_x509_certificate((Path(directory) / "root.cert.pem").read_bytes())
    except (OSError, ValueError) as error:
        raise SigningKeyError(f"cannot read root certificate: {error}") from error


def log_key_save(directory: Path, key: CertifiedKey, *, password: bytes | None = None) -> None:
    """Write log.key.pem and log.cert.pem (the newest log key replaces the one before: each
    checkpoint carries the certificate that signed it)."""
    directory = Path(directory)
    _write_pair(directory / "log.key.pem", directory / "log.cert.pem", key, password)


def log_key_load(directory: Path, *, password: bytes | None = None) -> CertifiedKey:
    directory = Path(directory)
    return _read_pair(directory / "log.key.pem", directory / "log.cert.pem", password)


def lab_key_save(directory: Path, key: CertifiedKey, *, password: bytes | None = None) -> Path:
    """Write <lab_code>/<kid_hex>.key.pem and .cert.pem; return the key file path."""
    lab_code = lab_code_of(key.certificate)
    _validate_lab_code(lab_code)
    lab_directory = Path(directory) / lab_code
    key_path = lab_directory / f"{key.kid.hex()}.key.pem"
    _write_pair(key_path, lab_directory / f"{key.kid.hex()}.cert.pem", key, password)
    return key_path


def _read_pair(key_path: Path, certificate_path: Path, password: bytes | None) -> CertifiedKey:
    try:
        key_bytes, certificate_bytes = key_path.read_bytes(), certificate_path.read_bytes()
    except OSError as error:
        raise SigningKeyError(f"cannot read key files: {error}") from error
    return certified_key_from_pem(key_bytes, certificate_bytes, password=password)


def lab_keys_load(
    directory: Path, lab_code: str, *, password: bytes | None = None
) -> list[CertifiedKey]:
    """All keys of a lab, oldest first: by certificate start of validity, then (certificates
    carry whole seconds, and a rotation can follow its predecessor within one) by the time the
    key file was written."""
    _validate_lab_code(lab_code)
    lab_directory = Path(directory) / lab_code
    keys = []
    for key_path in lab_directory.glob("*.key.pem"):
        certificate_path = key_path.with_name(key_path.name.removesuffix(".key.pem") + ".cert.pem")
        written = certificate_path.stat().st_mtime_ns if certificate_path.exists() else 0
        keys.append((written, _read_pair(key_path, certificate_path, password)))
    keys.sort(key=lambda pair: (pair[1].not_before, pair[0]))
    return [key for _, key in keys]


def lab_certificates_load(directory: Path) -> list[x509.Certificate]:
    """Every lab certificate in the keys directory, current and retired (for the trust list)."""
    certificates = []
    for path in sorted(Path(directory).glob("*/*.cert.pem")):
        try:
            certificates.append(x509.load_pem_x509_certificate(path.read_bytes()))
        except ValueError as error:
            raise SigningKeyError(f"unreadable certificate {path}: {error}") from error
    return certificates


def lab_key_current(
    directory: Path,
    lab_code: str,
    *,
    now: dt.datetime | None = None,
    password: bytes | None = None,
) -> CertifiedKey:
    """The newest key of the lab whose certificate is valid now."""
    moment = now or _utc_now()
    valid = [
        key
        for key in lab_keys_load(directory, lab_code, password=password)
        if key.not_before <= moment <= key.not_after
    ]
    if not valid:
        raise SigningKeyError(f"lab {lab_code!r} has no key valid at {moment.isoformat()}")
    return valid[-1]
