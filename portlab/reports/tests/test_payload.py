"""The QR payload: canonical result table, signing, and offline verification statuses."""

import dataclasses
import datetime as dt
import hashlib

import cbor2
import pytest

from portlab.reports.cose import qr_decode, qr_encode, sign1_create
from portlab.reports.keys import CertifiedKey, lab_certificate_issue, root_create
from portlab.reports.payload import (
    FIELD_FORMAT,
    FORMAT_FIVE_FIELDS,
    FORMAT_PRINTED_FIELDS,
    PayloadError,
    PrintedResultRow,
    ReportPayload,
    ResultRow,
    VerificationStatus,
    canonical_result_table,
    payload_build,
    payload_decode,
    payload_encode,
    payload_sign,
    result_table_digest,
    verify_payload,
)
from portlab.reports.trust_list import TrustList, trust_list_build, trust_list_load

START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
ROWS = [
    ResultRow("S-001", "Lead (Pb)", "0.12", "mg/kg", "conform"),
    ResultRow("S-001", "Cadmium (Cd)", "< 0.01", "mg/kg", "conform"),
]


def _network() -> tuple[CertifiedKey, CertifiedKey, TrustList]:
    root = root_create(network_name="PortLab Network", now=START)
    lab = lab_certificate_issue(
        root=root,
        lab_code="HAM",
        lab_name="Hamburg Lab",
        now=START,
        validity=dt.timedelta(days=365),
    )
    document = trust_list_build(root=root, lab_certificates=[lab.certificate])
    return root, lab, trust_list_load(document)


def _payload(issue_date: dt.date = dt.date(2025, 3, 14), lab_code: str = "HAM") -> ReportPayload:
    return payload_build(
        report_number="HAM-2025-000123",
        version=2,
        issue_date=issue_date,
        lab_code=lab_code,
        applicant_name="Müller Import GmbH",
        conclusion="conform",
        result_rows=ROWS,
    )


def test_canonical_result_table_exact_bytes() -> None:
    table = canonical_result_table([ResultRow("S1", "Pb", "0.12", "mg/kg", "C")])
    assert table == bytes.fromhex("818562533162506264302e3132656d672f6b676143")
    assert result_table_digest([ResultRow("S1", "Pb", "0.12", "mg/kg", "C")]) == (
        hashlib.sha256(table).digest()
    )


def test_result_digest_ignores_row_order_but_not_values() -> None:
    assert result_table_digest(ROWS) == result_table_digest(list(reversed(ROWS)))
    changed = [ROWS[0], ResultRow("S-001", "Cadmium (Cd)", "< 0.02", "mg/kg", "conform")]
    assert result_table_digest(changed) != result_table_digest(ROWS)


def test_result_digest_normalises_unicode_to_nfc() -> None:
    composed = [ResultRow("S1", "Caf\u00e9ine", "1", "%", "conform")]
    decomposed = [ResultRow("S1", "Cafe\u0301ine", "1", "%", "conform")]
    assert result_table_digest(composed) == result_table_digest(decomposed)


def test_payload_uses_integer_keys() -> None:
    decoded = cbor2.loads(payload_encode(_payload()))
    assert decoded == {
        1: "HAM-2025-000123",
        2: 2,
        3: "2025-03-14",
        4: "HAM",
        5: "Müller Import GmbH",
        6: "conform",
        7: result_table_digest(ROWS),
    }


PRINTED = PrintedResultRow("S-001", "Lead (Pb)", "GB 5009.12-2023", "0.12", "mg/kg",
                           "U = 0.02 (k = 2)", "0.005 / 0.02", "≤ 0.2 mg/kg", "Simple acceptance",
                           "Conforms", "*", "")


def test_format_1_payload_bytes_carry_no_format_field() -> None:
    # Reports issued before format 2 were signed over exactly these bytes.
    assert FIELD_FORMAT not in cbor2.loads(payload_encode(_payload()))
    assert _payload().payload_format == FORMAT_FIVE_FIELDS


def test_format_2_payload_says_so_and_round_trips() -> None:
    payload = dataclasses.replace(_payload(), result_digest=result_table_digest([PRINTED]),
                                  payload_format=FORMAT_PRINTED_FIELDS)
    built = payload_build(report_number="HAM-2025-000123", version=2,
                          issue_date=dt.date(2025, 3, 14), lab_code="HAM",
                          applicant_name="Müller Import GmbH", conclusion="conform",
                          result_rows=[PRINTED])
    assert built == payload
    assert cbor2.loads(payload_encode(payload))[FIELD_FORMAT] == 2
    assert payload_decode(payload_encode(payload)) == payload


def test_format_2_digest_has_twelve_fields_per_row() -> None:
    assert cbor2.loads(canonical_result_table([PRINTED])) == [list(PRINTED.fields())]
    assert len(PRINTED.fields()) == 12


@pytest.mark.parametrize("value", [1, 3, "2", -1])
def test_an_unknown_or_redundant_format_is_refused(value) -> None:
    fields = cbor2.loads(payload_encode(_payload()))
    fields[FIELD_FORMAT] = value
    with pytest.raises(PayloadError, match="unsupported payload format"):
        payload_decode(cbor2.dumps(fields, canonical=True))


