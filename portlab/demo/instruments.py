"""Demo instruments on top of `portlab demo`: registry, a week of telemetry, shared bookings."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from portlab.accounts.models import User
from portlab.accounts.services import user_create
from portlab.demo.password import PASSWORD
from portlab.instruments.models import AgentState, Instrument, StateInterval, Telemetry
from portlab.instruments.services import (
    booking_approve,
    booking_request,
    calibration_record,
    check_record,
    instrument_register,
    result_file_import,
)
from portlab.network.models import Capability, Lab
from portlab.testing.models import Test

# asset number, name, type, manufacturer, model, value (yuan), rate per hour, shareable, lab
INSTRUMENTS = [
    ("TJ-ICPMS-01", "电感耦合等离子体质谱仪", "ICP-MS", "Agilent", "7900", 2_800_000, 480, True,
     "TJ-TC"),
    ("TJ-GCMS-02", "气相色谱-三重四极杆质谱仪", "GC-MS/MS", "Agilent", "8890/7000E", 2_300_000,
     420, True, "TJ-TC"),
    ("TJ-LCMS-03", "液相色谱-三重四极杆质谱仪", "LC-MS/MS", "Agilent", "6495C", 3_600_000, 560,
     True, "TJ-TC"),
    ("TJ-XRF-04", "手持式 X 射线荧光光谱仪", "XRF", "Thermo Scientific", "Niton XL5 Plus", 420_000,
     120, False, "TJ-TC"),
    ("TJ-AAS-05", "原子吸收光谱仪", "GFAAS", "PerkinElmer", "PinAAcle 900T", 650_000, 150, False,
     "TJ-TC"),
    ("XG-ICPOES-01", "电感耦合等离子体发射光谱仪", "ICP-OES", "Thermo Scientific", "iCAP PRO",
     1_100_000, 260, True, "TJ-XG"),
]

# Runs a working day and samples per run, by instrument type (a typical sequence length);
# the handheld XRF is not scheduled in runs.
RUNS = {"ICP-MS": (3, 40), "GC-MS/MS": (2, 30), "LC-MS/MS": (2, 30), "GFAAS": (4, 20),
        "ICP-OES": (3, 40)}


def _capacity(instrument: Instrument) -> None:
    """Runs per day, samples per run, and the lab's capabilities measured on it (their
    method's technique is the instrument's type)."""
    runs, samples = RUNS.get(instrument.instrument_type, (0, 1))
    Instrument.objects.filter(pk=instrument.pk).update(runs_per_day=runs,
                                                       samples_per_run=samples)
    instrument.capabilities.set(Capability.objects.filter(
        lab=instrument.lab, method__technique=instrument.instrument_type))


def _history(instrument: Instrument, rng: random.Random, now: dt.datetime) -> str:
    """Seven days of running/idle intervals, ending in the state it reports now."""
    moment = now - dt.timedelta(days=7)
    state = AgentState.IDLE
    busy = rng.uniform(0.25, 0.75)
    while True:
        length = dt.timedelta(hours=rng.uniform(0.5, 6))
        end = moment + length
        if end >= now:
            StateInterval.objects.create(instrument=instrument, state=state, started_at=moment)
            return state
        StateInterval.objects.create(instrument=instrument, state=state, started_at=moment,
                                     ended_at=end)
        moment = end
        state = AgentState.RUNNING if rng.random() < busy else AgentState.IDLE


@transaction.atomic
def instruments_demo(seed: int = 2026) -> None:
    rng = random.Random(seed)
    now = timezone.now()
    managers = {"TJ-TC": User.objects.get(username="manager")}
    labs = {lab.code: lab for lab in Lab.objects.filter(code__in=["TJ-TC", "TJ-XG"])}
    managers["TJ-XG"] = user_create(username="xgmanager", password=PASSWORD,
                                    display_name="吴主任", roles=[("lab_manager", labs["TJ-XG"])])
    for index, (asset, name, kind, maker, model, value, rate, shared, lab_code) in enumerate(
            INSTRUMENTS):
        manager = managers[lab_code]
        instrument = instrument_register(
            actor=manager, lab=labs[lab_code], asset_number=asset, name=name,
            instrument_type=kind, manufacturer=maker, model=model, value=Decimal(value),
            is_large=value >= 500_000, shareable=shared, hourly_rate=Decimal(rate),
            location=f"B{index + 1}-10{index}", check_interval_days=90)
        _capacity(instrument)
        calibrated_days_ago = (20, 85, 160, 230, 352, 40)[index]
        calibration_record(actor=manager, instrument=instrument,
                           date=timezone.localdate() - dt.timedelta(days=calibrated_days_ago),
                           certificate_number=f"JL2025-{1000 + index}",
                           provider="天津市计量监督检测科学研究院", result="pass")
        if calibrated_days_ago > 90:
            check_record(actor=manager, instrument=instrument, result="pass",
                         date=timezone.localdate() - dt.timedelta(days=calibrated_days_ago % 90))
        if asset == "TJ-AAS-05":
            continue  # never connected: shows as offline
        state = _history(instrument, rng, now)
        Telemetry.objects.filter(instrument=instrument).update(
            state=state, last_seen=now - dt.timedelta(seconds=rng.randint(2, 40)),
            last_sequence=1, current_run=f"SEQ-{now:%m%d}-{index:02d}"
            if state == AgentState.RUNNING else "")
    _bookings(managers["TJ-TC"])
    _result_file(managers["TJ-TC"])


def _result_file(manager: User) -> None:
    """One imported file: a value for an assigned test (awaiting the analyst's confirmation)
    and a row of a sample the lab does not know (held)."""
    test = (Test.objects.filter(lab__code="TJ-TC", status=Test.Status.ASSIGNED)
            .select_related("sample", "test_item", "capability").order_by("pk").first())
    lines = ["sample_id,analyte,value,unit"]
    if test is not None:
        lines.append(f"{test.sample.number},{test.test_item.code},0.012,{test.capability.unit}")
    lines.append("TJ-UNKNOWN-0001,PB,0.030,mg/kg")
    instrument = Instrument.objects.get(asset_number="TJ-ICPMS-01")
    instrument.export_format = Instrument.ExportFormat.GENERIC_CSV
    result_file_import(actor=manager, instrument=instrument, filename="demo-run.csv",
                       content=("\n".join(lines) + "\n").encode())


def _bookings(manager: User) -> None:
    outsider = user_create(username="outsider", password=PASSWORD, display_name="南开大学 钱老师",
                           roles=[("external_user", None)])
    instrument = Instrument.objects.get(asset_number="TJ-ICPMS-01")
    monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    slots = [(7, 9, 4, "南开大学化学学院"), (8, 14, 3, "天津大学环境学院"),
             (9, 10, 6, "南开大学化学学院"), (10, 13, 2, "天津市疾控中心"),
             (11, 9, 8, "中国农业大学")]
    for day, hour, hours, organisation in slots:  # next week, so they are in the future
        start = timezone.make_aware(dt.datetime.combine(monday + dt.timedelta(days=day),
                                                        dt.time(hour)))
        booking = booking_request(actor=outsider, instrument=instrument, start=start,
                                  end=start + dt.timedelta(hours=hours),
                                  organisation=organisation, purpose="元素分析")
        if day % 2 == 1:
            booking_approve(actor=manager, booking=booking)
