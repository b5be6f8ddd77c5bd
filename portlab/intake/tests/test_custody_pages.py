"""The custody pages and the reception extras, through the client as lab staff."""

import subprocess

import pytest
from django.test import Client
from django.utils import timezone

from portlab.intake import custody
from portlab.intake.models import SampleMove
from portlab.intake.services import SampleInput, samples_add
from portlab.testing.reception import sample_receive


def pdf_pages(pdf: bytes) -> list[str]:
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, check=True,
                          capture_output=True).stdout.decode()
    return text.split("\f")[:-1]  # pdftotext ends every page with a form feed


@pytest.fixture
def clerk(staff) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(staff["clerk"])
    return client


def test_reception_searches_by_filing_date(clerk, application) -> None:
    day = timezone.localdate(application.submitted_at).isoformat()  # the lab's day
    found = clerk.get("/intake/reception/", {"from": day, "to": day})
    assert found.context["count"] == 1
    none = clerk.get("/intake/reception/", {"from": "2001-01-01", "to": "2001-01-02"})
    assert none.context["count"] == 0
    bad = clerk.get("/intake/reception/", {"from": "2026-13-01", "q": "茉莉"})
    assert bad.context["date_error"] == "From: “2026-13-01” is not a date (YYYY-MM-DD)."
    assert 'value="2026-13-01"' in bad.content.decode() and bad.context["count"] == 1
    reversed_ = clerk.get("/intake/reception/", {"from": "2026-03-02", "to": "2026-03-01"})
    assert "ends before it starts" in reversed_.context["date_error"]


def test_labels_of_the_chosen_samples_print_as_one_pdf(staff, clerk, application) -> None:
    samples_add(actor=staff["clerk"], application=application,
                samples=[SampleInput(f"大米 {n}") for n in range(15)])
    numbers = list(application.samples.order_by("number").values_list("number", flat=True))
    response = clerk.get("/intake/labels.pdf", {"sample": numbers})
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 2  # 16 labels, 14 to a sheet
    assert numbers[0] in pages[0] and numbers[13] in pages[0] and numbers[15] in pages[1]


def test_no_label_chosen_is_an_error(clerk) -> None:
    response = clerk.get("/intake/labels.pdf", {"sample": "S1999000001"}, follow=True)
    assert "Tick the samples" in response.content.decode()


def test_scan_page_moves_and_keeps_what_was_scanned_on_error(staff, lab, clerk,
                                                            application) -> None:
    sample = sample_receive(actor=staff["clerk"], sample=application.samples.get())
    fridge = custody.storage_location_create(actor=staff["manager"], lab=lab, kind="fridge",
                                             name="留样冰箱")
    wrong = clerk.post("/intake/custody/", {"scan": sample.number, "location": "LNOPE-1"})
    page = wrong.content.decode()
    assert "No storage location has the code “LNOPE-1”." in page
    assert f'value="{sample.number}"' in page and not SampleMove.objects.exists()
    moved = clerk.post("/intake/custody/", {"scan": sample.number.lower(),
                                            "location": fridge.code.lower()}, follow=True)
    assert f"{sample.number} is now at 留样冰箱." in moved.content.decode()
    timeline = clerk.get(f"/intake/samples/{sample.number}/").content.decode()
    assert "留样冰箱" in timeline and "Moved" in timeline
