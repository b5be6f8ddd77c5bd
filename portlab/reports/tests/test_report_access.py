"""Who may download a report, and the signatory's page for issuing, amending, revoking."""

from django.test import Client

from conftest import PASSWORD, make_user
from portlab.accounts.models import Role, User
from portlab.accounts.services import enterprise_create
from portlab.intake.models import Application
from portlab.reports.models import Report


def _login(user: User) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_the_enterprise_downloads_its_own_report(
        staff: dict[str, User], issued_report: Report) -> None:
    response = _login(staff["customer"]).get(
        f"/reports/{issued_report.number}/v{issued_report.version}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == \
        f'attachment; filename="{issued_report.number}-v1.pdf"'
    assert response.content[:5] == b"%PDF-"


def test_another_enterprise_gets_not_found(staff: dict[str, User],
                                           issued_report: Report) -> None:
    other = enterprise_create(actor=staff["admin"], credit_code="91330100799655058B",
                              name_zh="阿里巴巴(中国)有限公司")
    stranger = make_user("stranger", Role.ENTERPRISE_USER, other)
    client = _login(stranger)
    assert client.get(f"/reports/{issued_report.number}/v1.pdf").status_code == 404
    assert client.get("/reports/TJ-TC-1999-000001/v1.pdf").status_code == 404
    assert Client().get(f"/reports/{issued_report.number}/v1.pdf").status_code == 302


def test_signatory_previews_issues_corrects_and_revokes_from_the_page(
        staff: dict[str, User], approved_application: Application, keys_dir) -> None:
    client = _login(staff["signatory"])
    page = client.get("/reports/")
    assert list(page.context["to_report"]) == [approved_application]
    number = approved_application.number
    preview = client.get(f"/reports/issue/{number}/preview/?language=en")
    digest = preview.context["preview"].digest
    assert len(preview.context["pages"]) >= 1 and preview.context["pages"][0].startswith(
        "data:image/png;base64,")
    pdf = client.get(f"/reports/issue/{number}/preview.pdf?language=en")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    response = client.post(f"/reports/issue/{number}/",
                           {"language": "en", "password": PASSWORD}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Open the preview and check the report before signing it."]
    response = client.post(f"/reports/issue/{number}/", {
        "language": "en", "password": PASSWORD, "preview_digest": digest}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Report issued and signed."]
    report = Report.objects.get()
    assert list(client.get("/reports/").context["to_report"]) == []
    form = client.get(f"/reports/{report.number}/v1/amend/")
    assert [choice.printed for choice in form.context["form"].results()] == ["0.041 mg/kg"]
    refused = client.post(f"/reports/{report.number}/v1/amend/",
                          {"reason": "", "application:goods_description": "Brown rice"})
    assert (refused.status_code, refused.context["error"]) == (422, "Give the reason.")
    assert 'value="Brown rice"' in refused.content.decode()  # what was typed is kept
    response = client.post(f"/reports/{report.number}/v1/amend/", {
        "reason": "Typo in goods", "application:goods_description": "Brown rice"}, follow=True)
    assert "The correction is open" in str(list(response.context["messages"])[0])
    response = client.post(f"/reports/{report.number}/v1/revoke/", {"reason": ""}, follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Give the reason."]
    client.post(f"/reports/{report.number}/v1/revoke/", {"reason": "Issued in error"})
    assert list(Report.objects.values_list("version", "status")) == [(1, "revoked")]


def test_the_signature_refuses_when_the_content_changed_after_the_preview(
        staff: dict[str, User], approved_application: Application, keys_dir) -> None:
    client = _login(staff["signatory"])
    number = approved_application.number
    digest = client.get(f"/reports/issue/{number}/preview/?language=en").context[
        "preview"].digest
    Application.objects.filter(pk=approved_application.pk).update(goods_description="Changed")
    response = client.post(f"/reports/issue/{number}/", {
        "language": "en", "password": PASSWORD, "preview_digest": digest}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "The report's content changed after your preview; nothing was issued. Open the "
        "preview again, check it and sign."]
    assert response.context["preview"].digest != digest  # the new preview is shown
    assert Report.objects.count() == 0


def test_the_application_snippet_lists_its_reports(staff: dict[str, User],
                                                   issued_report: Report) -> None:
    from django.template.loader import render_to_string

    html = render_to_string("reports/application_reports.html",
                            {"application": issued_report.application, "held_roles": set()})
    assert f"/reports/{issued_report.number}/v1.pdf" in html


def test_api_issues_for_a_signatory_only(staff: dict[str, User],
                                         approved_application: Application, keys_dir) -> None:
    customer = _login(staff["customer"])
    path = f"/api/v1/applications/{approved_application.number}/report"
    refused = customer.post(path, {"language": "en"}, content_type="application/json")
    assert refused.status_code == 403
    signatory = _login(staff["signatory"])
    issued = signatory.post(path, {"language": "en", "password": PASSWORD},
                            content_type="application/json")
    assert (issued.status_code, issued.json()["version"], issued.json()["status"]) == (
        200, 1, "issued")
    listed = customer.get("/api/v1/reports").json()
    assert [row["number"] for row in listed] == [issued.json()["number"]]
