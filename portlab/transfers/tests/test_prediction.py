"""Predicted completion from the database: one date model for the quote and the application
page, capacity per capability and instrument, working days, and the states without a date.

The clock is fixed on Tuesday 2026-09-29, just before the National Day holiday (10-01 to 10-07
off, Saturday 10-10 worked, from the State Council's 2026 notice), at 10:00 in a lab working
08:30-17:30: 7.5 of the day's 9 working hours, so 17 of a capability's 20 tests, are left."""

from datetime import date, datetime, time, timedelta

import pytest
from django.template import Context, Template
from django.test import Client
from django.utils import timezone, translation
from freezegun import freeze_time

from conftest import PASSWORD
from portlab.instruments.models import Instrument
from portlab.intake.models import Sample
from portlab.network.models import Capability, Method, Standard, TestItem
from portlab.portal.quote import application_quote
from portlab.testing.models import Test
from portlab.testing.reception import sample_receive
from portlab.transfers.models import DowntimeFit
from portlab.transfers.prediction import application_predicted_completion
from portlab.transfers.queue_simulation import RETURN_DAYS
from portlab.transfers.selectors import DowntimeBasis

SHANGHAI = timezone.get_fixed_timezone(8 * 60)


@pytest.fixture(autouse=True)
def tuesday_before_national_day():
    with freeze_time("2026-09-29 10:00:00+08:00"):
        yield


def waiting_ahead(application, capability: Capability, count: int) -> None:
    """`count` received tests of another application, waiting before this one."""
    other = application.__class__.objects.get(pk=application.pk)
    other.pk, other.number = None, "A-AHEAD"
    other.save()
    sample = Sample.objects.create(number="S-AHEAD", application=other, description="queue")
    Test.objects.bulk_create(
        Test(sample=sample, test_item=capability.test_item, capability=capability,
             lab=capability.lab, status="pending", due_date=date(2026, 10, 30),
             created_at=application.submitted_at - timedelta(hours=1))
        for _ in range(count))


def quote_for(application):
    return application_quote(lab=application.lab, test_item_ids=[
        application.items.get().test_item_id], sample_count=1, requires_accreditation=True,
        today=timezone.localdate())


def test_quote_and_application_page_show_the_same_date(application) -> None:
    quote = quote_for(application)
    prediction = application_predicted_completion(application)
    # starts today, 5 working days: 09-30, 10-08, 10-09, 10-10 (worked Saturday), 10-12
    assert quote.completion_date == prediction.date == date(2026, 10, 12)
    # one test: 74 % of tests finish by their simulated day, 85 % a day later, 93 % two days
    # later (DEFAULT_LATENESS; the interval's levels 0.21 and 0.86): 10-12 to 10-14
    assert (quote.completion_low, quote.completion_high) == (date(2026, 10, 12),
                                                             date(2026, 10, 14))
    assert (prediction.low, prediction.high, prediction.provisional) == (
        date(2026, 10, 12), date(2026, 10, 14), False)
    page = Template("{% load prediction_tags %}{% predicted_completion application %}").render(
        Context({"application": application}))
    assert '<span id="prediction_date">2026-10-12</span>' in page


def test_the_queue_per_capability_delays_the_date(staff, application, lead) -> None:
    capability = Capability.objects.get(lab=application.lab, test_item=lead)
    Capability.objects.filter(pk=capability.pk).update(daily_capacity=20)
    waiting_ahead(application, capability, 45)
    # 17 start today, 20 on 09-30, the last 8 and this one on 10-08: + 5 → 10-14
    assert quote_for(application).completion_date == date(2026, 10, 14)
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    prediction = application_predicted_completion(application)
    assert [(f.basis, f.date) for f in prediction.tests] == [("queue", date(2026, 10, 14))]
    assert prediction.date == date(2026, 10, 14)


def test_an_urgent_application_goes_before_the_normal_queue(staff, application, lead) -> None:
    from portlab.intake.services import application_set_priority

    capability = Capability.objects.get(lab=application.lab, test_item=lead)
    Capability.objects.filter(pk=capability.pk).update(daily_capacity=20)
    waiting_ahead(application, capability, 45)
    assert application_predicted_completion(application).date == date(2026, 10, 14)
    application_set_priority(actor=staff["clerk"], application=application, priority=1)
    # urgent: starts today before the 45 waiting, + 5 working days → 10-12 (the quote, made
    # before a clerk set the priority, stays the normal 10-14)
    assert application_predicted_completion(application).date == date(2026, 10, 12)
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    assert application_predicted_completion(application).date == date(2026, 10, 12)
    assert quote_for(application).completion_date == date(2026, 10, 14)


