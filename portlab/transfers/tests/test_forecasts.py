"""The forecast kept at filing, the nightly lateness refit from completed tests, and the
predictions that use it.

Filed on Tuesday 2026-09-29 at 10:00, before the National Day holiday (10-01 to 10-07 off,
Saturday 10-10 worked): a lead test (5 working days' turnaround, 40 a day) is simulated to
complete on Monday 10-12 (09-30, 10-08, 10-09, 10-10, 10-12)."""

import io
import logging
from datetime import date, datetime

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation
from freezegun import freeze_time

from conftest import PASSWORD, run_queued_jobs
from portlab.audit.models import AuditEvent
from portlab.intake.services import SampleInput, application_register
from portlab.jobs.models import JobRun
from portlab.jobs.schedule import SCHEDULE, entry_run
from portlab.network.models import Capability
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.transfers import forecasts
from portlab.transfers.forecasts import forecast_record, lateness_refit
from portlab.transfers.models import Forecast, ForecastedTest, LatenessFit
from portlab.transfers.prediction import application_predicted_completion

FILED = "2026-09-29 10:00:00+08:00"
SHANGHAI = timezone.get_fixed_timezone(8 * 60)


def file(staff, enterprise, lab, items: list, samples: int = 1):
    return application_register(
        actor=staff["customer"], enterprise=enterprise, lab=lab,
        goods_description="泰国茉莉香米", hs_code="1006302000", purpose="import",
        test_item_ids=[item.id for item in items],
        samples=[SampleInput(description=f"大米 {n}") for n in range(samples)])


def file_and_forecast(capture, staff, enterprise, lab, items: list, samples: int = 1):
    """File on FILED, then let the worker keep the forecast (the job the filing queued)."""
    with freeze_time(FILED):
        with capture(execute=True):
            application = file(staff, enterprise, lab, items, samples)
        run_queued_jobs()
    return application


@pytest.fixture
def filed(staff, enterprise, lab, lead, django_capture_on_commit_callbacks):
    """An application of three lead samples, filed with its forecast kept."""
    return file_and_forecast(django_capture_on_commit_callbacks, staff, enterprise, lab, [lead],
                             samples=3)


def complete_on(staff, application, *days: date) -> None:
    """Receive each sample and complete its test on the day given, in sample order."""
    for sample, day in zip(application.samples.order_by("pk"), days, strict=True):
        with freeze_time(FILED):
            sample_receive(actor=staff["clerk"], sample=sample)
        Test.objects.filter(sample=sample).update(
            status=Test.Status.APPROVED, completed_at=datetime(day.year, day.month, day.day,
                                                               16, tzinfo=SHANGHAI))


def test_filing_keeps_the_forecast_shown(filed) -> None:
    forecast = Forecast.objects.get(application=filed)
    # the latest of three tests, each late by DEFAULT_LATENESS: by its day 0.745³ = 41 %, a
    # day later 0.847³ = 61 %; the interval's 0.86 is reached 4 working days later (0.894)
    assert (forecast.made_on, forecast.predicted_on, forecast.low, forecast.high) == (
        date(2026, 9, 29), date(2026, 10, 13), date(2026, 10, 12), date(2026, 10, 16))
    assert list(forecast.tests.order_by("sample_id").values_list(
        "sample__number", "test_item__code", "lab__code", "simulated_on")) == [
        (sample.number, "PB", "TJ-TC", date(2026, 10, 12))
        for sample in filed.samples.order_by("pk")]


def test_a_test_that_cannot_be_predicted_gets_no_simulated_day(
        staff, enterprise, lab, lead, salmonella, django_capture_on_commit_callbacks) -> None:
    Capability.objects.filter(test_item=salmonella).update(daily_capacity=0)
    application = file_and_forecast(django_capture_on_commit_callbacks, staff, enterprise, lab,
                                    [lead, salmonella])
    forecast = Forecast.objects.get(application=application)
    assert (forecast.predicted_on, forecast.low, forecast.high) == (None, None, None)
    assert list(forecast.tests.values_list("test_item__code", "simulated_on")) == [
        ("PB", date(2026, 10, 12))]


