from django.urls import reverse
from freezegun import freeze_time

from portlab.intake.services import SampleInput, application_register
from portlab.network.models import Capability
from portlab.portal.hs_codes import hs_code_search, hs_codes
from portlab.portal.tests.conftest import client_for
from portlab.testing.reception import sample_receive


def test_hs_table_has_about_two_hundred_well_formed_codes() -> None:
    rows = hs_codes()
    assert len(rows) >= 200
    assert len({row.code for row in rows}) == len(rows)
    assert all(len(row.code) == 10 and row.code.isdigit() and row.name_zh and row.name_en
               for row in rows)


def test_hs_codes_found_by_digits_chinese_and_english() -> None:
    assert [row.code for row in hs_code_search("100630")] == ["1006301000", "1006302000"]
    assert "1006302000" in [row.code for row in hs_code_search("大米")]
    assert [row.code for row in hs_code_search("soy sauce")] == ["2103100000"]
    assert hs_code_search("  ") == []


def test_hs_lookup_endpoint(staff) -> None:
    response = client_for(staff["customer"]).get(reverse("lookup_hs_codes"), {"q": "蜂蜜"})
    assert response.json() == {"results": [
        {"code": "0409000000", "name_zh": "天然蜂蜜", "name_en": "Natural honey"}]}


def test_catalog_search_is_limited_to_the_lab_with_price_and_turnaround(
        staff, lab, other_lab, lead, salmonella) -> None:
    client = client_for(staff["customer"])
    rows = client.get(reverse("lookup_capabilities"), {"lab": lab.pk, "q": "铅"}).json()
    assert rows == {"results": [{"test_item": lead.pk, "code": "PB", "name": "Lead",
                                 "standard": "GB 5009.12-2023", "accredited": True,
                                 "price": "120.00", "turnaround_days": 5}]}
    english = client.get(reverse("lookup_capabilities"), {"lab": lab.pk, "q": "salmon"}).json()
    assert [row["code"] for row in english["results"]] == ["SALMONELLA"]
    elsewhere = client.get(reverse("lookup_capabilities"), {"lab": other_lab.pk, "q": "铅"})
    assert elsewhere.json() == {"results": []}
    missing = client.get(reverse("lookup_capabilities"), {"q": "铅"})
    assert (missing.status_code, missing.json()["field"]) == (400, "lab")


@freeze_time("2026-03-06 10:00:00+08:00")  # a working day, 7.5 of the lab's 9 hours left
def test_quote_endpoint_counts_the_queue(staff, enterprise, lab, lead, salmonella) -> None:
    Capability.objects.filter(test_item=lead).update(daily_capacity=2)
    queued = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab, goods_description="大米",
        hs_code="1006302000", purpose="import", test_item_ids=[lead.id],
        samples=[SampleInput("1"), SampleInput("2"), SampleInput("3")])
    for sample in queued.samples.all():
        sample_receive(actor=staff["clerk"], sample=sample)
    data = client_for(staff["customer"]).get(reverse("lookup_quote"), {
        "lab": lab.pk, "items": [lead.pk, salmonella.pk], "samples": "4"}).json()
    assert data["lines"] == [
        {"test_item": lead.pk, "name": "Lead", "price": "120.00", "turnaround_days": 5,
         "backlog": 3, "queue_days": 3},
        {"test_item": salmonella.pk, "name": "Salmonella", "price": "150.00",
         "turnaround_days": 5, "backlog": 0, "queue_days": 0}]
    # 2 lead tests a day (still 2 today): the 3 waiting, then the 4 new samples, done on days
    # 6, 7, 7 and 8; salmonella's 4 on day 5. Each test late as DEFAULT_LATENESS says: all 8
    # done by day 8 with chance 0.40, by day 9 with 0.60: the median is day 9
    assert (data["samples"], data["total_price"], data["working_days"]) == (4, "1080.00", 9)


def test_lookups_need_a_login(db) -> None:
    from django.test import Client

    for name in ("lookup_hs_codes", "lookup_capabilities", "lookup_quote"):
        assert Client().get(reverse(name)).status_code == 302
