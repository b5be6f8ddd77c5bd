"""`portlab generate --national`: the national network with a fraction of its history, loaded
inside PostgreSQL (refused, with the reason, elsewhere)."""

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
from portlab.testing.rollup import sample_progress

ON_POSTGRESQL = connection.vendor == "postgresql"


@pytest.mark.skipif(ON_POSTGRESQL, reason="refused only off PostgreSQL")
def test_national_is_refused_on_sqlite_with_the_reason(db) -> None:
    with pytest.raises(CommandError, match="inside PostgreSQL: set DATABASE_URL"):
        call_command("generate", "--national", "--scale", "0.001")


@pytest.mark.skipif(not ON_POSTGRESQL, reason="made inside PostgreSQL")
def test_scale_out_of_range_is_refused(db) -> None:
    with pytest.raises(CommandError, match="--scale must be above 0 and at most 1, got 1.5"):
        call_command("generate", "--national", "--scale", "1.5")
    assert not Lab.objects.exists()


@pytest.mark.skipif(not ON_POSTGRESQL, reason="made inside PostgreSQL")
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
    _assert_history_consistent()
    _assert_telemetry_cumulative()
    # ids came from the tables' own sequences: the ORM goes on after them
    assert Application.objects.create(
        number="AFTER", enterprise_id=Application.objects.first().enterprise_id,
        lab=Lab.objects.first(), goods_description="x", hs_code="1006302000",
        purpose="import", submitted_by_id=Application.objects.first().submitted_by_id,
        submitted_at=timezone.now()).pk > Application.objects.exclude(number="AFTER").latest(
        "pk").pk


def _assert_history_consistent() -> None:
    """What the product reads of the generated history holds together."""
    assert not Test.objects.exclude(test_item_id=F("capability__test_item_id")).exists()
    tests: dict[int, list[Test]] = {}
    for test in Test.objects.select_related("capability"):
        tests.setdefault(test.sample_id, []).append(test)
    now = timezone.now()
    for sample in Sample.objects.select_related("application"):
        own = tests[sample.pk]
        assert len({test.capability_id for test in own}) == 6
        assert sample.status == sample.application.status == sample_progress(
            [test.status for test in own])
        assert sample.application.lab_id == own[0].lab_id
        for test in own:
            assert test.created_at == sample.received_at == sample.application.submitted_at
            assert test.due_date == (test.created_at + dt.timedelta(
                days=test.capability.turnaround_days)).astimezone(dt.UTC).date()
            if test.status == Test.Status.APPROVED:
                assert test.created_at < test.completed_at <= now
            else:
                assert test.completed_at is None
    statuses = set(Test.objects.values_list("status", flat=True))
    assert Test.Status.APPROVED in statuses and len(statuses) > 1
    assert len(set(Application.objects.values_list("query_code", flat=True))) == 834


def _assert_telemetry_cumulative() -> None:
    """Each instrument's injections count its running slots so far; its current row is its
    last sample."""
    samples: dict[int, list[TelemetrySample]] = {}
    for sample in TelemetrySample.objects.order_by("instrument_id", "at"):
        samples.setdefault(sample.instrument_id, []).append(sample)
    for instrument_id, day in samples.items():
        running = 0
        for sample in day:
            running += sample.state == "running"
            assert sample.counters == {"injections": running}
        current = Telemetry.objects.get(instrument_id=instrument_id)
        assert (current.state, current.counters, current.last_seen) == (
            day[-1].state, day[-1].counters, day[-1].at)
