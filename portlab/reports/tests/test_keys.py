"""Root CA, lab certificates, key ids, PEM storage and rotation."""

import datetime as dt
import hashlib
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from portlab.reports.keys import (
    CertifiedKey,
    SigningKeyError,
    certificate_pem,
    certified_key_from_environment,
    certified_key_from_pem,
    key_id,
    key_pem,
    lab_certificate_issue,
    lab_certificates_load,
    lab_code_of,
    lab_key_current,
    lab_key_save,
    lab_keys_load,
    lab_name_of,
    root_certificate_load,
    root_create,
    root_load,
    root_save,
)

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


def _root() -> CertifiedKey:
    return root_create(network_name="PortLab Network", now=START)


def _lab(root: CertifiedKey, *, now: dt.datetime = START, days: int = 365) -> CertifiedKey:
    return lab_certificate_issue(
        root=root,
        lab_code="HAM",
        lab_name="Hamburg Customs Lab",
        now=now,
        validity=dt.timedelta(days=days),
    )


def test_root_is_self_signed_p256_ca() -> None:
    root = _root()
    root.certificate.verify_directly_issued_by(root.certificate)
    constraints = root.certificate.extensions.get_extension_for_class(x509.BasicConstraints)
    assert constraints.value.ca is True
    assert isinstance(root.private_key.curve, ec.SECP256R1)
    assert (
        root.certificate.subject.rfc4514_string() == "O=PortLab Network,CN=PortLab Network Root CA"
    )


def test_lab_certificate_is_issued_by_root_with_exact_validity() -> None:
    root = _root()
    lab = _lab(root, days=730)
    lab.certificate.verify_directly_issued_by(root.certificate)
    assert lab_code_of(lab.certificate) == "HAM"
    assert lab_name_of(lab.certificate) == "Hamburg Customs Lab"
    assert lab.not_before == START
    assert lab.not_after == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    usage = lab.certificate.extensions.get_extension_for_class(x509.KeyUsage).value
    assert (usage.digital_signature, usage.content_commitment, usage.key_cert_sign) == (
        True,
        True,
        False,
    )


def test_kid_is_first_8_bytes_of_sha256_of_spki() -> None:
    lab = _lab(_root())
    spki = lab.private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    assert lab.kid == hashlib.sha256(spki).digest()[:8]
    assert key_id(lab.certificate) == lab.kid
    assert len(lab.kid) == 8


def test_save_and_load_use_the_documented_layout(tmp_path: Path) -> None:
    root = _root()
    lab = _lab(root)
    root_save(tmp_path, root)
    key_path = lab_key_save(tmp_path, lab)
    kid_hex = lab.kid.hex()
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*.pem")) == [
        f"HAM/{kid_hex}.cert.pem",
        f"HAM/{kid_hex}.key.pem",
        "root.cert.pem",
        "root.key.pem",
    ]
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "root.key.pem").stat().st_mode) == 0o600
    assert root_load(tmp_path).certificate == root.certificate
    assert root_certificate_load(tmp_path) == root.certificate
    [loaded] = lab_keys_load(tmp_path, "HAM")
    assert loaded.kid == lab.kid
    assert loaded.private_key.private_numbers() == lab.private_key.private_numbers()


def test_password_protected_key_needs_the_password(tmp_path: Path) -> None:
    lab = _lab(_root())
    lab_key_save(tmp_path, lab, password=b"s3cret")
    assert lab_keys_load(tmp_path, "HAM", password=b"s3cret")[0].kid == lab.kid
    with pytest.raises(SigningKeyError, match="unreadable PEM"):
        lab_keys_load(tmp_path, "HAM", password=b"wrong")


def test_key_loads_from_environment_variables() -> None:
    lab = _lab(_root())
    environ = {
        "PORTLAB_SIGNING_KEY_PEM": key_pem(lab).decode(),
        "PORTLAB_SIGNING_CERT_PEM": certificate_pem(lab.certificate).decode(),
    }
    assert certified_key_from_environment(environ=environ).kid == lab.kid


def test_missing_environment_variable_is_named() -> None:
    with pytest.raises(SigningKeyError, match="not set: PORTLAB_SIGNING_CERT_PEM"):
        certified_key_from_environment(environ={"PORTLAB_SIGNING_KEY_PEM": "x"})


def test_key_not_matching_certificate_is_refused() -> None:
    root = _root()
    first, second = _lab(root), _lab(root)
    with pytest.raises(SigningKeyError, match="does not match"):
        certified_key_from_pem(key_pem(first), certificate_pem(second.certificate))


def test_non_p256_key_is_refused() -> None:
    lab = _lab(_root())
    p384 = ec.generate_private_key(ec.SECP384R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with pytest.raises(SigningKeyError, match="P-256"):
        certified_key_from_pem(p384, certificate_pem(lab.certificate))


def test_garbage_pem_is_refused() -> None:
    with pytest.raises(SigningKeyError, match="unreadable PEM"):
        certified_key_from_pem(b"not a key", b"not a certificate")


def test_lab_code_that_could_escape_the_directory_is_refused() -> None:
    with pytest.raises(SigningKeyError, match="invalid lab code"):
        lab_certificate_issue(root=_root(), lab_code="../etc", lab_name="Evil")


def test_rotation_keeps_old_key_and_current_is_the_newest_valid(tmp_path: Path) -> None:
    root = _root()
    old = _lab(root, days=400)
    new = _lab(root, now=START + dt.timedelta(days=300), days=400)
    lab_key_save(tmp_path, old)
    lab_key_save(tmp_path, new)
    assert [key.kid for key in lab_keys_load(tmp_path, "HAM")] == [old.kid, new.kid]
    assert {key_id(cert) for cert in lab_certificates_load(tmp_path)} == {old.kid, new.kid}
    assert lab_key_current(tmp_path, "HAM", now=START + dt.timedelta(days=10)).kid == old.kid
    assert lab_key_current(tmp_path, "HAM", now=START + dt.timedelta(days=350)).kid == new.kid


def test_no_valid_key_is_an_error(tmp_path: Path) -> None:
    lab_key_save(tmp_path, _lab(_root(), days=30))
    with pytest.raises(SigningKeyError, match="no key valid"):
        lab_key_current(tmp_path, "HAM", now=START + dt.timedelta(days=31))
