"""Risk fixtures: an officer, a rice risk profile, and declarations as the customs system sends."""

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD, make_user
from portlab.accounts.models import Role, User
from portlab.network.models import Capability, Method, Standard, TestItem
from portlab.risk.configuration import risk_profile_set


@pytest.fixture(autouse=True)
def risk_urls(settings, tmp_path):
    settings.ROOT_URLCONF = "portlab.risk.tests.urls"
    settings.PORTLAB_MODELS_DIR = tmp_path / "models"
    settings.PORTLAB_RISK_SEED = "test-seed"


TEST_RATE = Decimal("7.1")  # yuan per dollar in every test month; not a published rate


def add_rates(currency: str = "USD", rate: Decimal = TEST_RATE,
              years: tuple[int, ...] = (2024, 2025, 2026, 2027)) -> None:
    """One customs rate per month of these years (the first day of each month)."""
    from datetime import date

    from django.utils import timezone

    from portlab.risk.models import ExchangeRate

    ExchangeRate.objects.bulk_create([
        ExchangeRate(currency=currency, valid_from=date(year, month, 1), rate=rate,
                     source="test", updated_at=timezone.now())
        for year in years for month in range(1, 13)])


@pytest.fixture(autouse=True)
def dollar_rates(request) -> None:
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
    else:
        return
    add_rates()


@pytest.fixture
def officer(db) -> User:
    return make_user("officer", Role.RISK_OFFICER, None)


@pytest.fixture
def officer_client(officer) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.login(username="officer", password=PASSWORD)
    return client


def add_capability(lab, code: str, accredited: bool = True) -> TestItem:
    standard, _ = Standard.objects.get_or_create(code=f"STD {code}", defaults={"name_zh": code})
    method, _ = Method.objects.get_or_create(code=f"M {code}", standard=standard,
                                             defaults={"technique": "ICP-MS"})
    item, _ = TestItem.objects.get_or_create(code=code, defaults={"name_zh": code,
                                                                  "name_en": code})
    Capability.objects.create(lab=lab, test_item=item, method=method, accredited=accredited,
                              unit="mg/kg", price=Decimal("100"), turnaround_days=5,
                              daily_capacity=20)
    return item


@pytest.fixture
def rice_profile(officer, lab, lead, rice):
    for code in ("CD", "AS-I", "AFB1"):
        add_capability(lab, code)
    return risk_profile_set(actor=officer, hs_prefix="1006",
                            test_item_codes=["PB", "CD", "AS-I", "AFB1"],
                            product_category_code="RICE")


def declaration_data(**changes: Any) -> dict[str, Any]:
    data = {
        "number": "020220261000000001", "declared_on": "2026-03-02", "office": "0202",
        "declarant": "D-TJ-01", "importer_code": "914403001922038216",
        "importer_name": "华为技术有限公司", "seller": "Thai Rice Export Co",
        "hs_code": "1006302000", "goods_description": "泰国茉莉香米",
        "origin_country": "TH", "departure_country": "TH", "transport_mode": "sea",
        "tax_type": "101", "tax_rate": "1", "net_mass_kg": "25000", "value": "21000",
        "currency": "USD",
    }  # fmt: skip
    data.update(changes)
    return data


HEADER = ("number,declared_on,office,declarant,importer_code,importer_name,seller,hs_code,"
          "goods_description,origin_country,departure_country,transport_mode,tax_type,tax_rate,"
          "net_mass_kg,value,currency,nonconforming")
RISKY_IMPORTER = "1201960RSK"


def history_csv(count: int, *, seed: int = 0, labelled: bool = True, start: int = 1) -> str:
    """Labelled history where one importer and Vietnamese rice carry most nonconformities."""
    import numpy as np

    rng = np.random.default_rng(seed)
    lines = [HEADER]
    for index in range(start, start + count):
        importer = RISKY_IMPORTER if rng.random() < 0.2 else f"1201960A{rng.integers(0, 9)}0"
        hs_code = ["1006302000", "0201300000", "8471300000"][rng.integers(0, 3)]
        origin = ["TH", "VN", "US"][rng.integers(0, 3)]
        risky = importer == RISKY_IMPORTER or (hs_code.startswith("1006") and origin == "VN")
        label = str(int(rng.random() < (0.7 if risky else 0.05))) if labelled else ""
        month, day = 1 + index * 11 // (start + count), 1 + index % 28
        lines.append(
            f"{index:018d},2025-{month:02d}-{day:02d},0202,D{rng.integers(0, 4)},{importer},,"
            f"S{rng.integers(0, 6)},{hs_code},,{origin},{origin},sea,101,"
            f"{rng.choice([0, 1, 5])},{rng.uniform(100, 9000):.1f},{rng.uniform(1e3, 9e4):.2f},"
            f"USD,{label}")
    return "\n".join(lines) + "\n"