def test_nothing_predictable_keeps_nothing(staff, enterprise, lab, lead,
                                           django_capture_on_commit_callbacks) -> None:
    Capability.objects.filter(test_item=lead).update(daily_capacity=0)
    application = file_and_forecast(django_capture_on_commit_callbacks, staff, enterprise, lab,
                                    [lead])
    assert not Forecast.objects.filter(application=application).exists()


def test_filing_queues_the_forecast_and_does_not_wait_for_it(
        staff, enterprise, lab, lead, django_capture_on_commit_callbacks) -> None:
    with freeze_time(FILED), django_capture_on_commit_callbacks(execute=True):
        application = file(staff, enterprise, lab, [lead])
    assert not Forecast.objects.exists()
    run = JobRun.objects.get(kind="forecast_record")
    assert (run.state, run.params, run.started_by) == (
        "queued", {"application": application.pk}, None)


def test_a_failing_forecast_never_fails_the_filing(staff, enterprise, lab, lead, monkeypatch,
                                                   caplog,
                                                   django_capture_on_commit_callbacks) -> None:
    def broken(application):
        raise RuntimeError("queue unreadable")

    monkeypatch.setattr(forecasts, "application_predicted_completion", broken)
    with caplog.at_level(logging.ERROR):
        application = file_and_forecast(django_capture_on_commit_callbacks, staff, enterprise,
                                        lab, [lead])
    assert application.pk and not Forecast.objects.exists()
    run = JobRun.objects.get(kind="forecast_record")
    assert (run.state, run.message) == ("failed", "RuntimeError: queue unreadable")
    assert "forecast_record) failed" in caplog.text


def test_a_second_record_keeps_the_first(filed) -> None:
    assert forecast_record(filed) is None
    assert ForecastedTest.objects.count() == 3


def test_the_refit_counts_working_days_late_per_lab_and_network(staff, filed) -> None:
    # on its day (0); two working days late (10-13, 10-14: 2); early, on Friday 10-09 (the
    # Saturday 10-10 worked and Monday 10-12 still ahead: -2)
    complete_on(staff, filed, date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 9))
    with freeze_time("2026-10-20 02:30:00+08:00"):
        refits = lateness_refit(minimum=3)
    shares = [1 / 3, 0.0, 1 / 3, 0.0, 1 / 3] + [0.0] * 10
    assert [(r.lab and r.lab.code, r.stored.tests, r.stored.first, r.stored.shares,
             r.stored.low, r.stored.high) for r in refits] == [
        (None, 3, -2, shares, 0.21, 0.86), ("TJ-TC", 3, -2, shares, 0.21, 0.86)]
    assert refits[0].stored.fitted_at == datetime(2026, 10, 20, 2, 30, tzinfo=SHANGHAI)
    default = ("; the interval's levels stay the default (0.21–0.86): the last quarter of the "
               "completed applications holds 1, fewer than the 50 needed to calibrate them")
    assert [r.describe() for r in refits] == ["network: fitted on 3 completed tests" + default,
                                              "TJ-TC: fitted on 3 completed tests" + default]
    assert AuditEvent.objects.filter(action="lateness_fit").count() == 2


def test_an_open_or_retracted_test_is_not_counted(staff, filed) -> None:
    complete_on(staff, filed, date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 9))
    first, second, _third = filed.samples.order_by("pk")
    Test.objects.filter(sample=first).update(status=Test.Status.RETRACTED)
    Test.objects.filter(sample=second).update(status=Test.Status.REVIEWED, completed_at=None)
    [network] = lateness_refit(minimum=1)[:1]
    assert (network.stored.tests, network.stored.first, network.stored.shares[0]) == (1, -2, 1.0)


def test_fewer_tests_than_the_minimum_store_nothing_and_say_why(staff, filed) -> None:
    complete_on(staff, filed, date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 9))
    refits = lateness_refit(minimum=200)
    assert [r.stored for r in refits] == [None, None]
    assert refits[1].describe() == ("TJ-TC: no fit, 3 completed tests with a recorded "
                                    "forecast, fewer than the 200 needed")
    assert not LatenessFit.objects.exists()
    assert not AuditEvent.objects.filter(action="lateness_fit").exists()


