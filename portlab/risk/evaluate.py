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

from portlab.risk.features import LABEL_COLUMN, RiskInputError, read_declarations
from portlab.risk.model import score, train
from portlab.risk.ranking import ranking_metrics


def evaluate(train_path: str | Path, test_path: str | Path) -> dict[str, Any]:
    """Train on `train_path`, score `test_path`, return the ranking metrics and sizes."""
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
