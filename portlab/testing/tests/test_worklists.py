"""Worklists: filters, order, pages, and bulk actions that do the others and list a refusal."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD
from portlab.intake.services import SampleInput, application_register
from portlab.network.models import Capability
from portlab.testing import services
from portlab.testing.models import Review, Test
from portlab.testing.reception import sample_receive
from portlab.testing.results import ResultInput
from portlab.testing.worklists import QUEUES, WorklistFilter, read_filter


def login(user, language: str = "en") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def three_tests(staff, lab, lead, rice, enterprise) -> list[Test]:
    """Three received lead tests, waiting for an analyst, due on three different days."""
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="大米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id], product_category=rice,
        samples=[SampleInput(description=f"大米 {n}") for n in range(3)])
    for sample in application.samples.order_by("number"):
        sample_receive(actor=staff["clerk"], sample=sample)
    tests = list(Test.objects.order_by("sample__number"))
    today = timezone.localdate()
    for days, test in zip((-2, 3, 1), tests, strict=True):
        Test.objects.filter(pk=test.pk).update(due_date=today + dt.timedelta(days=days))
    return list(Test.objects.order_by("sample__number"))


def rows_in(page: str, tests: list[Test]) -> list[int]:
    """The tests' positions in the page's table, in the order they appear."""
    found = [(page.index(f'data-test="{t.pk}"'), t.pk) for t in tests
             if f'data-test="{t.pk}"' in page]
    return [pk for _, pk in sorted(found)]


def test_read_filter_keeps_what_it_cannot_read_as_problems() -> None:
    chosen = read_filter({"status": "approved", "due_by": "2026-13-01", "sort": "-item",
                          "lab": "x", "page": "0"}, QUEUES["assign"])
    assert chosen == WorklistFilter(status="pending", sort="item", descending=True,
                                    problems=(("status", "approved"), ("due_by", "2026-13-01")))
    assert chosen.query(page=2) == "status=pending&sort=-item&page=2"
    assert read_filter({"sort": "password"}, QUEUES["review"]).sort == "due"


def test_assignment_list_sorts_by_due_date_and_highlights_the_overdue(staff, three_tests):
    page = login(staff["manager"]).get("/testing/assignment/").content.decode()
    first, second, third = three_tests
    assert rows_in(page, three_tests) == [first.pk, third.pk, second.pk]
    assert f'id="test-{first.pk}" data-test="{first.pk}" class="overdue"' in page
    assert f'id="test-{third.pk}" data-test="{third.pk}">' in page
    newest_due_first = login(staff["manager"]).get("/testing/assignment/?sort=-due").content
    assert rows_in(newest_due_first.decode(), three_tests) == [second.pk, third.pk, first.pk]


def test_filters_overdue_due_by_and_test_item(staff, three_tests, lead) -> None:
    client = login(staff["manager"])
    overdue = client.get("/testing/assignment/?overdue=1").content.decode()
    assert rows_in(overdue, three_tests) == [three_tests[0].pk]
    due_by = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page = client.get(f"/testing/assignment/?due_by={due_by}").content.decode()
    assert rows_in(page, three_tests) == [three_tests[0].pk, three_tests[2].pk]
    assert rows_in(client.get(f"/testing/assignment/?item={lead.pk + 99}").content.decode(),
                   three_tests) == []


def test_a_date_that_is_no_date_is_named_and_not_applied(staff, three_tests) -> None:
    page = login(staff["manager"], "zh-hans").get("/testing/assignment/?due_by=31.12.").content
    assert "截止日期不晚于：“31.12.” 不是日期（YYYY-MM-DD），未按它筛选。" in page.decode()
    assert len(rows_in(page.decode(), three_tests)) == 3


def test_pages_of_fifty_with_links_that_keep_the_filter(staff, three_tests, lead) -> None:
    template = three_tests[0]
    Test.objects.bulk_create(
        Test(sample=template.sample, test_item=lead, capability=template.capability,
             lab=template.lab, due_date=template.due_date, created_at=timezone.now())
        for _ in range(50))
    client = login(staff["manager"])
    first = client.get("/testing/assignment/?overdue=1").content.decode()
    assert "51 tests · page 1 of 2" in first
    assert 'href="?status=pending&amp;overdue=1&amp;sort=due&amp;page=2#worklist"' in first
    second = client.get("/testing/assignment/?overdue=1&page=2").content.decode()
    assert second.count('name="test" value=') == 1


def test_bulk_assign_does_the_others_and_lists_another_labs_test(staff, three_tests,
                                                                 other_lab) -> None:
    foreign = Test.objects.create(
        sample=three_tests[0].sample, test_item=three_tests[0].test_item, lab=other_lab,
        capability=Capability.objects.get(), due_date=timezone.localdate(),
        created_at=timezone.now())
    ticked = [three_tests[0], three_tests[1], foreign]
    manager = login(staff["manager"])
    response = manager.post("/testing/assignment/batch/", {
        "analyst": staff["analyst"].pk, "test": [t.pk for t in ticked],
        **{f"version_{t.pk}": t.version for t in ticked}, "next": "overdue=1"})
    assert response.status_code == 302
    assert response["Location"] == "/testing/assignment/?status=pending&overdue=1&sort=due#worklist"
    page = manager.get(response["Location"]).content.decode()
    assert "2 test(s) assigned." in page
    assert f"Test {foreign.pk} not done: Not found." in page
    statuses = dict(Test.objects.values_list("pk", "status"))
    assert [statuses[t.pk] for t in [*three_tests, foreign]] == [
        "assigned", "assigned", "pending", "pending"]


def test_bulk_assign_without_a_ticked_test_changes_nothing(staff, three_tests) -> None:
    client = login(staff["manager"])
    client.post("/testing/assignment/batch/", {"analyst": staff["analyst"].pk})
    assert "Tick the tests first." in client.get("/testing/assignment/").content.decode()
    assert set(Test.objects.values_list("status", flat=True)) == {"pending"}


@pytest.fixture
def resulted(staff, three_tests) -> list[Test]:
    for test in three_tests:
        services.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
        services.result_enter(actor=staff["analyst"], test=test,
                              data=ResultInput(kind="numeric", value="0.041"))
    return list(Test.objects.order_by("sample__number"))


def test_bulk_review_signs_once_and_lists_the_stale_one(staff, resulted) -> None:
    stale = resulted[1]
    response = login(staff["reviewer"], "zh-hans").post("/testing/review/batch/", {
        "test": [t.pk for t in resulted], "password": PASSWORD,
        **{f"version_{t.pk}": t.version - (t == stale) for t in resulted}}, follow=True)
    page = response.content.decode()
    assert "2 项检测已复核（一次签名）。" in page
    assert f"{stale.sample.number} · 铅 未办理：检测任务 {stale.pk} 在您打开后已被修改" in page
    assert list(Test.objects.order_by("sample__number").values_list("status", flat=True)) == [
        "reviewed", "resulted", "reviewed"]
    assert staff["reviewer"].signatures.count() == 2


def test_bulk_review_with_a_wrong_password_does_nothing(staff, resulted) -> None:
    response = login(staff["reviewer"]).post("/testing/review/batch/", {
        "test": [t.pk for t in resulted], "password": "wrong",
        **{f"version_{t.pk}": t.version for t in resulted}}, follow=True)
    assert response.status_code == 200
    assert set(Test.objects.values_list("status", flat=True)) == {"resulted"}
    assert not Review.objects.exists()


def test_a_returned_test_shows_why_and_who_in_the_analysts_list(staff, resulted) -> None:
    test = resulted[0]
    services.test_review(actor=staff["reviewer"], test=test, decision="return",
                         expected_version=test.version, comment="空白值偏高，请重测")
    page = login(staff["analyst"]).get("/testing/mine/").content.decode()
    assert "Returned</span> by reviewer: “空白值偏高，请重测”" in page
    assert page.count('class="badge returned"') == 1