def test_urgent_tests_filed_later_go_before_a_normal_application(staff, application,
                                                                lead) -> None:
    from portlab.intake.models import Application

    capability = Capability.objects.get(lab=application.lab, test_item=lead)
    Capability.objects.filter(pk=capability.pk).update(daily_capacity=20)
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    later = Application.objects.get(pk=application.pk)
    later.pk, later.number, later.priority = None, "A-LATER", Application.Priority.NORMAL
    later.save()
    sample = Sample.objects.create(number="S-LATER", application=later, description="queue")
    Test.objects.bulk_create(
        Test(sample=sample, test_item=lead, capability=capability, lab=capability.lab,
             status="pending", due_date=date(2026, 10, 30),
             created_at=timezone.now() + timedelta(hours=1)) for _ in range(25))
    # normal: ours came first, starts today → 10-12
    assert application_predicted_completion(application).date == date(2026, 10, 12)
    Application.objects.filter(pk=later.pk).update(priority=Application.Priority.URGENT)
    # the 25 urgent ones go first: 17 today, 8 and ours on 09-30, + 5 working days → 10-13
    assert application_predicted_completion(application).date == date(2026, 10, 13)


def arsenic_on_shared_instrument(application, lead) -> tuple[Capability, Instrument]:
    standard = Standard.objects.create(code="GB 5009.11-2024", name_zh="食品中总砷的测定")
    method = Method.objects.create(code="GB 5009.11-2024 ICP-MS", standard=standard,
                                   technique="ICP-MS")
    arsenic = Capability.objects.create(
        lab=application.lab, method=method, unit="mg/kg", price=100, turnaround_days=4,
        daily_capacity=100, test_item=TestItem.objects.create(code="AS", name_zh="总砷",
                                                              name_en="Arsenic", unit="mg/kg"))
    instrument = Instrument.objects.create(asset_number="ICPMS-1", name="ICP-MS",
                                           instrument_type="ICP-MS", lab=application.lab,
                                           runs_per_day=1, samples_per_run=10)
    instrument.capabilities.set([arsenic, Capability.objects.get(lab=application.lab,
                                                                 test_item=lead)])
    return arsenic, instrument


def test_an_instrument_shared_by_two_capabilities_limits_both(application, lead) -> None:
    arsenic, instrument = arsenic_on_shared_instrument(application, lead)
    waiting_ahead(application, arsenic, 25)
    # one run of 10 a day: arsenic's 25 take today, 09-30 and 10-08; lead runs on 10-09 (day
    # 3), + 5 working days → 10-15
    assert application_predicted_completion(application).date == date(2026, 10, 15)
    assert quote_for(application).completion_date == date(2026, 10, 15)
    instrument.samples_per_run = 30
    instrument.save()
    assert application_predicted_completion(application).date == date(2026, 10, 13)


def test_an_instrument_down_today_runs_again_after_the_expected_return(application,
                                                                       lead) -> None:
    _arsenic, instrument = arsenic_on_shared_instrument(application, lead)
    for status in (Instrument.Status.OUT_OF_SERVICE, Instrument.Status.UNDER_CALIBRATION):
        instrument.status = status
        instrument.save()
        # back on day 3 (RETURN_DAYS): lead starts on 10-09, + 5 working days → 10-15
        assert quote_for(application).completion_date == date(2026, 10, 15)
        assert application_predicted_completion(application).date == date(2026, 10, 15)


def downtime_fit(lab, return_days: int, episodes: int) -> DowntimeFit:
    return DowntimeFit.objects.create(lab=lab, fitted_at=datetime(2026, 9, 28, 2, 30,
                                                                  tzinfo=SHANGHAI),
                                      episodes=episodes, days=3 * episodes,
                                      return_days=return_days)


def card(application) -> str:
    return Template("{% load prediction_tags %}{% predicted_completion application %}").render(
        Context({"application": application}))


def test_a_down_instrument_is_back_after_the_lab_s_learned_downtime(application, lead,
                                                                    other_lab) -> None:
    _arsenic, instrument = arsenic_on_shared_instrument(application, lead)
    Instrument.objects.filter(pk=instrument.pk).update(status=Instrument.Status.OUT_OF_SERVICE)
    downtime_fit(None, 2, 40)
    downtime_fit(other_lab, 6, 15)
    downtime_fit(application.lab, 1, 12)
    # back on day 1: lead starts on 09-30, + 5 working days → 10-13
    prediction = application_predicted_completion(application)
    assert prediction.date == quote_for(application).completion_date == date(2026, 10, 13)
    assert [(b.return_days, b.fit.episodes) for b in prediction.downtime] == [(1, 12)]
    assert ("A down instrument expected back after: 1 working day, learned from 12 downtime "
            "episodes of Tianjin Customs Technology Center, fitted on 2026-09-28") in card(
        application)
    with translation.override("zh-hans"):
        page = card(application)
    assert "停用仪器预计恢复：" in page
    assert "1 个工作日，按天津海关技术中心 12 次停用学习，拟合于 2026-09-28" in page


def test_without_a_lab_s_downtime_the_network_s_then_the_default(application, lead) -> None:
    _arsenic, instrument = arsenic_on_shared_instrument(application, lead)
    Instrument.objects.filter(pk=instrument.pk).update(
        status=Instrument.Status.UNDER_CALIBRATION)
    downtime_fit(None, 2, 40)
    # back on day 2: lead starts on 10-08 → 10-14
    assert application_predicted_completion(application).date == date(2026, 10, 14)
    assert ("2 working days, learned from 40 downtime episodes of the network, fitted on "
            "2026-09-28") in card(application)
    DowntimeFit.objects.all().delete()
    prediction = application_predicted_completion(application)
    assert (prediction.date, prediction.downtime) == (date(2026, 10, 15),
                                                      (DowntimeBasis(RETURN_DAYS),))
    assert "3 working days, the default (from generated history)" in card(application)


