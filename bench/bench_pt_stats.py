"""PT statistics for 1,000 participants: ISO 13528 Algorithm A and Q/Hampel with every score,
against numpy median + MAD of the same data in the same run.

    .venv/bin/python bench/bench_pt_stats.py [--participants 1000] [--runs 200]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from portlab.quality import robust, scores  # noqa: E402


def median_ms(action: Callable[[], object], runs: int) -> float:
    action()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--participants", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=200)
    options = parser.parse_args()
    rng = np.random.default_rng(13528)
    values = rng.normal(0.15, 0.01, options.participants)
    values[:20] += rng.normal(0.08, 0.03, 20)  # a few outlying laboratories
    u = [0.006] * options.participants

    def baseline() -> tuple[float, float]:
        median = float(np.median(values))
        return median, 1.483 * float(np.median(np.abs(values - median)))

    cases = {
        "Algorithm A (x*, s*)": lambda: robust.algorithm_a(values),
        "Q/Hampel (x*, s*)": lambda: robust.q_hampel(values),
        "round: Algorithm A + z, z', zeta, En": lambda: scores.evaluate_round(
            values, standard_uncertainties=u, expanded_uncertainties=u),
        "round: Q/Hampel + z, z', zeta, En": lambda: scores.evaluate_round(
            values, method="q-hampel", standard_uncertainties=u, expanded_uncertainties=u),
    }
    base = median_ms(baseline, options.runs)
    print(f"{options.participants} participants; baseline numpy median + MAD: {base:.3f} ms")
    for name, action in cases.items():
        ms = median_ms(action, options.runs if "Q/Hampel" not in name else max(options.runs // 10,
                                                                                  5))
        print(f"  {name:<40} {ms:8.3f} ms median   ratio {ms / base:7.1f}")


if __name__ == "__main__":
    main()
