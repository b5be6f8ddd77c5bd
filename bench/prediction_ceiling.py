"""How good can any prediction of bench_prediction.py's history be? An experiment, not a
benchmark (a few minutes; `make bench` does not run it).

At the filing of every `--every`-th held-out application, the history's own mechanisms are
played forward `--runs` times from the true state (the queue, the tests being processed, the
instruments down and until when) with the generator's true rates: bursts, breakdowns,
absences, retests, extra days; the median of those runs (in calendar days) is about the best
point prediction anyone could make from what is knowable at filing, since what is left is
the future's own draws. Its MAE is printed beside the naive guess and bench_prediction's
predictor (fitted as there, with RETURN_DAYS) on the same applications.

Run: ``python bench/prediction_ceiling.py [--seed S] [--every N] [--runs R]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import bench_prediction as bench  # noqa: E402

from portlab.transfers.queue_simulation import Job  # noqa: E402


def play_forward(lab: bench.Lab, down_until: dict, in_flight: list, day: int,
                 application: bench.Application, rng: random.Random) -> int:
    """One future from the true state: working days until the application's last test."""
    state, down, finishing = lab.state.copy(), dict(down_until), {}
    for finish, job in in_flight:
        finishing.setdefault(finish, []).append(job)
    outstanding, last, today, serial = {t.key for t in application.tests}, day, day, 0
    while outstanding and today < day + 250:
        if today > day:
            for _ in range(bench._poisson(rng, lab.arrivals * (3 if rng.random() < 0.08 else 1))):
                serial += 1
                for test in bench.new_application(-1, lab, today, rng, -serial).tests:
                    state.add(test)
        for job in state.step(lab.plan, bench.day_capacity(lab, rng),
                              bench.day_runs(lab, down, today, rng)):
            extra = rng.choice([1, 2]) if rng.random() < 0.15 else 0
            finishing.setdefault(today + job.processing_days + extra, []).append(job)
        for job in finishing.pop(today, []):
            if rng.random() < 0.06:
                state.add(Job(job.key, job.capability, job.processing_days, 2, today))
            elif job.key in outstanding:
                outstanding.discard(job.key)
                last = today
        today += 1
    return last - day


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--days", type=int, default=420)
    parser.add_argument("--every", type=int, default=6)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--load", type=float, default=bench.LOAD)
    arguments = parser.parse_args()
    bench.LOAD = arguments.load
    rng, futures, serial = random.Random(99), {}, [0]
    first_held_out = 170  # the working days bench_prediction fits on end before this

    def at_filing(lab, down_until, finishing, day, application) -> None:
        serial[0] += 1
        if day >= first_held_out and serial[0] % arguments.every == 0:
            in_flight = [(finish, job) for finish, rows in finishing.items()
                         for owner, job in rows if owner is lab]
            futures[id(application)] = sorted(
                play_forward(lab, down_until, in_flight, day, application, rng)
                for _ in range(arguments.runs))

    result = bench.history(arguments.days, arguments.seed, bench.RETURN_DAYS, at_filing)
    calendar = bench.china_calendar()
    working = [date(2025, 1, 2)]
    while len(working) < arguments.days + 400:
        working.append(calendar.add_working_days(working[-1], 1).date)
    cut = int(len(result.applications) * bench.TRAIN_SHARE)
    lateness = bench.fitted(result.applications, cut)
    best, ours, naive = [], [], []
    for a in result.applications[cut:]:
        if id(a) in futures:
            actual = working[a.finished]
            dates = sorted(working[a.day + days] for days in futures[id(a)])
            best.append(abs((dates[len(dates) // 2] - actual).days))
            ours.append(abs((working[a.day + bench.predicted(a, lateness).day] - actual).days))
            standard = max(result.labs[a.lab].standard[t.capability] for t in a.tests)
            naive.append(abs((working[a.day + standard] - actual).days))
    print(f"seed {arguments.seed}: {len(best):,} held-out applications (from working day "
          f"{first_held_out}); median of {arguments.runs} futures from the true state: MAE "
          f"{statistics.mean(best):.2f} days; naive {statistics.mean(naive):.2f} days; ratio "
          f"{statistics.mean(best) / statistics.mean(naive):.3f}; bench_prediction's predictor "
          f"on the same applications: MAE {statistics.mean(ours):.2f} days, ratio "
          f"{statistics.mean(ours) / statistics.mean(naive):.3f}")


if __name__ == "__main__":
    main()
