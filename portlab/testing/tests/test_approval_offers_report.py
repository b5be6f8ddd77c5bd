"""An approval that completes an application offers its report preview directly (#12): one page
load fewer from approval to issued report; an approval that completes nothing offers nothing."""

from django.test import Client

from conftest import PASSWORD, SIGNED
from portlab.intake.services import SampleInput, application_register
from portlab.testing import services
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.testing.results import ResultInput


def login(user) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _reviewed_application(staff, lab, lead, rice, enterprise):
    """A two-sample application whose two tests are reviewed, waiting for approval."""
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="泰国茉莉香米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id], product_category=rice,
        samples=[SampleInput(description="大米 2 kg"), SampleInput(description="大米 1 kg")])
    for sample in application.samples.all():
        sample_receive(actor=staff["clerk"], sample=sample)
    tests = list(Test.objects.filter(sample__application=application).order_by("sample__number"))
    for test in tests:
        services.test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"],
                    expected_version=test.version)
        services.result_enter(actor=staff["analyst"], test=test,
                     data=ResultInput(kind="numeric", value="0.041", uncertainty="0.006"))
        services.test_review(actor=staff["reviewer"], test=test, decision="accept",
                    expected_version=test.version, credential=SIGNED)
    return application, tests


def _approve(client: Client, tests: list[Test], password: str = PASSWORD) -> str:
    form = {"test": [t.pk for t in tests], "decision": "accept", "password": password,
            "next": "", **{f"version_{t.pk}": t.version for t in tests}}
    return client.post("/testing/approval/batch/", form, follow=True).content.decode()


def test_the_approval_that_completes_an_application_links_to_its_preview(
        staff, lab, lead, rice, enterprise) -> None:
    application, tests = _reviewed_application(staff, lab, lead, rice, enterprise)
    link = f'href="/reports/issue/{application.number}/preview/"'
    signatory = login(staff["signatory"])
    first = _approve(signatory, tests[:1])
    assert "1 test(s) approved under one signature." in first
    assert link not in first  # one sample still waits: nothing to report yet
    second = _approve(signatory, [Test.objects.get(pk=tests[1].pk)])
    assert f"Application {application.number} is approved in full." in second
    assert second.count(link) == 1 and "Preview and issue" in second


def test_a_single_approval_on_its_row_offers_the_preview_too(
        staff, lab, lead, rice, enterprise) -> None:
    application, tests = _reviewed_application(staff, lab, lead, rice, enterprise)
    signatory = login(staff["signatory"])
    _approve(signatory, tests[:1])
    last = Test.objects.get(pk=tests[1].pk)
    page = signatory.post(f"/testing/tests/{last.pk}/approve/", {
        "decision": "accept", "version": last.version, "password": PASSWORD}, follow=True)
    assert f'href="/reports/issue/{application.number}/preview/"' in page.content.decode()


def test_a_refused_approval_offers_nothing(staff, lab, lead, rice, enterprise) -> None:
    application, tests = _reviewed_application(staff, lab, lead, rice, enterprise)
    page = _approve(login(staff["signatory"]), tests, password="wrong")
    assert "/preview/" not in page and "approved in full" not in page
    assert set(Test.objects.values_list("status", flat=True)) == {"reviewed"}


def _approve_and_preview(client: Client, tests: list[Test], password: str = PASSWORD):
    form = {"test": [t.pk for t in tests], "decision": "accept", "password": password,
            "next": "", "then": "preview", **{f"version_{t.pk}": t.version for t in tests}}
    return client.post("/testing/approval/batch/", form)


def test_accept_and_preview_opens_the_preview_of_the_application_it_completes(
        staff, lab, lead, rice, enterprise) -> None:
    """One page load fewer again: the approval's answer is the report preview itself, with
    the form to sign and issue; the approval is signed and recorded as by the other button."""
    application, tests = _reviewed_application(staff, lab, lead, rice, enterprise)
    signatory = login(staff["signatory"])
    first = _approve_and_preview(signatory, tests[:1])  # completes nothing: back to the list
    assert first["Location"] == "/testing/approval/?status=reviewed&sort=due#worklist"
    second = _approve_and_preview(signatory, [Test.objects.get(pk=tests[1].pk)])
    assert second["Location"] == f"/reports/issue/{application.number}/preview/"
    assert set(Test.objects.values_list("status", flat=True)) == {"approved"}


def test_accept_and_preview_refused_stays_on_the_list(staff, lab, lead, rice, enterprise) -> None:
    application, tests = _reviewed_application(staff, lab, lead, rice, enterprise)
    refused = _approve_and_preview(login(staff["signatory"]), tests, password="wrong")
    assert refused["Location"] == "/testing/approval/?status=reviewed&sort=due#worklist"
    assert set(Test.objects.values_list("status", flat=True)) == {"reviewed"}
