"""Calibrations and intermediate checks recorded on screen, the certificate in the file store
(#12 item 5)."""

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portlab.files.models import RawFile
from portlab.files.services import DOCUMENT_MAX_BYTES
from portlab.instruments.models import Calibration, IntermediateCheck

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**changes) -> dict:
    return {"date": "2026-01-10", "due_date": "2027-01-09", "result": "pass",
            "certificate_number": "JL-2026-0110", "provider": "天津市计量监督检测科学研究院",
            "certificate": SimpleUploadedFile("JL-2026-0110.pdf", PDF, "application/pdf"),
            **changes}


def test_a_calibration_with_its_certificate(staff, instrument) -> None:
    client = _client(staff["manager"])
    url = f"/instruments/{instrument.asset_number}/calibrations/"
    assert client.post(url + "new/", _form()).status_code == 302
    calibration = Calibration.objects.get(certificate_number="JL-2026-0110")
    assert calibration.certificate.sha256 == hashlib.sha256(PDF).hexdigest()
    assert calibration.certificate.content_type == "application/pdf"
    download = client.get(f"{url}{calibration.pk}/certificate/")
    assert (download.status_code, download.content) == (200, PDF)
    assert "JL-2026-0110.pdf" in client.get(url).content.decode()


@pytest.mark.parametrize(("changes", "message"), [
    ({"due_date": "2026-01-09"}, "The due date must be after the calibration date."),
    ({"date": "10/01/2026"}, "Calibration date: “10/01/2026” is not a date (YYYY-MM-DD)."),
    ({"certificate": SimpleUploadedFile("cert.docx", b"PK\x03\x04word", "application/msword")},
     "“cert.docx” is not a PDF or an image (PNG, JPEG)."),
    ({"certificate": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * DOCUMENT_MAX_BYTES)},
     "“big.pdf” is 10.0 MB: files up to 10 MB are accepted."),
])
def test_bad_calibrations_are_refused_and_nothing_is_stored(staff, instrument, changes,
                                                            message) -> None:
    before = (Calibration.objects.count(), RawFile.objects.count())
    response = _client(staff["manager"]).post(
        f"/instruments/{instrument.asset_number}/calibrations/new/", _form(**changes),
        HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 422
    assert message in body
    assert 'value="JL-2026-0110"' in body  # what was typed is kept
    assert (Calibration.objects.count(), RawFile.objects.count()) == before


def test_an_intermediate_check_on_screen(staff, instrument) -> None:
    response = _client(staff["analyst"]).post(
        f"/instruments/{instrument.asset_number}/checks/new/",
        {"date": "2026-02-01", "result": "pass", "note": "Standard 10 µg/L: 98.7 %"})
    assert response.status_code == 302
    check = IntermediateCheck.objects.get()
    assert (str(check.date), check.result, check.recorded_by) == (
        "2026-02-01", "pass", staff["analyst"])


def test_an_analyst_may_not_record_a_calibration(staff, instrument) -> None:
    response = _client(staff["analyst"]).post(
        f"/instruments/{instrument.asset_number}/calibrations/new/", _form())
    assert response.status_code == 403
    assert not Calibration.objects.filter(certificate_number="JL-2026-0110").exists()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _check_form(**changes) -> dict:
    return {"date": "2026-02-01", "result": "pass", "note": "Standard 10 µg/L: 98.7 %",
            "certificate": SimpleUploadedFile("check-0201.png", PNG, "image/png"), **changes}


def test_an_intermediate_check_with_its_certificate(staff, instrument) -> None:
    client = _client(staff["analyst"])
    url = f"/instruments/{instrument.asset_number}/"
    assert client.post(url + "checks/new/", _check_form()).status_code == 302
    check = IntermediateCheck.objects.get()
    assert (check.certificate.sha256, check.certificate.content_type) == (
        hashlib.sha256(PNG).hexdigest(), "image/png")
    download = client.get(f"{url}checks/{check.pk}/certificate/")
    assert (download.status_code, download.content) == (200, PNG)
    assert download["Content-Disposition"] == 'inline; filename="check-2026-02-01"'
    assert "check-0201.png" in client.get(url + "calibrations/").content.decode()


def test_a_check_without_a_certificate_has_nothing_to_download(staff, instrument) -> None:
    client = _client(staff["analyst"])
    url = f"/instruments/{instrument.asset_number}/"
    client.post(url + "checks/new/", _check_form(certificate=""))
    check = IntermediateCheck.objects.get()
    assert check.certificate is None
    assert client.get(f"{url}checks/{check.pk}/certificate/").status_code == 404
    assert client.get(f"{url}checks/99999/certificate/").status_code == 404


@pytest.mark.parametrize(("changes", "message"), [
    ({"certificate": SimpleUploadedFile("check.docx", b"PK\x03\x04word", "application/msword")},
     "“check.docx” is not a PDF or an image (PNG, JPEG)."),
    ({"certificate": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * DOCUMENT_MAX_BYTES)},
     "“big.pdf” is 10.0 MB: files up to 10 MB are accepted."),
    ({"date": "2999-01-01"}, "The check date is in the future."),
    ({"date": "1/2/2026"}, "Check date: “1/2/2026” is not a date (YYYY-MM-DD)."),
    ({"result": "maybe"}, "Unknown check result “maybe”."),
])
def test_bad_checks_are_refused_and_nothing_is_stored(staff, instrument, changes,
                                                      message) -> None:
    before = (IntermediateCheck.objects.count(), RawFile.objects.count())
    response = _client(staff["analyst"]).post(
        f"/instruments/{instrument.asset_number}/checks/new/", _check_form(**changes),
        HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert (response.status_code, message in body) == (422, True)
    assert 'value="Standard 10 µg/L: 98.7 %"' in body  # what was typed is kept
    assert (IntermediateCheck.objects.count(), RawFile.objects.count()) == before
