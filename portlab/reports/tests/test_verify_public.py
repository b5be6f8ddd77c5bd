"""Public verification over HTTP: number + code, QR payload, PDF upload, JSON API, limits."""

import json
from urllib.parse import urlsplit

import pytest
from django.test import Client

from portlab.reports.models import Report
from portlab.reports.render import legacy_verification_url, verification_url


def _pdf(report: Report) -> bytes:
    return bytes(Report.objects.values_list("pdf", flat=True).get(pk=report.pk))


def _api(client: Client, path: str, body: dict) -> tuple[int, dict]:
    response = client.post(f"/api/v1{path}", json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_number_and_code_say_genuine(client: Client, issued_report: Report) -> None:
    response = client.post("/verify", {"number": issued_report.number,
                                       "code": issued_report.verification_code})
    assert response.status_code == 200
    assert response.context["verdict"].outcome == "genuine"
    assert 'data-outcome="genuine"' in response.content.decode()
    status, body = _api(client, "/verify", {"number": issued_report.number,
                                            "code": issued_report.verification_code})
    assert (status, body["outcome"], body["version"]) == (200, "genuine", 1)
    assert body["message"] == "Genuine and current: issued by Tianjin Customs Technology " \
                              "Center and valid."


def test_wrong_code_looks_exactly_like_an_unknown_number(
        client: Client, issued_report: Report) -> None:
    wrong = _api(client, "/verify", {"number": issued_report.number,
                                     "code": "0000-0000-0000-0000"})
    unknown = _api(client, "/verify", {"number": "TJ-TC-1999-999999",
                                       "code": "0000-0000-0000-0000"})
    assert wrong == unknown
    assert wrong[1]["outcome"] == "unknown" and wrong[1]["number"] == ""


def test_qr_payload_link_says_genuine(client: Client, issued_report: Report) -> None:
    url = verification_url(issued_report.payload)
    assert url.startswith("HTTP://127.0.0.1:8000/V/")
    response = client.get(urlsplit(url).path)
    assert response.context["verdict"].outcome == "genuine"
    assert response.context["verdict"].number == issued_report.number


def test_the_printed_link_typed_in_lower_case_says_genuine(client: Client,
                                                           issued_report: Report) -> None:
    path = urlsplit(verification_url(issued_report.payload)).path
    response = client.get(path.lower())
    assert response.context["verdict"].outcome == "genuine"


def test_a_link_printed_before_the_alphanumeric_qr_still_verifies(
        client: Client, issued_report: Report) -> None:
    old = legacy_verification_url(issued_report.payload)
    assert "/verify?p=PL1%3A" in old
    response = client.get(old.removeprefix("http://127.0.0.1:8000"))
    assert response.context["verdict"].outcome == "genuine"
    assert response.context["verdict"].number == issued_report.number


def test_a_link_with_a_changed_character_is_not_genuine(client: Client,
                                                        issued_report: Report) -> None:
    path = urlsplit(verification_url(issued_report.payload)).path
    changed = path[:-6] + ("A" if path[-6] != "A" else "B") + path[-5:]
    response = client.get(changed)
    assert response.context["verdict"].outcome in ("altered", "unknown")
    assert response.context["verdict"].number == ""


@pytest.mark.parametrize("compact", ["0189", "ABC", "A" * 5000])
def test_a_link_that_is_not_base32_is_unknown(client: Client, issued_report: Report,
                                              compact: str) -> None:
    response = client.get(f"/V/{compact}")
    assert (response.status_code, response.context["verdict"].outcome) == (200, "unknown")


def test_qr_payload_with_a_changed_digit_is_altered(client: Client,
                                                    issued_report: Report) -> None:
    from portlab.reports.cose import qr_decode, qr_encode

    message = qr_decode(issued_report.payload)
    number = issued_report.number.encode()
    forged = qr_encode(message.replace(number, number[:-1] + b"9"))
    status, body = _api(client, "/verify", {"payload": forged})
    assert (status, body["outcome"], body["number"]) == (200, "altered", "")


def test_unreadable_qr_payload_is_unknown(client: Client, issued_report: Report) -> None:
    status, body = _api(client, "/verify", {"payload": "PL1:not base45 at all"})
    assert (status, body["outcome"]) == (200, "unknown")


def test_uploaded_pdf_says_genuine(client: Client, issued_report: Report) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("r.pdf", _pdf(issued_report), "application/pdf")
    response = client.post("/verify/upload", {"file": upload})
    assert response.context["verdict"].outcome == "genuine"
    upload.seek(0)
    api = client.post("/api/v1/verify/pdf", {"file": upload})
    assert (api.status_code, api.json()["outcome"]) == (200, "genuine")


def test_pdf_with_one_changed_digit_is_altered(client: Client, issued_report: Report) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = _pdf(issued_report)
    digits = issued_report.number[-1].encode()
    title = pdf.index(b"/Title (")
    position = pdf.index(digits + b" v1)", title)
    changed = pdf[:position] + (b"7" if digits != b"7" else b"8") + pdf[position + 1:]
    assert len(changed) == len(pdf) and changed != pdf
    response = client.post("/verify/upload", {"file": SimpleUploadedFile("r.pdf", changed)})
    assert response.context["verdict"].outcome == "altered"
    assert response.context["verdict"].number == ""


def test_non_pdf_upload_is_refused_clearly(client: Client, keys_dir) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/verify/upload",
                           {"file": SimpleUploadedFile("r.pdf", b"PK\x03\x04 zip file")})
    assert response.status_code == 400
    assert response.context["error"] == \
        "The file is not a PDF (it does not start with the %PDF- signature)."


