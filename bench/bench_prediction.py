"""Predicted completion against what happened, on generated history, beside a naive baseline.

A year of history from portlab.demo.generate (every completed test has created_at, due_date
and completed_at). For applications whose tests are all complete, the prediction is replayed
as it would have been made at submission (`application_predicted_completion(application,
at=submitted_at)`: each test in its lab's queue as it stood then, daily capacity = sum of the
lab's capabilities, turnaround), and compared with the day its last test completed. Baseline:
submission day + the longest standard turnaround of its tests. Prints the mean absolute
error in days of both, and the mean signed error (bias).

Note: the generator completes each test after its turnaround plus noise (sigma 1.5 days) and
models no queueing, so on this history the queue term can at best add nothing: the figure
checks the prediction is not worse than the baseline, and measures what noise costs both.

Run: ``python bench/bench_prediction.py [--applications N]``.
"""

import argparse
import random
import statistics
import time

from django_bench import setup_django


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--applications", type=int, default=400)
    arguments = parser.parse_args()
    vendor = setup_django("prediction")
    from django.db.models import Max
    from django.utils import timezone

    from portlab.demo.generate import generate
    from portlab.intake.models import Application
    from portlab.transfers.prediction import application_predicted_completion

    started = time.perf_counter()
    summary = generate(labs=40, capabilities=600, tests=60_000, districts=2, prefix="P")
    print(f"{vendor}: generated {summary.labs} labs, {summary.tests:,} tests in "
          f"{time.perf_counter() - started:.0f} s")
    done = list(Application.objects.filter(status="approved").annotate(
        finished=Max("samples__tests__completed_at"),
        turnaround=Max("samples__tests__capability__turnaround_days")).order_by("id"))
    rng = random.Random(3)
    chosen = rng.sample(done, min(arguments.applications, len(done)))
    ours, baseline = [], []
    started = time.perf_counter()
    for application in chosen:
        actual = timezone.localdate(application.finished)
        submitted = timezone.localdate(application.submitted_at)
        predicted = application_predicted_completion(application, at=application.submitted_at)
        ours.append((predicted.date - actual).days)
        baseline.append((submitted - actual).days + application.turnaround)
    per_call = (time.perf_counter() - started) * 1000 / len(chosen)
    mae = statistics.mean(abs(e) for e in ours)
    naive = statistics.mean(abs(e) for e in baseline)
    print(f"predicted completion, {len(chosen)} applications: mean absolute error {mae:.2f} days "
          f"(bias {statistics.mean(ours):+.2f}); baseline created + standard turnaround: "
          f"{naive:.2f} days (bias {statistics.mean(baseline):+.2f}); ratio {mae / naive:.2f}; "
          f"{per_call:.1f} ms per prediction")


if __name__ == "__main__":
    main()
