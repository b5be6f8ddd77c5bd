"""Network fixtures: a second district with a lab that can test lead, and its staff."""

from datetime import date
from decimal import Decimal

import pytest

from conftest import make_user
from portlab.accounts.models import Role, User
from portlab.network.agreements import agreement_create
from portlab.network.models import (
    Capability,
    District,
    Lab,
    Method,
    RecognitionAgreement,
    TestItem,
)
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive


@pytest.fixture
def beijing(db) -> District:
    return District.objects.create(code="0100", name_zh="北京海关", name_en="Beijing Customs",
                                   city="北京")


@pytest.fixture
def beijing_lab(beijing, lead) -> Lab:
    lab = Lab.objects.create(code="BJ-TC", district=beijing, kind=Lab.Kind.KEY,
                             cnas_number="CNAS L0123", name_zh="北京海关技术中心",
                             name_en="Beijing Customs Technology Center", city="北京")
    Capability.objects.create(lab=lab, test_item=lead, method=Method.objects.get(),
                              accredited=True, unit="mg/kg", price=Decimal("100"),
                              turnaround_days=3, daily_capacity=50)
    return lab


@pytest.fixture
def beijing_clerk(beijing_lab) -> User:
    return make_user("bjclerk", Role.RECEPTION_CLERK, beijing_lab)


@pytest.fixture
def agreement(staff, lab, beijing_lab, lead) -> RecognitionAgreement:
    """Tianjin's key lab accepts Beijing's lead results, 2020 to 2099."""
    return agreement_create(
        actor=staff["admin"], code="JJJ-2024-001", accepting=lab, performing=beijing_lab,
        scope=RecognitionAgreement.Scope.LISTED, test_items=[lead],
        valid_from=date(2020, 1, 1), valid_to=date(2099, 12, 31),
        document_reference="京津冀结果互认协议 2024 第1号")


@pytest.fixture
def pending_test(staff, application) -> Test:
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    return Test.objects.select_related("sample__application__lab", "test_item", "lab").get(
        sample__application=application)


def item(code: str) -> TestItem:
    return TestItem.objects.get(code=code)