def test_malformed_pdf_upload_is_refused_clearly(client: Client, keys_dir) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/verify/upload", {
        "file": SimpleUploadedFile("r.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog garbage")})
    assert response.status_code == 400
    assert response.context["error"] == \
        "The PDF is damaged and cannot be read, so it cannot be verified."


def test_fifty_megabytes_are_refused_before_reading(client: Client, keys_dir) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (50 * 1024 * 1024))
    response = client.post("/verify/upload", {"file": big})
    assert response.status_code == 413
    assert response.content.decode() == (
        "The request is 50.0 MB; this address accepts at most 10.1 MB.")


def test_api_refuses_a_pdf_just_over_ten_megabytes(client: Client, keys_dir) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024))
    response = client.post("/api/v1/verify/pdf", {"file": upload})
    assert response.status_code == 413
    assert response.json() == {"detail": "The file is 10.0 MB; the limit is 10 MB.",
                               "field": "file"}


def test_the_chinese_page_answers_in_chinese(client: Client, issued_report: Report) -> None:
    response = client.post("/verify", {"number": "X", "code": "Y"},
                           HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.context["verdict"].message == \
        "无法识别：本网络中没有与您输入内容相符的报告。请核对报告编号和验证码。"


def test_public_endpoints_are_rate_limited_per_ip(
        settings, client: Client, issued_report: Report) -> None:
    settings.PORTLAB_VERIFY_RATE_LIMIT = 3
    for _ in range(3):
        assert client.get("/verify").status_code == 200
    blocked = client.get("/verify")
    assert blocked.status_code == 429
    assert "Too many requests from your address. Try again in" in blocked.content.decode()
    status, body = _api(client, "/verify", {"number": "X", "code": "Y"})
    assert status == 429 and body["detail"].startswith("Too many requests from your address.")
    other = Client(REMOTE_ADDR="10.0.0.9", HTTP_ACCEPT_LANGUAGE="en")
    assert other.get("/verify").status_code == 200


def test_trust_list_and_health(client: Client, keys_dir) -> None:
    first, second = client.get("/trust-list.json"), client.get("/trust-list.json")
    assert first.status_code == 200 and first.content == second.content
    assert first["Content-Type"] == "application/json; charset=utf-8"
    assert [key["lab_code"] for key in first.json()["keys"]] == ["TJ-TC", "TJ-XG"]
    assert client.get("/healthz").content == b"ok"


@pytest.mark.parametrize("code", ["", "short", "ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ"])
def test_malformed_codes_are_simply_unknown(client: Client, issued_report: Report,
                                            code: str) -> None:
    status, body = _api(client, "/verify", {"number": issued_report.number, "code": code})
    assert (status, body["outcome"]) == (200, "unknown")
