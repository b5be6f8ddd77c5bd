"""The nightly refit of how long a down instrument stays down, from the instruments' status
record (the audit trail of registrations and status changes, written through the real
services).

Around National Day 2026 (10-01 to 10-07 off, Saturday 10-10 worked): the ICP-MS goes out of
service on Tuesday 09-29 and under calibration on 10-01 (one episode), back in service on
Friday 10-09: down on 09-29, 09-30 and 10-08, back 3, 2 and 1 working days later. The GC-MS
goes out of service on Wednesday 10-14 and is still down when the refit runs on Friday 10-16
at 02:30: down on 10-14 and 10-15, back 2 and 1 working days later at the least. Median of
3, 2, 1, 2, 1: 2 working days."""

import io

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from portlab.audit.models import AuditEvent
from portlab.instruments.models import Instrument
from portlab.instruments.services import instrument_status_change
from portlab.instruments.tests.conftest import register
from portlab.transfers import downtime_fits
from portlab.transfers.downtime_fits import downtime_refit
from portlab.transfers.models import DowntimeFit

OUT, CALIBRATING, BACK, RETIRED = (Instrument.Status.OUT_OF_SERVICE,
                                   Instrument.Status.UNDER_CALIBRATION,
                                   Instrument.Status.IN_SERVICE, Instrument.Status.RETIRED)
RUN = "2026-10-16 02:30:00+08:00"


def change(staff, instrument: Instrument, status: str, at: str) -> None:
    with freeze_time(f"{at}+08:00"):
        instrument_status_change(actor=staff["manager"], instrument=instrument, status=status,
                                 reason="recorded for the test")


def register_on(staff, lab, asset_number: str) -> Instrument:
    with freeze_time("2026-09-01 09:00:00+08:00"):
        return register(staff, lab, asset_number)


@pytest.fixture
def episodes(staff, lab) -> list[Instrument]:
    icpms = register_on(staff, lab, "TJ-ICPMS-01")
    gcms = register_on(staff, lab, "TJ-GCMS-01")
    change(staff, icpms, OUT, "2026-09-29 10:00")
    change(staff, icpms, CALIBRATING, "2026-10-01 09:00")
    change(staff, icpms, BACK, "2026-10-09 15:00")
    change(staff, gcms, OUT, "2026-10-14 11:00")
    return [icpms, gcms]


def test_the_refit_counts_working_days_down_per_lab_and_network(staff, lab, other_lab,
                                                                 episodes) -> None:
    # registered outside the services: no status record, no episode
    Instrument.objects.create(asset_number="XG-XRF-01", name="XRF", instrument_type="XRF",
                              lab=other_lab, status=OUT)
    with freeze_time(RUN):
        refits = downtime_refit(minimum=2)
    assert [(r.lab and r.lab.code, r.counted.episodes, r.counted.days, r.counted.return_days,
             r.stored and r.stored.return_days) for r in refits] == [
        (None, 2, 5, 2, 2), ("TJ-TC", 2, 5, 2, 2), ("TJ-XG", 0, 0, None, None)]
    assert [r.describe() for r in refits] == [
        "network: a down instrument is expected back in 2 working days (the median over 5 "
        "working days down in 2 episodes); 1 still down, counted as back today",
        "TJ-TC: a down instrument is expected back in 2 working days (the median over 5 "
        "working days down in 2 episodes); 1 still down, counted as back today",
        "TJ-XG: no downtime fit, 0 episodes out of service or under calibration, fewer than "
        "the 2 needed"]
    assert list(DowntimeFit.objects.order_by("pk").values_list(
        "lab__code", "episodes", "days", "return_days")) == [(None, 2, 5, 2), ("TJ-TC", 2, 5, 2)]
    assert AuditEvent.objects.filter(action="downtime_fit").count() == 2


def test_one_episode_below_the_minimum_stores_nothing(episodes) -> None:
    with freeze_time(RUN):
        refits = downtime_refit(minimum=3)
    assert [r.stored for r in refits] == [None, None]
    assert refits[1].describe() == ("TJ-TC: no downtime fit, 2 episodes out of service or "
                                    "under calibration, fewer than the 3 needed; 1 still "
                                    "down, counted as back today")
    assert not DowntimeFit.objects.exists()


def test_retired_while_down_never_came_back_and_is_left_out(staff, lab, episodes) -> None:
    xrf = register_on(staff, lab, "TJ-XRF-01")
    change(staff, xrf, OUT, "2026-10-12 09:00")
    change(staff, xrf, RETIRED, "2026-10-13 09:00")
    with freeze_time(RUN):
        network = downtime_refit(minimum=1)[0]
    assert (network.counted.episodes, network.counted.days) == (2, 5)


def test_a_return_recorded_before_the_start_is_left_out_and_said(staff, lab) -> None:
    icpms = register_on(staff, lab, "TJ-ICPMS-01")
    change(staff, icpms, OUT, "2026-10-09 10:00")
    change(staff, icpms, BACK, "2026-10-05 10:00")  # a clock set back: the record's order holds
    with freeze_time(RUN):
        refits = downtime_refit(minimum=1)
    assert [r.describe() for r in refits] == [
        "network: no downtime fit, 0 episodes out of service or under calibration, fewer than "
        "the 1 needed; 1 left out: back before it went down in the record",
        "TJ-TC: no downtime fit, 0 episodes out of service or under calibration, fewer than "
        "the 1 needed; 1 left out: back before it went down in the record"]
    assert not DowntimeFit.objects.exists()


def test_no_instrument_anywhere_lists_the_network_only(lab) -> None:
    with freeze_time(RUN):
        refits = downtime_refit()
    assert [r.describe() for r in refits] == [
        "network: no downtime fit, 0 episodes out of service or under calibration, fewer than "
        "the 10 needed"]


def test_a_downtime_refit_is_one_transaction(episodes, monkeypatch) -> None:
    calls = []

    def audit_fails_on_the_lab(**arguments):
        calls.append(arguments)
        if len(calls) == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(downtime_fits, "audit_record", audit_fails_on_the_lab)
    with freeze_time(RUN), pytest.raises(RuntimeError):
        downtime_refit(minimum=2)
    assert not DowntimeFit.objects.exists()  # the network's value went with the lab's


def test_the_nightly_command_runs_it(episodes) -> None:
    out = io.StringIO()
    with freeze_time(RUN):
        call_command("lateness_fit", "--minimum-episodes", "2", stdout=out)
    assert out.getvalue().splitlines()[-2:] == [
        "network: a down instrument is expected back in 2 working days (the median over 5 "
        "working days down in 2 episodes); 1 still down, counted as back today",
        "TJ-TC: a down instrument is expected back in 2 working days (the median over 5 "
        "working days down in 2 episodes); 1 still down, counted as back today"]
    assert DowntimeFit.objects.count() == 2
