import re

from django.test import Client
from django.urls import reverse

from portlab.testing.reception import sample_receive


def look_up(client: Client, number: str, code: str):
    return client.post(reverse("progress_lookup"), {"number": number, "query_code": code})


def without_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_number_and_query_code_show_statuses_and_dates_only(staff, application) -> None:
    sample = application.samples.get()
    sample_receive(actor=staff["clerk"], sample=sample)
    response = look_up(Client(headers={"accept-language": "en"}), application.number,
                       application.query_code.upper())
    page = response.content.decode()
    assert response.status_code == 200
    assert f"Application {application.number}" in page
    assert f"Sample {sample.number}" in page
    assert page.count('data-step="received"') == 2 and page.count("step-current") == 2
    for secret in ("泰国茉莉香米", "大米 2 kg", "Huawei", "华为", "clerk", "Lead", "铅",
                   application.query_code, "Tianjin"):
        assert secret not in page


def test_wrong_code_looks_exactly_like_an_unknown_number(staff, application) -> None:
    client = Client(headers={"accept-language": "en"})
    wrong = look_up(client, application.number, "0123456789abcdef")
    unknown = look_up(client, "A2099999999", application.query_code)
    assert wrong.status_code == unknown.status_code == 200
    assert "No application matches this number and query code." in wrong.content.decode()
    assert without_token(wrong.content.decode()).replace(application.number, "N") == (
        without_token(unknown.content.decode()).replace("A2099999999", "N"))


def test_lookups_are_rate_limited_per_address(db, settings) -> None:
    settings.PORTLAB_RATE_LIMITS = {"progress": (3, 600)}
    client = Client(headers={"accept-language": "zh-hans"})
    for _attempt in range(3):
        assert look_up(client, "A2026000001", "x").status_code == 200
    blocked = look_up(client, "A2026000001", "x")
    assert blocked.status_code == 429
    assert "来自您地址的请求过多，请在" in blocked.content.decode()
    assert 0 < int(blocked["Retry-After"]) <= 600
    other = Client(REMOTE_ADDR="10.0.0.2")
    assert look_up(other, "A2026000001", "x").status_code == 200


def test_progress_page_opens_without_login(db) -> None:
    assert Client().get(reverse("progress_lookup")).status_code == 200
