"""POST /api/v1/declarations: a declaration in, a decision out, or a clear refusal."""

import json

from django.test import Client

from portlab.audit.models import AuditEvent
from portlab.risk.configuration import sampling_rate_set
from portlab.risk.models import Declaration, RiskScore, Selection
from portlab.risk.tests.conftest import declaration_data

URL = "/api/v1/declarations"


def post(client: Client, data: dict, language: str = "en") -> tuple[int, dict]:
    response = client.post(URL, json.dumps(data), content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE=language)
    return response.status_code, response.json()


def test_declaration_gets_a_score_a_lane_and_reasons(officer_client, enterprise) -> None:
    status, body = post(officer_client, declaration_data())
    assert status == 201
    assert body["number"] == "020220261000000001"
    assert body["credit_grade"] == "general"
    assert body["model_version"] is None
    assert body["model_probability"] == 0.05
    assert body["score"] == 0.05
    assert body["lane"] in ("release", "sample", "physical")
    assert body["reasons"] == [{"kind": "model", "weight": None,
                                "text": "No trained model yet: every declaration starts at 5%."}]
    declaration = Declaration.objects.get()
    assert declaration.importer == enterprise
    assert declaration.selection.seed == "test-seed"
    assert body["draw"] == declaration.selection.draw
    actions = list(AuditEvent.objects.values_list("action", flat=True).order_by("id"))
    assert actions[-2:] == ["declaration_register", "declaration_decide"]


def test_same_seed_gives_the_same_draw_and_lane(officer_client, enterprise) -> None:
    first = post(officer_client, declaration_data())[1]
    Declaration.objects.all().delete()
    second = post(officer_client, declaration_data())[1]
    assert (first["draw"], first["lane"], first["basis"]) == (
        second["draw"], second["lane"], second["basis"])


def test_rate_zero_releases_after_document_review(officer, officer_client, enterprise) -> None:
    sampling_rate_set(actor=officer, hs_chapter="10", credit_grade="general", rate=0.0)
    status, body = post(officer_client, declaration_data())
    assert (status, body["lane"], body["basis"], body["target_rate"]) == (
        201, "release", "released", 0.0)


def test_bad_field_is_named_and_nothing_is_written(officer_client) -> None:
    before = AuditEvent.objects.count()
    status, body = post(officer_client, declaration_data(net_mass_kg="-3"))
    assert (status, body) == (400, {"detail": "net_mass_kg: must be greater than 0, got -3.",
                                    "field": "net_mass_kg"})
    status, body = post(officer_client, declaration_data(hs_code="9912345678"))
    assert body["detail"] == ("hs_code: HS chapter 99 does not exist (chapters are 01-97, 77 is "
                              "unused).")
    assert Declaration.objects.count() == RiskScore.objects.count() == 0
    assert AuditEvent.objects.count() == before


def test_error_is_in_the_users_language(officer_client) -> None:
    status, body = post(officer_client, declaration_data(origin_country="XX"), "zh-hans")
    assert status == 400
    assert body["detail"] == "origin_country：“XX”不是 ISO 3166 两位国家代码。"


def test_numbers_may_be_sent_as_json_numbers(officer_client) -> None:
    status, body = post(officer_client, declaration_data(net_mass_kg=250.5, value=990,
                                                         tax_rate=0))
    assert status == 201
    assert str(Declaration.objects.get().net_mass_kg) == "250.500"


def test_duplicate_number_is_refused(officer_client) -> None:
    post(officer_client, declaration_data())
    status, body = post(officer_client, declaration_data())
    assert (status, body["field"]) == (400, "number")
    assert body["detail"] == "Declaration 020220261000000001 is already registered."
    assert Selection.objects.count() == 1


def test_only_risk_officers_may_submit(staff) -> None:
    client = Client()
    client.force_login(staff["clerk"])
    status, body = post(client, declaration_data())
    assert (status, body) == (403, {
        "detail": "You need the role “Risk officer / Administrator” for this."})
    assert Client().post(URL, "{}", content_type="application/json").status_code == 401


def test_decision_can_be_read_back_and_labelled(officer_client) -> None:
    post(officer_client, declaration_data())
    body = officer_client.get(f"{URL}/020220261000000001").json()
    assert body["nonconforming"] is None
    response = officer_client.post(
        f"{URL}/020220261000000001/label",
        json.dumps({"nonconforming": True, "reason": "", "version": body["version"]}),
        content_type="application/json")
    assert response.json() == {"detail": "Give the reason for the label (e.g. the inspection "
                                         "record).", "field": "reason"}
    response = officer_client.post(
        f"{URL}/020220261000000001/label",
        json.dumps({"nonconforming": True, "reason": "Physical inspection record 17",
                    "version": body["version"]}),
        content_type="application/json")
    assert response.json()["nonconforming"] is True
    stale = officer_client.post(
        f"{URL}/020220261000000001/label",
        json.dumps({"nonconforming": False, "reason": "Second look",
                    "version": body["version"]}),
        content_type="application/json")
    assert (stale.status_code, stale.json()["field"]) == (409, "version")
    assert Declaration.objects.get().nonconforming is True
    assert Declaration.objects.get().label_source == "officer"
    assert officer_client.get(f"{URL}/000000000000000000").status_code == 404


def test_an_imported_declaration_not_yet_decided_answers_without_a_lane(officer_client) -> None:
    from portlab.risk.importing import declarations_import
    from portlab.risk.tests.conftest import history_csv

    declarations_import(actor=None, text=history_csv(1))
    response = officer_client.get(f"{URL}/000000000000000001")
    assert response.status_code == 200
    body = response.json()
    assert (body["number"], body["score"], body["lane"], body["reasons"]) == (
        "000000000000000001", None, None, [])
