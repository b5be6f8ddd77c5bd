"""Score 100,000 declarations in one batch; compare with the bare booster on ready features.

Run: python bench/bench_risk_scoring.py [--rows N] [--data DIR]
The model is trained on train.csv; valid.csv is resampled (with replacement, fixed seed) to
the batch size. Ours = validation + feature encoding + prediction from raw records; baseline
= `booster.predict` on the pre-built feature matrix, timed in the same process.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from portlab.risk.features import read_declarations  # noqa: E402
from portlab.risk.model import features_for, score, train  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "customs-declarations"


def best_time(action: Callable[[], object], repeats: int) -> float:
    """Fastest of `repeats` runs: the least disturbed by other work on the machine."""
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DATA)
    arguments = parser.parse_args()

    model = train(read_declarations(arguments.data / "train.csv", require_label=True))
    raw = pd.read_csv(arguments.data / "valid.csv", dtype=str, keep_default_na=False)
    batch = raw.sample(n=arguments.rows, replace=True, random_state=0).reset_index(drop=True)
    batch = batch.drop(columns=["Fraud", "Critical Fraud"])
    matrix = features_for(model, batch).to_numpy(dtype=float)

    ours = best_time(lambda: score(model, batch), arguments.repeats)
    baseline = best_time(lambda: model.booster.predict(matrix), arguments.repeats)
    rows = arguments.rows
    print(f"model {model.version}, batch {rows:,} declarations")
    print(f"ours     (records -> scores): {ours:7.3f} s {rows / ours:10,.0f} rows/s")
    print(f"baseline (booster.predict):   {baseline:7.3f} s {rows / baseline:10,.0f} rows/s")
    print(f"ratio ours/baseline: {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
