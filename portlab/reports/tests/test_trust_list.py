"""The signed trust list: build, canonical form, verification, pinning, tampering."""

import base64
import datetime as dt
import json
from typing import Any

import pytest

from portlab.reports.cose import es256_sign
from portlab.reports.keys import CertifiedKey, lab_certificate_issue, root_create
from portlab.reports.trust_list import (
    TrustListError,
    canonical_json,
    root_fingerprint,
    trust_list_build,
    trust_list_dumps,
    trust_list_load,
)

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
ISSUED = dt.datetime(2025, 6, 1, 8, 30, tzinfo=dt.UTC)


def _network() -> tuple[CertifiedKey, CertifiedKey, CertifiedKey]:
    root = root_create(network_name="PortLab Network", now=START)
    hamburg = lab_certificate_issue(root=root, lab_code="HAM", lab_name="Hamburg Lab", now=START)
    rotterdam = lab_certificate_issue(
        root=root, lab_code="RTM", lab_name="Laboratorium Rotterdam – Haven", now=START
    )
    return root, hamburg, rotterdam


def _resign(document: dict[str, Any], root: CertifiedKey) -> dict[str, Any]:
    unsigned = {name: value for name, value in document.items() if name != "signature"}
    signature = es256_sign(root.private_key, canonical_json(unsigned))
    return {**unsigned, "signature": base64.b64encode(signature).decode()}


def test_canonical_json_is_sorted_compact_utf8() -> None:
    assert canonical_json({"b": 1, "a": "é", "c": [2, {"z": None, "y": True}]}) == (
        '{"a":"é","b":1,"c":[2,{"y":true,"z":null}]}'.encode()
    )


def test_built_list_has_documented_fields() -> None:
    root, hamburg, rotterdam = _network()
    document = trust_list_build(
        root=root, lab_certificates=[rotterdam.certificate, hamburg.certificate], issued_at=ISSUED
    )
    assert sorted(document) == [
        "issued_at",
        "issuer",
        "keys",
        "root_certificate_pem",
        "signature",
        "version",
    ]
    assert document["issued_at"] == "2025-06-01T08:30:00Z"
    assert document["issuer"] == "O=PortLab Network,CN=PortLab Network Root CA"
    assert [entry["lab_code"] for entry in document["keys"]] == ["HAM", "RTM"]
    assert document["keys"][0]["kid"] == hamburg.kid.hex()
    assert document["keys"][0]["not_before"] == "2025-01-01T00:00:00Z"
    assert document["keys"][0]["not_after"] == "2027-01-01T00:00:00Z"


def test_published_list_loads_and_finds_keys_by_kid() -> None:
    root, hamburg, rotterdam = _network()
    document = trust_list_build(
        root=root, lab_certificates=[hamburg.certificate, rotterdam.certificate], issued_at=ISSUED
    )
    trust_list = trust_list_load(
        trust_list_dumps(document), pinned_root_fingerprint=root_fingerprint(root.certificate)
    )
    assert trust_list.issued_at == ISSUED
    found_rotterdam, found_hamburg = trust_list.find(rotterdam.kid), trust_list.find(hamburg.kid)
    assert found_rotterdam is not None and found_hamburg is not None
    assert found_rotterdam.lab_name == "Laboratorium Rotterdam – Haven"
    assert found_hamburg.not_after == dt.datetime(2027, 1, 1, tzinfo=dt.UTC)
    assert trust_list.find(b"\x00" * 8) is None
    assert trust_list.find_certificate(hamburg.certificate) == found_hamburg
    assert trust_list.find_certificate(rotterdam.certificate) == found_rotterdam


def test_rotated_keys_are_all_listed() -> None:
    root, hamburg, _ = _network()
    rotated = lab_certificate_issue(
        root=root, lab_code="HAM", lab_name="Hamburg Lab", now=START + dt.timedelta(days=700)
    )
    document = trust_list_build(
        root=root, lab_certificates=[rotated.certificate, hamburg.certificate], issued_at=ISSUED
    )
    assert [entry["kid"] for entry in document["keys"]] == [hamburg.kid.hex(), rotated.kid.hex()]
    assert len(trust_list_load(document).keys) == 2


def test_changed_field_breaks_the_signature() -> None:
    root, hamburg, _ = _network()
    document = trust_list_build(root=root, lab_certificates=[hamburg.certificate])
    document["keys"][0]["not_after"] = "2099-01-01T00:00:00Z"
    with pytest.raises(TrustListError, match="signature does not verify"):
        trust_list_load(document)


def test_entry_disagreeing_with_its_certificate_is_refused_even_if_signed() -> None:
    root, hamburg, _ = _network()
    document = trust_list_build(root=root, lab_certificates=[hamburg.certificate])
    document["keys"][0]["lab_code"] = "RTM"
    with pytest.raises(TrustListError, match="disagrees with its certificate"):
        trust_list_load(_resign(document, root))


def test_certificate_of_another_root_cannot_be_listed() -> None:
    root, _, _ = _network()
    other_root, stranger, _ = _network()
    with pytest.raises(TrustListError, match="not issued by the root"):
        trust_list_build(root=root, lab_certificates=[stranger.certificate])


def test_pinned_fingerprint_rejects_a_list_from_another_root() -> None:
    root, hamburg, _ = _network()
    forger_root, forged_lab, _ = _network()
    forged = trust_list_build(root=forger_root, lab_certificates=[forged_lab.certificate])
    assert trust_list_load(forged).find(forged_lab.kid) is not None
    with pytest.raises(TrustListError, match="pinned fingerprint"):
        trust_list_load(forged, pinned_root_fingerprint=root_fingerprint(root.certificate))


def test_signature_by_another_key_is_refused() -> None:
    root, hamburg, _ = _network()
    document = trust_list_build(root=root, lab_certificates=[hamburg.certificate])
    with pytest.raises(TrustListError, match="signature does not verify"):
        trust_list_load(_resign(document, hamburg))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not valid JSON"),
        ("[1, 2]", "must be a JSON object"),
        (json.dumps({"version": 2}), "unsupported trust list version 2"),
        (json.dumps({"version": 1, "issuer": "x"}), "issuer and a keys array"),
    ],
)
def test_malformed_documents_are_refused(text: str, message: str) -> None:
    with pytest.raises(TrustListError, match=message):
        trust_list_load(text)


def test_signature_that_is_not_base64_is_refused() -> None:
    root, hamburg, _ = _network()
    document = trust_list_build(root=root, lab_certificates=[hamburg.certificate])
    document["signature"] = "***"
    with pytest.raises(TrustListError, match="not base64"):
        trust_list_load(document)
