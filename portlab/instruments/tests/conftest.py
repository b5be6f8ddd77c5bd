"""Instrument fixtures, built through the real services."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from conftest import make_user
from portlab.accounts.models import User
from portlab.instruments.models import Instrument
from portlab.instruments.services import (
    calibration_record,
    instrument_register,
    instrument_token_create,
)
from portlab.intake.services import SampleInput, application_register
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.testing.services import test_assign

EXTERNAL_USER = "external_user"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def register(staff, lab, asset_number: str = "TJ-ICPMS-01", **details) -> Instrument:
    defaults = {"manufacturer": "Agilent", "model": "7900", "serial_number": "JP17400123",
                "location": "B2-105", "value": Decimal("2800000"), "is_large": True,
                "shareable": True, "hourly_rate": Decimal("480"),
                "calibration_interval_days": 365, "check_interval_days": 90}
    return instrument_register(actor=staff["manager"], lab=lab, asset_number=asset_number,
                               name="ICP-MS", instrument_type="ICP-MS",
                               **{**defaults, **details})


def calibrate(staff, instrument: Instrument, days_ago: int = 10, result: str = "pass"):
    return calibration_record(
        actor=staff["manager"], instrument=instrument,
        date=timezone.localdate() - dt.timedelta(days=days_ago),
        certificate_number=f"JL-{instrument.asset_number}-{days_ago}",
        provider="天津市计量监督检测科学研究院", result=result)


@pytest.fixture
def instrument(staff, lab) -> Instrument:
    instrument = register(staff, lab)
    calibrate(staff, instrument)
    return instrument


@pytest.fixture
def agent_token(instrument) -> str:
    return instrument_token_create(actor=None, instrument=instrument)


@pytest.fixture
def outsider(db) -> User:
    return make_user("outsider", EXTERNAL_USER, None)


def make_assigned_tests(staff, lab, lead, rice, enterprise, barcodes: list[str]) -> list[Test]:
    """One received sample per barcode, each with its lead test assigned to the analyst."""
    application = application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab,
        goods_description="泰国茉莉香米", hs_code="1006302000", purpose="import",
        test_item_ids=[lead.id], samples=[SampleInput(description=f"大米 {b}") for b in barcodes],
        product_category=rice)
    tests = []
    for sample, barcode in zip(application.samples.order_by("number"), barcodes, strict=True):
        sample_receive(actor=staff["clerk"], sample=sample, barcode=barcode)
        test = Test.objects.get(sample=sample)
        test_assign(actor=staff["manager"], test=test, analyst=staff["analyst"])
        tests.append(test)
    return tests


@pytest.fixture(autouse=True)
def raw_files_in_a_temporary_store(file_store):
    """Uploaded result files go to a fresh file store, not the developer's var/."""
    return file_store