def test_rows_of_two_formats_are_not_signed_together() -> None:
    with pytest.raises(PayloadError, match="two payload formats"):
        payload_build(report_number="N", version=1, issue_date=dt.date(2025, 3, 14),
                      lab_code="HAM", applicant_name="A", conclusion="c",
                      result_rows=[ROWS[0], PRINTED])


def test_genuine_payload_decodes_all_fields() -> None:
    _, lab, trust_list = _network()
    qr_text = payload_sign(_payload(), lab)
    result = verify_payload(qr_text, trust_list)
    assert result.status is VerificationStatus.GENUINE
    assert result.payload == _payload()
    assert (result.kid, result.lab_name) == (lab.kid, "Hamburg Lab")
    assert qr_text.startswith("PL1:")
    assert len(qr_text) < 400


def test_tampered_payload_byte_is_altered() -> None:
    _, lab, trust_list = _network()
    message = bytearray(qr_decode(payload_sign(_payload(), lab)))
    position = message.index(b"conform")
    message[position : position + 7] = b"CONFORM"
    result = verify_payload(qr_encode(bytes(message)), trust_list)
    assert result.status is VerificationStatus.ALTERED


def test_signature_by_other_key_under_listed_kid_is_altered() -> None:
    root, lab, trust_list = _network()
    impostor = lab_certificate_issue(root=root, lab_code="HAM", lab_name="Hamburg Lab", now=START)
    forged = qr_encode(sign1_create(payload_encode(_payload()), impostor.private_key, lab.kid))
    assert verify_payload(forged, trust_list).status is VerificationStatus.ALTERED


def test_kid_not_in_trust_list_is_unknown_key() -> None:
    root, _, trust_list = _network()
    unlisted = lab_certificate_issue(root=root, lab_code="HAM", lab_name="Hamburg Lab", now=START)
    result = verify_payload(payload_sign(_payload(), unlisted), trust_list)
    assert result.status is VerificationStatus.UNKNOWN_KEY
    assert result.message == f"key id {unlisted.kid.hex()} is not in the trust list"


def test_key_of_another_lab_is_unknown_key() -> None:
    _, lab, trust_list = _network()
    other_lab_payload = payload_encode(_payload(lab_code="RTM"))
    qr_text = qr_encode(sign1_create(other_lab_payload, lab.private_key, lab.kid))
    result = verify_payload(qr_text, trust_list)
    assert result.status is VerificationStatus.UNKNOWN_KEY
    assert result.message == f"key {lab.kid.hex()} belongs to lab HAM, not RTM"


def test_issue_date_after_key_expiry_is_expired_key() -> None:
    _, lab, trust_list = _network()
    result = verify_payload(payload_sign(_payload(dt.date(2026, 1, 2)), lab), trust_list)
    assert result.status is VerificationStatus.EXPIRED_KEY
    assert result.message == (
        "issue date 2026-01-02 is outside the key validity 2025-01-01 to 2026-01-01"
    )


def test_report_issued_before_rotation_stays_genuine() -> None:
    root, old_key, _ = _network()
    new_key = lab_certificate_issue(
        root=root, lab_code="HAM", lab_name="Hamburg Lab", now=START + dt.timedelta(days=360)
    )
    old_report = payload_sign(_payload(dt.date(2025, 3, 14)), old_key)
    new_report = payload_sign(_payload(dt.date(2026, 3, 14)), new_key)
    trust_list = trust_list_load(
        trust_list_build(root=root, lab_certificates=[old_key.certificate, new_key.certificate])
    )
    assert verify_payload(old_report, trust_list).status is VerificationStatus.GENUINE
    assert verify_payload(new_report, trust_list).status is VerificationStatus.GENUINE


@pytest.mark.parametrize("cut", [1, 5, 40])
def test_truncated_qr_text_is_malformed(cut: int) -> None:
    _, lab, trust_list = _network()
    qr_text = payload_sign(_payload(), lab)
    assert verify_payload(qr_text[:-cut], trust_list).status is VerificationStatus.MALFORMED


@pytest.mark.parametrize("qr_text", ["", "hello", "PL1:", "PL1:abc", "HC1:NCFOXN%TS3DH"])
def test_garbage_is_malformed(qr_text: str) -> None:
    _, _, trust_list = _network()
    assert verify_payload(qr_text, trust_list).status is VerificationStatus.MALFORMED


def test_signed_non_payload_is_malformed() -> None:
    _, lab, trust_list = _network()
    qr_text = qr_encode(sign1_create(cbor2.dumps([1, 2]), lab.private_key, lab.kid))
    result = verify_payload(qr_text, trust_list)
    assert (result.status, result.message) == (
        VerificationStatus.MALFORMED,
        "payload must be a CBOR map",
    )


def test_signing_for_another_lab_is_refused() -> None:
    _, lab, _ = _network()
    with pytest.raises(PayloadError, match="another lab"):
        payload_sign(_payload(lab_code="RTM"), lab)