def test_a_simulated_day_in_a_year_without_a_calendar_is_left_out(staff, filed) -> None:
    complete_on(staff, filed, date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 9))
    ForecastedTest.objects.filter(sample=filed.samples.order_by("pk").first()).update(
        simulated_on=date(2003, 6, 2))  # the official calendar starts in 2004
    network = lateness_refit(minimum=2)[0]
    assert (network.stored.tests, network.stored.first, network.stored.shares[:5]) == (
        2, -2, [0.5, 0.0, 0.0, 0.0, 0.5])
    assert network.describe() == (
        "network: fitted on 2 completed tests; the interval's levels stay the default "
        "(0.21–0.86): the last quarter of the completed applications holds 0, fewer than the 50 "
        "needed to calibrate them; 1 left out: no working-day calendar for 2003")


def test_a_refit_is_one_transaction(staff, filed, monkeypatch) -> None:
    complete_on(staff, filed, date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 9))
    calls = []

    def audit_fails_on_the_lab(**arguments):
        calls.append(arguments)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(forecasts, "audit_record", audit_fails_on_the_lab)
    with pytest.raises(RuntimeError):
        lateness_refit(minimum=3)
    assert not LatenessFit.objects.exists()  # the network's table went with the lab's


def test_the_levels_are_calibrated_on_the_last_completed_applications(
        staff, enterprise, lab, lead, django_capture_on_commit_callbacks) -> None:
    filed = [file_and_forecast(django_capture_on_commit_callbacks, staff, enterprise, lab,
                               [lead]) for _ in range(5)]
    # in filing order: on its day, a day late, on its day; the last quarter of the four
    # completed, a day late; the fifth, still open, counts nowhere
    for application, day in zip(filed, (12, 13, 12, 13), strict=False):
        complete_on(staff, application, date(2026, 10, day))
    with freeze_time("2026-10-20 02:30:00+08:00"):
        refits = lateness_refit(minimum=3, minimum_applications=1)
    stored = refits[0].stored
    # shares from the three before it: 2/3 on the day, 1/3 a day late; the last one is inside
    # for any `high` above 2/3 (done by the day before), so 100 % is the nearest to 80 %; of the
    # pairs with even tails, the first whose tails are exactly equal in floating point (1 - 0.88
    # is 0.12; 1 - 0.89 is not 0.11) is 0.12-0.88
    assert (stored.tests, stored.first, stored.shares[:3], stored.low, stored.high,
            stored.applications, stored.covered) == (3, 0, [2 / 3, 1 / 3, 0.0], 0.12, 0.88, 1,
                                                     1.0)
    assert refits[1].describe() == (
        "TJ-TC: fitted on 3 completed tests; the interval's levels 0.12–0.88 calibrated on the "
        "last quarter of the completed applications (1), covering 100.0 % of them")
    assert AuditEvent.objects.get(action="lateness_fit", entity_id=str(stored.pk)).after[
        "covered"] == 1.0


def test_the_nightly_refit_is_one_transaction(staff, filed, monkeypatch) -> None:
    complete_on(staff, filed, date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 9))

    def downtime_fails(**arguments):
        raise RuntimeError("status record unreadable")

    monkeypatch.setattr(forecasts, "downtime_refit", downtime_fails)
    with pytest.raises(RuntimeError):
        forecasts.prediction_refit(minimum=3)
    assert not LatenessFit.objects.exists()  # the lateness tables went with the downtime


def fit(lab, tests: int, first: int, shares: list[float], at: str) -> LatenessFit:
    return LatenessFit.objects.create(lab=lab, fitted_at=datetime.fromisoformat(at), tests=tests,
                                      first=first, shares=shares, low=0.21, high=0.86)


