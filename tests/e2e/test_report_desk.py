"""The report desk in the browser: approved applications waiting for a report, filtered by
applicant, paged 50 at a time, and "Preview and issue" still opening the preview to sign."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import SIGNED
from portlab.accounts.services import enterprise_create
from portlab.intake.models import Application, Status
from portlab.testing import services as testing
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.testing.results import ResultInput
from tests.e2e.test_report_verification import log_in

pytestmark = pytest.mark.e2e


def _approved(staff, application) -> None:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    test = Test.objects.get(sample__application=application)
    testing.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
    testing.result_enter(actor=staff["analyst"], test=test,
                         data=ResultInput(kind="numeric", value="0.041", uncertainty="0.006"))
    testing.test_review(actor=staff["reviewer"], test=test, decision="accept",
                        expected_version=test.version, credential=SIGNED)
    testing.test_approve(actor=staff["signatory"], test=test, decision="accept",
                         expected_version=test.version, credential=SIGNED)


def _waiting(lab, enterprise, user, first: int, count: int, goods: str) -> None:
    now = timezone.now()
    Application.objects.bulk_create(
        Application(number=f"TJ-TC-2026-9{n:05d}", enterprise=enterprise, lab=lab,
                    goods_description=f"{goods} {n}", hs_code="1006302000", purpose="import",
                    status=Status.APPROVED, submitted_by=user,
                    submitted_at=now - dt.timedelta(days=1, minutes=n))
        for n in range(first, first + count))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_signatory_filters_pages_and_previews_from_the_desk(
        live_server, browser, screenshots, staff, lab, enterprise, application,
        language) -> None:
    _approved(staff, application)
    importer = enterprise_create(actor=staff["admin"], credit_code="91330100799655058B",
                                 name_zh="阿里巴巴(中国)有限公司", name_en="Alibaba (China)")
    _waiting(lab, enterprise, staff["customer"], 0, 52, "泰国茉莉香米")
    _waiting(lab, importer, staff["customer"], 100, 3, "越南大米")
    url = live_server.url
    page = log_in(browser, url, "signatory", language)
    page.goto(f"{url}/reports/")
    rows = page.locator("#desk tr[data-application]")
    assert rows.count() == 50
    page.locator("nav.pager a[rel=next]").click()
    assert rows.count() == 6

    page.locator("select[name=enterprise]").select_option(str(importer.pk))
    page.locator("form.filters button").click()
    page.wait_for_load_state()
    assert [rows.nth(n).get_attribute("data-application") for n in range(rows.count())] == [
        "TJ-TC-2026-900100", "TJ-TC-2026-900101", "TJ-TC-2026-900102"]
    suffix = "en" if language == "en" else "zh"
    page.screenshot(path=screenshots / f"report-desk.{suffix}.png", full_page=True)

    page.goto(f"{url}/reports/?approved_since={timezone.localdate().isoformat()}")
    assert rows.count() == 1
    page.locator(f"form[action='/reports/issue/{application.number}/preview/'] button").click()
    page.wait_for_url(f"{url}/reports/issue/{application.number}/preview/*")
    assert page.locator(f"form[action='/reports/issue/{application.number}/']").count() == 1
