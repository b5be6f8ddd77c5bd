"""The risk officer's board and declaration page."""

from django.test import Client

from portlab.risk.configuration import risk_rule_create
from portlab.risk.importing import declarations_import
from portlab.risk.models import RiskRule
from portlab.risk.services import declaration_submit
from portlab.risk.tests.conftest import declaration_data, history_csv
from portlab.risk.training import model_train_from_history


def test_board_shows_lanes_rates_models_and_decisions(officer, officer_client) -> None:
    declarations_import(actor=None, text=history_csv(300))
    model_train_from_history(rounds=20)
    risk_rule_create(actor=officer, explanation="Rice from Vietnam", weight=0.7,
                     hs_prefixes="1006", countries="VN")
    declaration_submit(actor=officer, data=declaration_data())
    page = officer_client.get("/risk/").content.decode()
    assert "Declarations by lane" in page
    assert "<svg" in page and "Release after document review" in page
    assert "Rice from Vietnam" in page
    assert '<a href="/risk/declarations/020220261000000001/">' in page
    assert "Hold-out metrics by model version" in page


def test_declaration_page_shows_score_lane_and_reasons(officer, officer_client) -> None:
    risk_rule_create(actor=officer, explanation="Thai rice: cadmium alerts", weight=1.0,
                     hs_prefixes="1006", countries="TH")
    declaration = declaration_submit(actor=officer, data=declaration_data())
    page = officer_client.get("/risk/declarations/020220261000000001/").content.decode()
    assert "Thai rice: cadmium alerts" in page
    assert declaration.selection.get_lane_display() in page
    assert "12.5%" in page  # logistic(logit(0.05) + 1.0) = 0.1252


def test_board_is_for_risk_officers_only(staff) -> None:
    client = Client()
    client.force_login(staff["clerk"])
    assert client.get("/risk/").status_code == 403
    admin = Client()
    admin.force_login(staff["admin"])
    assert admin.get("/risk/").status_code == 200
    assert Client().get("/risk/").status_code == 302


def test_rule_form_adds_a_rule_or_names_the_problem(officer_client) -> None:
    response = officer_client.post("/risk/rules/new/", {
        "explanation": "Bad pattern", "weight": "1", "hs_prefixes": "10x6"}, follow=True)
    assert "hs_prefixes: HS code pattern “10x6” must be 2 to 10 digits" in (
        response.content.decode())
    assert RiskRule.objects.count() == 0
    officer_client.post("/risk/rules/new/", {"explanation": "Frozen beef, low value",
                                             "weight": "0.5", "hs_prefixes": "0201 0202",
                                             "unit_value_max": "2"})
    rule = RiskRule.objects.get()
    assert (rule.hs_prefixes, rule.countries, str(rule.unit_value_max)) == (
        ["0201", "0202"], [], "2.00")


def test_board_speaks_chinese_by_default(officer) -> None:
    client = Client()
    client.force_login(officer)
    page = client.get("/risk/").content.decode()
    assert "风险分析" in page and "审单放行" in page