@freeze_time(FILED)
def test_the_prediction_uses_the_lab_s_newest_fit(application, lab, other_lab) -> None:
    fit(lab, 250, 0, [0.0, 1.0], "2026-09-20 02:30+08:00")  # superseded
    fit(lab, 412, 0, [0.0, 0.0, 1.0], "2026-09-28 02:30+08:00")  # two days late, always
    fit(None, 900, 0, [1.0], "2026-09-28 02:30+08:00")
    fit(other_lab, 300, 0, [1.0], "2026-09-28 02:30+08:00")
    prediction = application_predicted_completion(application)
    assert (prediction.date, prediction.low, prediction.high) == (
        date(2026, 10, 14), date(2026, 10, 14), date(2026, 10, 14))
    assert [b.fit.tests for b in prediction.lateness] == [412]
    page = Template("{% load prediction_tags %}{% predicted_completion application %}").render(
        Context({"application": application}))
    assert ("learned from 412 completed tests of Tianjin Customs Technology Center, fitted on "
            "2026-09-28") in page
    with translation.override("zh-hans"):
        page = Template("{% load prediction_tags %}{% predicted_completion application %}"
                        ).render(Context({"application": application}))
    assert "按天津海关技术中心 412 项已完成检测学习，拟合于 2026-09-28" in page


@freeze_time(FILED)
def test_without_a_lab_fit_the_network_s_then_the_default(application) -> None:
    fit(None, 900, 0, [0.0, 1.0], "2026-09-28 02:30+08:00")  # one day late, always
    prediction = application_predicted_completion(application)
    assert (prediction.date, prediction.high) == (date(2026, 10, 13), date(2026, 10, 13))
    page = Template("{% load prediction_tags %}{% predicted_completion application %}").render(
        Context({"application": application}))
    assert "learned from 900 completed tests of the network, fitted on 2026-09-28" in page
    LatenessFit.objects.all().delete()
    prediction = application_predicted_completion(application)
    assert (prediction.date, prediction.high) == (date(2026, 10, 12), date(2026, 10, 14))
    assert [b.fit for b in prediction.lateness] == [None]
    page = Template("{% load prediction_tags %}{% predicted_completion application %}").render(
        Context({"application": application}))
    assert "the default table (from generated history)" in page


@freeze_time(FILED)
def test_the_api_names_the_table(staff, application, lab) -> None:
    fit(lab, 412, 0, [0.0, 0.0, 1.0], "2026-09-28 02:30+08:00")
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    body = client.get(f"/api/v1/applications/{application.number}/prediction").json()
    assert (body["date"], body["lateness"]) == ("2026-10-14", [
        {"source": "lab", "lab": "TJ-TC", "tests": 412, "fitted_at": "2026-09-27T18:30:00Z"}])


def test_the_command_and_the_nightly_schedule(staff, filed) -> None:
    complete_on(staff, filed, date(2026, 10, 12), date(2026, 10, 14), date(2026, 10, 9))
    entry = next(entry for entry in SCHEDULE if entry.name == "lateness_fit")
    assert (entry.command, entry.trigger, entry.when) == ("lateness_fit", "cron",
                                                          {"hour": 2, "minute": 30})
    run = entry_run(entry)
    assert run.ok
    no_downtime = ("network: no downtime fit, 0 episodes out of service or under calibration, "
                   "fewer than the 10 needed\n")
    assert run.detail == ("network: no fit, 3 completed tests with a recorded forecast, fewer "
                          "than the 200 needed\nTJ-TC: no fit, 3 completed tests with a "
                          "recorded forecast, fewer than the 200 needed\n" + no_downtime)
    out = io.StringIO()
    call_command("lateness_fit", "--minimum", "3", "--minimum-applications", "1", stdout=out)
    # the one completed application is the whole calibration slice, with no test before it
    default = ("; the interval's levels stay the default (0.21–0.86): 0 completed tests filed "
               "before the last quarter of the completed applications, fewer than the 3 "
               "needed\n")
    assert out.getvalue() == ("network: fitted on 3 completed tests" + default
                              + "TJ-TC: fitted on 3 completed tests" + default + no_downtime)
    assert LatenessFit.objects.count() == 2

