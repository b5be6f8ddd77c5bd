"""CSV front ends for the quality algorithms, returning JSON-serialisable dictionaries.

``westgard_command`` reads columns ``run,level,value`` and optionally ``mean,sd`` (a row's own
mean/sd win over the ``mean``/``sd`` arguments). ``pt_score_command`` reads
``participant,result`` and optionally ``u`` (standard uncertainty) and ``U`` (expanded).
Line numbers in errors count the header as line 1. Output contains no NaN: missing scores are
``None``.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portlab.quality import robust, scores, westgard


class QualityFileError(ValueError):
    """A CSV file that cannot be evaluated; the message names the file and line."""


@dataclass(frozen=True)
class _Row:
    line: int
    cells: dict[str, str]


def _rows(path: str | Path, required: tuple[str, ...]) -> Iterator[_Row]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        columns = [name.strip() for name in reader.fieldnames or []]
        missing = [name for name in required if name not in columns]
        if missing:
            raise QualityFileError(f"{path} line 1: missing column(s) {', '.join(missing)}")
        reader.fieldnames = columns
        for cells in reader:
            texts = {key: (text or "").strip() for key, text in cells.items() if key is not None}
            yield _Row(reader.line_num, texts)


def _number(path: str | Path, row: _Row, column: str) -> float | None:
    text = row.cells.get(column, "")
    if text == "":
        return None
    try:
        number = float(text)
    except ValueError:
        raise QualityFileError(
            f"{path} line {row.line}: {column} {text!r} is not a number"
        ) from None
    if not math.isfinite(number):
        raise QualityFileError(f"{path} line {row.line}: {column} {text!r} is not finite")
    return number


def _required(path: str | Path, row: _Row, column: str, default: float | None = None) -> float:
    number = _number(path, row, column)
    if number is None:
        number = default
    if number is None:
        hint = f" and no {column} argument was given" if column in ("mean", "sd") else ""
        raise QualityFileError(f"{path} line {row.line}: {column} is empty{hint}")
    return number


def _label(path: str | Path, row: _Row, column: str) -> str:
    text = row.cells.get(column, "")
    if text == "":
        raise QualityFileError(f"{path} line {row.line}: {column} is empty")
    return text


def _qc_point(
    path: str | Path, row: _Row, mean: float | None, sd: float | None
) -> westgard.QCPoint:
    return westgard.QCPoint(
        run=_label(path, row, "run"),
        level=_label(path, row, "level"),
        value=_required(path, row, "value"),
        mean=_required(path, row, "mean", mean),
        sd=_required(path, row, "sd", sd),
    )


def westgard_command(
    path: str | Path, mean: float | None = None, sd: float | None = None
) -> dict[str, Any]:
    """Westgard multirule evaluation of a QC CSV file."""
    rows = list(_rows(path, ("run", "level", "value")))
    if not rows:
        raise QualityFileError(f"{path}: no QC points")
    points = [_qc_point(path, row, mean, sd) for row in rows]
    try:
        report = westgard.evaluate(points)
    except westgard.QCInputError as error:
        raise QualityFileError(f"{path} line {rows[error.index].line}: {error.detail}") from None
    statuses = set(report.runs.values())
    worst = next(s for s in reversed(westgard.Status) if s in statuses)
    return {
        "file": str(path),
        "status": worst.value,
        "runs": [{"run": run, "status": status.value} for run, status in report.runs.items()],
        "points": [
            {
                "line": row.line,
                "run": result.run,
                "level": result.level,
                "value": result.value,
                "mean": point.mean,
                "sd": point.sd,
                "z": result.z,
                "rules": list(result.rules),
                "status": result.status.value,
            }
            for row, point, result in zip(rows, points, report.points, strict=True)
        ],
    }


def _participants(path: str | Path, rows: list[_Row]) -> list[str]:
    seen: dict[str, int] = {}
    for row in rows:
        name = _label(path, row, "participant")
        if name in seen:
            raise QualityFileError(
                f"{path} line {row.line}: participant {name!r} already on line {seen[name]}"
            )
        seen[name] = row.line
    return list(seen)


def _evaluate_file(
    path: str | Path, rows: list[_Row], options: dict[str, Any]
) -> scores.RoundEvaluation:
    try:
        return scores.evaluate_round(
            [_required(path, row, "result") for row in rows],
            standard_uncertainties=[_number(path, row, "u") for row in rows],
            expanded_uncertainties=[_number(path, row, "U") for row in rows],
            **options,
        )
    except robust.PTInputError as error:
        where = f" line {rows[error.index].line}" if error.index is not None else ""
        raise QualityFileError(f"{path}{where}: {error}") from None


def _score_row(line: int, participant: str, score: scores.ParticipantScore) -> dict[str, Any]:
    def text(evaluation: scores.Evaluation | None) -> str | None:
        return None if evaluation is None else evaluation.value

    return {
        "line": line,
        "participant": participant,
        "result": score.result,
        "z": score.z,
        "z_evaluation": text(score.z_evaluation),
        "z_prime": score.z_prime,
        "z_prime_evaluation": text(score.z_prime_evaluation),
        "zeta": score.zeta,
        "zeta_evaluation": text(score.zeta_evaluation),
        "en": score.en,
        "en_evaluation": text(score.en_evaluation),
    }


def pt_score_command(
    path: str | Path,
    method: str = "algorithm-a",
    sigma_pt: float | None = None,
    assigned: float | None = None,
    assigned_u: float | None = None,
) -> dict[str, Any]:
    """ISO 13528 robust statistics and z, z', zeta, En scores for a PT results CSV file."""
    rows = list(_rows(path, ("participant", "result")))
    names = _participants(path, rows)
    options = {"method": method, "sigma_pt": sigma_pt, "assigned": assigned}
    evaluation = _evaluate_file(path, rows, options | {"assigned_u": assigned_u})
    return {
        "file": str(path),
        "method": evaluation.method,
        "participants": evaluation.participants,
        "robust_mean": evaluation.robust.mean,
        "robust_sd": evaluation.robust.sd,
        "iterations": evaluation.robust.iterations,
        "assigned_value": evaluation.assigned_value,
        "assigned_value_source": "consensus" if assigned is None else "provided",
        "assigned_value_uncertainty": evaluation.assigned_value_uncertainty,
        "sigma_pt": evaluation.sigma_pt,
        "uncertainty_negligible": evaluation.uncertainty_negligible,
        "scores": [
            _score_row(row.line, name, score)
            for row, name, score in zip(rows, names, evaluation.scores, strict=True)
        ],
    }
