"""`portlab generate --national`: the national network with a fraction of its history, loaded
with COPY on PostgreSQL (refused, with the reason, elsewhere)."""

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.utils import timezone

from portlab.demo.national import generate_national
from portlab.instruments.models import Instrument, Telemetry, TelemetrySample
from portlab.intake.models import Application, Sample
from portlab.network.models import Capability, District, Lab
from portlab.testing.models import Test

ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.mark.skipif(ON_POSTGRESQL, reason="refused only where COPY is missing")
def test_national_is_refused_on_sqlite_with_the_reason(db) -> None:
    with pytest.raises(CommandError, match="PostgreSQL's COPY: set DATABASE_URL"):
        call_command("generate", "--national", "--scale", "0.001")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="COPY is PostgreSQL's")
def test_scale_out_of_range_is_refused(db) -> None:
    with pytest.raises(CommandError, match="--scale must be above 0 and at most 1, got 1.5"):
        call_command("generate", "--national", "--scale", "1.5")
    assert not Lab.objects.exists()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="COPY is PostgreSQL's")
def test_a_ten_thousandth_of_the_national_year(db) -> None:
    done = generate_national(scale=0.0001, prefix="T")
    assert (done.labs, done.samples, done.tests, done.instruments) == (1370, 834, 5004, 16)
    assert (District.objects.count(), Lab.objects.count()) == (42, 1370)
    assert Capability.objects.count() == done.capabilities == 1370 * 258
    assert (Application.objects.count(), Sample.objects.count(), Test.objects.count()) == (
        834, 834, 5004)
    # every test is done by its sample's lab with a capability of that lab
    assert not Test.objects.exclude(capability__lab_id=F("lab_id")).exists()
    assert not Test.objects.exclude(sample__application__lab_id=F("lab_id")).exists()
    assert (Instrument.objects.count(), Telemetry.objects.count()) == (16, 16)
    yesterday = timezone.now().astimezone(dt.UTC).date() - dt.timedelta(days=1)
    with connection.cursor() as cursor:
        cursor.execute("SELECT tableoid::regclass::text, COUNT(*), MIN(at), MAX(at) "
                       "FROM instruments_telemetrysample GROUP BY 1")
        partition, count, first, last = cursor.fetchone()
    assert partition == f"instruments_telemetrysample_p{yesterday:%Y%m%d}"
    assert count == done.telemetry_samples == 16 * 288 == TelemetrySample.objects.count()
    start = dt.datetime.combine(yesterday, dt.time.min, tzinfo=dt.UTC)
    assert (first, last) == (start, start + dt.timedelta(hours=23, minutes=55))
    # ids came from the tables' own sequences: the ORM goes on after them
    assert Application.objects.create(
        number="AFTER", enterprise_id=Application.objects.first().enterprise_id,
        lab=Lab.objects.first(), goods_description="x", hs_code="1006302000",
        purpose="import", submitted_by_id=Application.objects.first().submitted_by_id,
        submitted_at=timezone.now()).pk > Application.objects.exclude(number="AFTER").latest(
        "pk").pk
