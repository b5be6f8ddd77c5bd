"""Network search reads a question: test item and product, in Chinese, English or pinyin."""

from decimal import Decimal

import pytest

from portlab.network.models import Capability, Method, ProductCategory, Specification, TestItem
from portlab.network.search import NetworkSearch, network_capability_search, understand


@pytest.fixture
def catalog(lab, lead, rice):
    """Lead (铅) and cadmium (镉) at the lab; rice (大米) has a lead limit; milk powder (乳粉)
    has a cadmium limit."""
    cadmium = TestItem.objects.create(code="CD", name_zh="镉", name_en="Cadmium", unit="mg/kg")
    Capability.objects.create(lab=lab, test_item=cadmium, method=Method.objects.get(),
                              accredited=False, unit="mg/kg", price=Decimal("110"),
                              turnaround_days=5, daily_capacity=40)
    milk = ProductCategory.objects.create(code="MILK-POWDER", name_zh="乳粉",
                                          name_en="Milk powder")
    Specification.objects.create(product_category=milk, test_item=cadmium, limit_high=0.05,
                                 unit="mg/kg", source_standard=Specification.objects.get()
                                 .source_standard)
    return {"lead": lead, "cadmium": cadmium, "rice": rice, "milk": milk}


def items_found(text: str, accredited: bool | None = None) -> list[str]:
    rows = network_capability_search(NetworkSearch(text, "", accredited))
    return sorted({row.test_item.code for row in rows})


@pytest.mark.parametrize("question", ["铅 大米", "铅大米", "大米中的铅", "lead rice",
                                      "Lead in rice", "qian dm", "PB"])
def test_lead_in_rice_is_understood(catalog, question: str) -> None:
    assert items_found(question) == ["PB"]


def test_the_question_names_items_products_and_what_it_did_not_understand(catalog) -> None:
    understood = understand("铅 大米 xyz")
    assert understood.item_ids == {catalog["lead"].id}
    assert understood.product_ids == {catalog["rice"].id}
    assert understood.unknown == ["xyz"]


def test_a_product_alone_finds_the_items_it_has_limits_for(catalog) -> None:
    assert items_found("乳粉") == ["CD"]
    assert items_found("rf") == ["CD"]  # pinyin initials of 乳粉
    assert items_found("milk powder") == ["CD"]


def test_accreditation_filter_applies_to_the_question(catalog) -> None:
    assert items_found("铅 镉") == ["CD", "PB"]
    assert items_found("铅 镉", accredited=True) == ["PB"]


def test_nothing_understood_finds_nothing(catalog) -> None:
    assert items_found("zzz") == []
    assert items_found("x") == []
