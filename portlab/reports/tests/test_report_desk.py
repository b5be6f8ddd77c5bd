"""The report desk's list of applications waiting for a report: filters (lab, applicant,
approved since), sorting and paging 50 a page, and the reading of a bad query string."""

import datetime as dt

from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from portlab.accounts.models import User
from portlab.accounts.services import enterprise_create
from portlab.intake.models import Application, Status
from portlab.reports.desk import DeskFilter, read_desk_filter
from portlab.reports.models import Report


def _login(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _waiting(lab, enterprise, user, count: int) -> list[Application]:
    """`count` applications already approved (their approval itself is not the point here)."""
    now = timezone.now()
    return Application.objects.bulk_create(
        Application(number=f"TJ-TC-2026-9{n:05d}", enterprise=enterprise, lab=lab,
                    goods_description=f"大米 {n}", hs_code="1006302000", purpose="import",
                    status=Status.APPROVED, submitted_by=user,
                    submitted_at=now - dt.timedelta(days=1, minutes=n))
        for n in range(count))


def test_the_query_string_is_read_and_written_back() -> None:
    chosen = read_desk_filter({"lab": "3", "enterprise": "7", "approved_since": "2026-11-01",
                               "sort": "-enterprise", "page": "2"})
    assert chosen == DeskFilter(lab=3, enterprise=7, approved_since=dt.date(2026, 11, 1),
                                sort="enterprise", descending=True, page=2)
    assert chosen.query() == "lab=3&enterprise=7&approved_since=2026-11-01&sort=-enterprise&page=2"
    assert chosen.sorted_by("enterprise") == \
        "lab=3&enterprise=7&approved_since=2026-11-01&sort=enterprise"


def test_unreadable_values_are_named_and_not_applied() -> None:
    chosen = read_desk_filter({"lab": "abc", "enterprise": "-1", "approved_since": "2026-13-01",
                               "sort": "password", "page": "x"})
    assert chosen == DeskFilter(problems=(("approved_since", "2026-13-01"), ("lab", "abc"),
                                          ("enterprise", "-1")))


def test_the_desk_pages_50_at_a_time_without_overlap(staff, lab, enterprise,
                                                     approved_application) -> None:
    _waiting(lab, enterprise, staff["customer"], 54)
    client = _login(staff["signatory"])
    first = client.get("/reports/?sort=application")
    second = client.get("/reports/?sort=application&page=2")
    numbers = [a.number for a in first.context["to_report"]]
    numbers += [a.number for a in second.context["to_report"]]
    assert (len(first.context["to_report"]), len(second.context["to_report"])) == (50, 5)
    assert numbers == sorted(Application.objects.filter(status=Status.APPROVED)
                             .values_list("number", flat=True))
    assert 'rel="next"' in first.content.decode() and "55 applications" in first.content.decode()


def test_the_desk_filters_by_approval_date_applicant_and_lab(
        staff, lab, other_lab, enterprise, approved_application) -> None:
    other = enterprise_create(actor=staff["admin"], credit_code="91330100799655058B",
                              name_zh="阿里巴巴(中国)有限公司")
    _waiting(lab, other, staff["customer"], 2)
    client = _login(staff["signatory"])
    today, tomorrow = timezone.localdate(), timezone.localdate() + dt.timedelta(days=1)

    def shown(query: str) -> list[str]:
        return [a.number for a in client.get(f"/reports/?{query}").context["to_report"]]

    # Only the application approved through the services has an approval to date it.
    assert shown(f"approved_since={today}") == [approved_application.number]
    assert shown(f"approved_since={tomorrow}") == []
    assert shown(f"enterprise={other.pk}&sort=application") == [
        "TJ-TC-2026-900000", "TJ-TC-2026-900001"]
    assert shown(f"enterprise={enterprise.pk}") == [approved_application.number]
    assert shown(f"lab={other_lab.pk}") == []  # a lab where the signatory does not sign
    assert shown("sort=-approved")[0] == approved_application.number


def test_a_bad_filter_is_named_and_the_whole_list_shown(staff, approved_application) -> None:
    response = _login(staff["signatory"]).get("/reports/?approved_since=yesterday&lab=x")
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Approved since: “yesterday” is not a date (YYYY-MM-DD); the filter was not applied.",
        "Lab: “x” is not a lab; the filter was not applied."]
    assert [a.number for a in response.context["to_report"]] == [approved_application.number]
    assert 'value="yesterday"' not in response.content.decode()


def test_issued_reports_page_50_at_a_time_newest_first(staff, issued_report) -> None:
    """The issued list was cut at 200 rows; now every report is reachable, page by page, and
    the desk's own page stays where it was."""
    fields = {name: getattr(issued_report, name) for name in (
        "application", "lab", "issued_by", "key_id", "payload", "conclusion", "pdf_sha256",
        "pdf")}
    Report.objects.bulk_create(
        Report(number=f"TJ-TC-R-9{n:04d}", issued_at=issued_report.issued_at
               - dt.timedelta(hours=n + 1), **fields) for n in range(54))
    client = _login(staff["signatory"])
    first = client.get("/reports/?page=1&sort=application")
    second = client.get("/reports/?sort=application&reports_page=2")
    shown = [r.number for r in first.context["reports"]] + [
        r.number for r in second.context["reports"]]
    assert (len(first.context["reports"]), len(second.context["reports"])) == (50, 5)
    assert shown == [issued_report.number] + [f"TJ-TC-R-9{n:04d}" for n in range(54)]
    assert 'href="?sort=application&amp;reports_page=2#issued" rel="next"' in first.text
    assert "55 reports · page 2 of 2" in second.text
    assert client.get("/reports/?reports_page=x").context["reports_page"].number == 1


def test_the_query_string_keeps_the_issued_reports_page() -> None:
    chosen = read_desk_filter({"page": "3", "reports_page": "2"})
    assert (chosen.page, chosen.reports_page) == (3, 2)
    assert chosen.query() == "sort=approved&page=3&reports_page=2"
    assert chosen.sorted_by("application") == "sort=application&reports_page=2"