def test_the_api_names_the_expected_return(staff, application, lead) -> None:
    arsenic_on_shared_instrument(application, lead)
    downtime_fit(application.lab, 1, 12)
    client = Client()
    client.login(username="clerk", password=PASSWORD)
    body = client.get(f"/api/v1/applications/{application.number}/prediction").json()
    assert body["downtime"] == [{"source": "lab", "return_days": 1, "lab": "TJ-TC",
                                 "episodes": 12, "fitted_at": "2026-09-27T18:30:00Z"}]


def test_a_retired_instrument_or_zero_capacity_gives_no_date(staff, application,
                                                             lead) -> None:
    _arsenic, instrument = arsenic_on_shared_instrument(application, lead)
    instrument.status = Instrument.Status.RETIRED
    instrument.save()
    quote = quote_for(application)
    assert (quote.completion_date, quote.blocked, quote.lines[0].queue_days) == (
        None, ["Lead"], None)
    sample_receive(actor=staff["clerk"], sample=application.samples.get())
    prediction = application_predicted_completion(application)
    assert (prediction.date, prediction.days, prediction.tests[0].basis) == (
        None, None, "no_capacity")
    sample = application.samples.get().number
    # the page names the item in the reader's language; the API keeps the item's code
    assert prediction.blocked == [f"{sample} Lead"]
    assert prediction.tests[0].label == f"{sample} PB"
    with translation.override("zh-hans"):
        assert application_predicted_completion(application).blocked == [f"{sample} 铅"]
    instrument.capabilities.clear()
    Capability.objects.filter(test_item=lead).update(daily_capacity=0)
    assert application_predicted_completion(application).date is None
    assert Test.objects.filter(sample__application=application).count() == 1  # nothing lost


def test_a_test_with_an_analyst_finishes_on_its_working_day_due_date(assigned_test,
                                                                      application) -> None:
    assert assigned_test.due_date == date(2026, 10, 12)  # 5 working days, not calendar days
    prediction = application_predicted_completion(application)
    assert (prediction.tests[0].basis, prediction.date) == ("started", date(2026, 10, 12))
    application.status = "cancelled"
    assert application_predicted_completion(application) is None


def test_a_transfer_adds_transport_before_the_receiving_queue(staff, pending_test,
                                                              beijing_lab, agreement) -> None:
    from portlab.transfers.services import transfer_dispatch

    transfer_dispatch(actor=staff["manager"], test=pending_test, to_lab=beijing_lab,
                      sample_portion="200 g")
    prediction = application_predicted_completion(pending_test.sample.application)
    assert [(f.basis, f.lab.code) for f in prediction.tests] == [("transfer", "BJ-TC")]
    assert prediction.date == date(2026, 10, 12)  # 2 days' transport + 3 days' turnaround


@freeze_time("2026-12-28 10:00:00+08:00")
def test_a_date_in_a_year_without_a_notice_is_provisional(application) -> None:
    prediction = application_predicted_completion(application)
    # 12-29, 12-30, 12-31, (01-01 statutory), 01-04, 01-05: 2027 has no notice yet
    assert (prediction.date, prediction.provisional) == (date(2027, 1, 5), True)
    assert quote_for(application).completion_provisional is True


def test_a_test_filed_after_closing_starts_counting_the_next_working_day(application) -> None:
    with freeze_time("2026-09-29 18:00:00+08:00"):  # the lab closed at 17:30
        # starts on 09-30, 5 working days: 10-08, 10-09, 10-10, 10-12, 10-13
        assert quote_for(application).completion_date == date(2026, 10, 13)
        assert application_predicted_completion(application).date == date(2026, 10, 13)
        application.lab.workday_end = time(20, 0)
        application.lab.save()
        assert quote_for(application).completion_date == date(2026, 10, 12)
    with freeze_time("2026-09-29 07:00:00+08:00"):  # before opening: the whole day ahead
        assert quote_for(application).completion_date == date(2026, 10, 12)


def test_today_offers_the_capacity_of_the_working_hours_left(staff, application, lead) -> None:
    capability = Capability.objects.get(lab=application.lab, test_item=lead)
    Capability.objects.filter(pk=capability.pk).update(daily_capacity=20)
    waiting_ahead(application, capability, 45)
    with freeze_time("2026-09-29 16:30:00+08:00"):
        # one hour of nine left: 2 start today, 20 on 09-30, 20 on 10-08, the last 3 and this
        # one on 10-09, + 5 working days → 10-15 (at 10:00, 17 today: 10-14)
        assert quote_for(application).completion_date == date(2026, 10, 15)
        sample_receive(actor=staff["clerk"], sample=application.samples.get())
        assert application_predicted_completion(application).date == date(2026, 10, 15)
