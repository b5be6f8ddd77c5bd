"""Measure the risk pipeline as inspectors use it: inspect the top k% of declarations.

`evaluate(train_path, test_path)` trains exactly what the platform trains on the first file and
ranks the second. `main` backs `portlab risk-evaluate --train FILE --test FILE --json` and also
runs as `python -m portlab.risk.evaluate`.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import roc_auc_score

INSPECTED_PERCENTS: tuple[int, ...] = (1, 5, 10)


def inspected_count(rows: int, percent: int) -> int:
    """Rows inspected at `percent`: k·n rounded up, in integers to dodge float error."""
    return -(-percent * rows // 100)


def top_ranked(scores: np.ndarray, count: int) -> np.ndarray:
    """Positions of the `count` highest scores; equal scores keep input order."""
    return np.argsort(-np.asarray(scores, dtype=float), kind="stable")[:count]


def precision_at(labels: np.ndarray, scores: np.ndarray, percent: int) -> float:
    """Share of frauds among the top `percent`% scored declarations."""
    count = inspected_count(len(labels), percent)
    return float(np.asarray(labels)[top_ranked(scores, count)].sum() / count)


def recall_at(labels: np.ndarray, scores: np.ndarray, percent: int) -> float:
    """Share of all frauds found in the top `percent`% scored declarations."""
    frauds = np.asarray(labels).sum()
    if frauds == 0:
        return float("nan")
    count = inspected_count(len(labels), percent)
    return float(np.asarray(labels)[top_ranked(scores, count)].sum() / frauds)


def ranking_metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    """Precision and recall at 1/5/10% inspected, and ROC AUC."""
    labels = np.asarray(labels, dtype=int)
    metrics: dict[str, float] = {}
    for percent in INSPECTED_PERCENTS:
        metrics[f"precision@{percent}%"] = precision_at(labels, scores, percent)
    for percent in INSPECTED_PERCENTS:
        metrics[f"recall@{percent}%"] = recall_at(labels, scores, percent)
    both_classes = 0 < labels.sum() < len(labels)
    metrics["roc_auc"] = float(roc_auc_score(labels, scores)) if both_classes else float("nan")
    return metrics


def evaluate(train_path: str | Path, test_path: str | Path) -> dict[str, Any]:
    """Train on `train_path`, score `test_path`, return the ranking metrics and sizes."""
    # Imported here because the model module uses `ranking_metrics` for its hold-out figures.
    from portlab.risk.features import LABEL_COLUMN, read_declarations
    from portlab.risk.model import score, train

    started = time.perf_counter()
    training = read_declarations(train_path, require_label=True)
    testing = read_declarations(test_path, require_label=True)
    model = train(training)
    trained = time.perf_counter()
    scores = score(model, testing)
    result: dict[str, Any] = ranking_metrics(testing[LABEL_COLUMN].to_numpy(), scores)
    result.update(
        n_train=len(training),
        n_test=len(testing),
        model_version=model.version,
        holdout_metrics=model.holdout_metrics,
        train_seconds=round(trained - started, 3),
        score_seconds=round(time.perf_counter() - trained, 3),
    )
    return result


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: print the evaluation as JSON (with --json) or as aligned text."""
    from portlab.risk.features import RiskInputError

    parser = argparse.ArgumentParser(prog="portlab risk-evaluate", description=__doc__)
    parser.add_argument("--train", required=True, help="labelled declarations CSV to train on")
    parser.add_argument("--test", required=True, help="labelled declarations CSV to rank")
    parser.add_argument("--json", action="store_true", help="print JSON")
    arguments = parser.parse_args(argv)
    try:
        result = evaluate(arguments.train, arguments.test)
    except (RiskInputError, OSError) as error:
        print(f"risk-evaluate: {error}", file=sys.stderr)
        return 2
    if arguments.json:
        print(json.dumps(result, indent=2))
    else:
        for name, value in result.items():
            print(f"{name:>16}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
