"""Predicted completion against generated history, beside the naive "created + turnaround".

History (pure Python, seeded): 8 labs, each with 10 capabilities of which 6 share 2 instruments
(runs per day, samples per run) and 4 are limited by analysts only; applications of 1–3
samples × 1–4 items arrive every working day at random times, 10 % urgent. The history runs
through the same `QueueState.step` as the predictor but adds what the predictor does not model:
- bursts: on 8 % of days a lab receives three times its usual applications;
- instrument downtime: each working day an instrument may break (2 %) for 1–6 days;
- absences: on 10 % of days a capability has half its analysts;
- retests: 6 % of tests fail their QC and queue again, urgent, when they would have finished;
- processing takes 0–2 extra days (reruns, review) now and then.
Calendar: China's working days of 2025–2026 (chinesecalendar), the same for both predictors.

The predictor, at each application's submission, plays its lab's queues forward with nominal
capacities (`portlab.transfers.queue_simulation.simulate`), as PortLab does: it knows which
instruments are down at that moment (their status), not for how long, nor anything about
absences, bursts, later breakdowns or retests. It then learns from the earlier part of the
history (the first 40 % of applications, and the working days before the first held-out one),
time-ordered:
- the working days a down instrument is expected to stay down (the median remaining downtime
  on the fitting days an instrument was down);
- each test's lateness (`Lateness`): the shares of tests completing k working days after their
  simulated day, from the first 75 % of that period;
- the levels of the 80 % interval, from the last 25 % (split conformal: the levels whose
  interval covers the share nearest 80 % of that slice's applications).
An application's date is the median of its latest test's day, each test late on its own
(`completion_range`): the median is what minimises the mean absolute error.
Every figure is measured on the later 60 % only (held out); the history is the same in both
passes (the predictor draws nothing from its seed).
Run: ``python bench/bench_prediction.py [--days N] [--seed S]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from portlab.instruments.downtime import expected_return  # noqa: E402
from portlab.transfers.lateness import (  # noqa: E402
    CALIBRATION_SHARE,
    calibration_split,
    interval_levels,
)
from portlab.transfers.queue_simulation import (  # noqa: E402
    DEFAULT_LATENESS,
    LATEST_LATENESS,
    RETURN_DAYS,
    DayRange,
    Instrument,
    Job,
    Lateness,
    Plan,
    QueueState,
    completion_range,
    lateness_count,
    simulate,
)
from portlab.workdays.rules import WorkCalendar, calendar_from  # noqa: E402

LABS, CAPABILITIES, INSTRUMENTS = 8, 10, 2
TRAIN_SHARE = 0.4
LATEST = LATEST_LATENESS  # lateness is counted up to this many working days (and more)
# Applications per working day are multiplied by this (--load): 1 is the light network the
# headline figures are measured on; more makes queues, not noise, the larger part of the wait.
LOAD = 1.0


@dataclass
class Lab:
    plan: Plan
    processing: dict[int, int]  # capability → processing days
    standard: dict[int, int]  # capability → standard turnaround promised
    arrivals: float  # applications per working day
    state: QueueState


@dataclass
class Application:
    lab: int
    day: int
    tests: list[Job]
    simulated: dict = field(default_factory=dict)  # test → simulated working day, at filing
    done: dict = field(default_factory=dict)  # test → working day it completed
    finished: int = 0
    outstanding: int = 0


@dataclass
class History:
    labs: list[Lab]
    applications: list[Application]  # completed ones, in submission order
    downtime: list[tuple[int, int]]  # (day, working days until back) per instrument down
    waiting: list[float] = field(default_factory=list)  # per day: tests waiting, mean per lab
    waits: list[tuple[int, int]] = field(default_factory=list)  # (day, days waited) per start


def china_calendar() -> WorkCalendar:
    import chinese_calendar

    return calendar_from(chinese_calendar.holidays,
                         (d for d in chinese_calendar.workdays if d.weekday() >= 5),
                         {d.year for d in chinese_calendar.holidays})


def make_lab(rng: random.Random) -> Lab:
    capacity = {c: rng.choice([6, 8, 10, 12]) for c in range(CAPABILITIES)}
    instruments = tuple(
        Instrument(i, rng.choice([2, 3]), rng.choice([6, 8, 10]),
                   frozenset(range(3 * i, 3 * i + 3))) for i in range(INSTRUMENTS))
    processing = {c: rng.choice([1, 2, 3, 4]) for c in range(CAPABILITIES)}
    standard = {c: processing[c] + 2 for c in range(CAPABILITIES)}
    return Lab(Plan(capacity, instruments), processing, standard,
               rng.uniform(3.5, 4.5) * LOAD, QueueState())


def day_capacity(lab: Lab, rng: random.Random) -> dict:
    return {c: (k // 2 if rng.random() < 0.10 else k)
            for c, k in lab.plan.capability_capacity.items()}


def day_runs(lab: Lab, down_until: dict, day: int, rng: random.Random) -> dict:
    runs = {}
    for instrument in lab.plan.instruments:
        key = instrument.key
        if down_until.get(key, -1) < day and rng.random() < 0.02:
            down_until[key] = day + rng.randint(1, 6)
        runs[key] = 0 if down_until.get(key, -1) >= day else instrument.runs_per_day
    return runs


def new_application(lab_id: int, lab: Lab, day: int, rng: random.Random, serial: int):
    urgent = rng.random() < 0.10
    items = rng.sample(range(CAPABILITIES), rng.randint(1, 4))
    arrived = day + rng.random()  # the time of day it is filed: all its tests at once
    tests = [Job((serial, sample, item), item, lab.processing[item], int(urgent), arrived)
             for sample in range(rng.randint(1, 3)) for item in items]
    return Application(lab_id, day, tests)


def known_plan(plan: Plan, down_until: dict, day: int, return_days: int) -> Plan:
    """The plan as the predictor sees it on `day`: instruments down now are back after
    `return_days` (it does not know `down_until`)."""
    return Plan(plan.capability_capacity, tuple(
        replace(i, back_on=return_days if down_until.get(i.key, -1) >= day else 0)
        for i in plan.instruments))


def history(days: int, seed: int, return_days: int, at_filing=None) -> History:
    """Every application, with its simulated prediction made at submission and its actual
    completion working day. `at_filing(lab, down_until, finishing, day, application)`, if
    given, sees the true state when each application is filed (bench/prediction_ceiling.py)."""
    rng = random.Random(seed)
    labs = [make_lab(rng) for _ in range(LABS)]
    applications: list[Application] = []
    owner: dict = {}
    finishing: dict[int, list] = {}
    down: list[dict] = [{} for _ in labs]
    downtime: list[tuple[int, int]] = []
    waiting: list[float] = []
    waits: list[tuple[int, int]] = []
    for day in range(days):
        for lab_id, lab in enumerate(labs):
            downtime += [(day, until - day + 1) for until in down[lab_id].values() if until >= day]
            seen = known_plan(lab.plan, down[lab_id], day, return_days)
            count = _poisson(rng, lab.arrivals * (3 if rng.random() < 0.08 else 1))
            arrivals = [new_application(lab_id, lab, day, rng, len(applications) + n)
                        for n in range(count)]
            # predicted as filed: each sees the queue of the applications filed before it
            for application in sorted(arrivals, key=lambda a: a.tests[0].order):
                applications.append(application)
                application.simulated = simulate(lab.state, seen, application.tests)
                application.outstanding = len(application.tests)
                for test in application.tests:
                    owner[test.key] = application
                    lab.state.add(test)
                if at_filing:
                    at_filing(lab, down[lab_id], finishing, day, application)
            started = lab.state.step(lab.plan, day_capacity(lab, rng),
                                     day_runs(lab, down[lab_id], day, rng))
            waits.extend((day, day - int(job.order)) for job in started)
            for job in started:
                extra = rng.choice([1, 2]) if rng.random() < 0.15 else 0
                finishing.setdefault(day + job.processing_days + extra, []).append((lab, job))
        waiting.append(sum(len(lab.state) for lab in labs) / len(labs))
        for lab, job in finishing.pop(day, []):
            if rng.random() < 0.06:  # QC failed: the test queues again, first in line
                lab.state.add(Job(job.key, job.capability, job.processing_days, 2, day))
            else:
                owner[job.key].finished = max(owner[job.key].finished, day)
                owner[job.key].done[job.key] = day
                owner[job.key].outstanding -= 1
    return History(labs, [a for a in applications if a.outstanding == 0], downtime, waiting,
                   waits)


def _poisson(rng: random.Random, mean: float) -> int:
    count, total = 0, rng.expovariate(1.0)
    while total < mean:
        count += 1
        total += rng.expovariate(1.0)
    return count


def fit_lateness(fitting: list[Application]) -> Lateness:
    """The shares of the fitting applications' tests completing k working days after their
    simulated day (k from the earliest seen to LATEST and more)."""
    return lateness_count((a.done[key] - a.day - day
                           for a in fitting for key, day in a.simulated.items()), LATEST)


def predicted(a: Application, lateness: Lateness) -> DayRange:
    return completion_range(a.simulated.values(), lateness)


def calibrate(lateness: Lateness, calibration: list[Application]) -> Lateness:
    """The interval's levels whose coverage of the calibration slice is nearest 80 % (then
    the most even tails), as PortLab's nightly refit calibrates a lab's
    (`lateness.interval_levels`): each application's tests' simulated days counted from the
    day it completed."""
    levels = interval_levels(lateness, [Counter(day - (a.finished - a.day)
                                                for day in a.simulated.values())
                                        for a in calibration])
    return replace(lateness, low=levels.low, high=levels.high)


def coverage(applications: list[Application], lateness: Lateness) -> float:
    inside = 0
    for a in applications:
        ranged = predicted(a, lateness)
        inside += ranged.low <= a.finished - a.day <= ranged.high
    return inside / len(applications)


def measure(held_out: list[Application], working: list[date], lateness: Lateness,
            labs: list[Lab]) -> dict[str, float]:
    """MAE, bias and coverage in calendar days of the held-out applications, ours and the
    naive guess (submission + the longest standard turnaround, same calendar)."""
    ours, naive, inside = [], [], 0
    for a in held_out:
        actual, ranged = working[a.finished], predicted(a, lateness)
        ours.append((working[a.day + ranged.day] - actual).days)
        inside += working[a.day + ranged.low] <= actual <= working[a.day + ranged.high]
        standard = max(labs[a.lab].standard[t.capability] for t in a.tests)
        naive.append((working[a.day + standard] - actual).days)
    mae, naive_mae = statistics.mean(map(abs, ours)), statistics.mean(map(abs, naive))
    return {"mae": mae, "bias": statistics.mean(ours), "naive": naive_mae,
            "naive_bias": statistics.mean(naive), "ratio": mae / naive_mae,
            "covered": inside / len(held_out)}


def report(label: str, figures: dict[str, float]) -> str:
    return (f"{label}: MAE {figures['mae']:.2f} days (bias {figures['bias']:+.2f}); naive "
            f"{figures['naive']:.2f} days (bias {figures['naive_bias']:+.2f}); ratio "
            f"{figures['ratio']:.3f} (target ≤ 0.70); 80 % interval covers "
            f"{figures['covered']:.1%} (target 75–85 %)")


def fitted(applications: list[Application], cut: int) -> Lateness:
    """Lateness from the first 75 % of the fitting period, levels from the rest."""
    split = calibration_split(cut)
    return calibrate(fit_lateness(applications[:split]), applications[split:cut])


def _print_queues(result: History, cut_day: int, days: int) -> None:
    """How busy the labs are over the held-out days: the tests waiting (the same in the first
    and the last third when the queues are steady, not growing) and the days a test waits
    before it starts."""
    third = (days - cut_day) // 3
    first = statistics.mean(result.waiting[cut_day:cut_day + third])
    last = statistics.mean(result.waiting[days - third:])
    waited = [wait for day, wait in result.waits if day >= cut_day]
    print(f"load ×{LOAD:g}: tests waiting per lab {first:.1f} in the first third of the held-out "
          f"days, {last:.1f} in the last; a test waits {statistics.mean(waited):.2f} working "
          f"days on average before it starts (median {statistics.median(waited):g}, 90th "
          f"percentile {sorted(waited)[int(0.9 * len(waited))]})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=420)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--load", type=float, default=1.0)
    arguments = parser.parse_args()
    global LOAD
    LOAD = arguments.load
    calendar = china_calendar()
    working = [date(2025, 1, 2)]
    while len(working) < arguments.days + 400:
        working.append(calendar.add_working_days(working[-1], 1).date)
    started = time.perf_counter()
    first_pass = history(arguments.days, arguments.seed, RETURN_DAYS)
    cut = int(len(first_pass.applications) * TRAIN_SHARE)
    cut_day = first_pass.applications[cut].day
    return_days = expected_return(back for day, back in first_pass.downtime if day < cut_day)
    result = history(arguments.days, arguments.seed, return_days)
    elapsed = time.perf_counter() - started
    applications = result.applications
    assert [a.finished for a in applications] == [a.finished for a in first_pass.applications]
    lateness = fitted(applications, cut)
    print(f"history: {len(applications):,} applications over {arguments.days} working days "
          f"({working[0]} to {working[arguments.days - 1]}), {elapsed:.1f} s for both passes; "
          f"fitted on the first {cut:,} (working days 0–{cut_day - 1}; the interval's levels "
          f"on the last {CALIBRATION_SHARE:.0%} of them), measured on the later "
          f"{len(applications) - cut:,}")
    _print_queues(result, cut_day, arguments.days)
    print(f"a down instrument is expected back in {return_days} working days (median "
          f"remaining downtime over the fitting days; module's RETURN_DAYS = {RETURN_DAYS})")
    split = calibration_split(cut)
    print(f"the interval's levels cover {coverage(applications[split:cut], lateness):.1%} of "
          f"the calibration slice")
    print(f"lateness fitted: Lateness({lateness.first}, ("
          + ", ".join(f"{share:.4f}" for share in lateness.shares)
          + f"), {lateness.low:.2f}, {lateness.high:.2f})")
    held_out = applications[cut:]
    started = time.perf_counter()
    print(report("predicted completion", measure(held_out, working, lateness, result.labs)))
    print(f"  ({time.perf_counter() - started:.2f} s to read {len(held_out):,} dates from "
          f"the simulated days)")
    print(report("  the module's DEFAULT_LATENESS", measure(held_out, working, DEFAULT_LATENESS,
                                                            result.labs)))
    blind = history(arguments.days, arguments.seed, 0).applications  # all instruments up
    print(report("the same predictor blind to the instruments' state, refitted",
                 measure(blind[cut:], working, fitted(blind, cut), result.labs)))


if __name__ == "__main__":
    main()
