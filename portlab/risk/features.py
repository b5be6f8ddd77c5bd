"""Declaration records: reading, validation and the feature encoding used by the risk model.

Pure Python (pandas/numpy), no Django. The encoder's fitted state is plain JSON-serializable
data (lists, dicts, numbers, strings) so a saved model never needs pickle.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

REQUIRED_COLUMNS: tuple[str, ...] = (
    "Declaration ID", "Date", "Office ID", "Process Type", "Import Type", "Import Use",
    "Payment Type", "Mode of Transport", "Declarant ID", "Importer ID", "Seller ID",
    "Courier ID", "HS6 Code", "Country of Departure", "Country of Origin", "Tax Rate",
    "Tax Type", "Country of Origin Indicator", "Net Mass", "Item Price",
)  # fmt: skip
LABEL_COLUMN = "Fraud"
AMOUNT_COLUMNS: tuple[str, ...] = ("Net Mass", "Item Price", "Tax Rate")
TEXT_COLUMNS: tuple[str, ...] = tuple(
    name for name in REQUIRED_COLUMNS if name not in AMOUNT_COLUMNS and name != "Date"
)
# Few distinct values: passed to the booster as categories.
CATEGORY_COLUMNS: tuple[str, ...] = (
    "Office ID", "Process Type", "Import Type", "Import Use", "Payment Type",
    "Mode of Transport", "Courier ID", "Country of Departure", "Country of Origin", "Tax Type",
    "Country of Origin Indicator", "HS2", "HS4",
)  # fmt: skip
# Many distinct values, or combinations: summarised by their labelled history instead.
HISTORY_KEYS: tuple[str, ...] = (
    "Declarant ID", "Importer ID", "Seller ID", "HS6 Code", "HS4", "Country of Origin",
    "Importer ID+HS6 Code", "Declarant ID+HS6 Code", "Importer ID+Declarant ID",
    "HS6 Code+Country of Origin",
)  # fmt: skip
NUMERIC_FEATURES: tuple[str, ...] = (
    "Tax Rate", "log Net Mass", "log Item Price", "log unit value",
    "unit value against HS6 median", "departure differs from origin",
)  # fmt: skip
HISTORY_SMOOTHING = 20.0
HISTORY_FOLDS = 5


class RiskInputError(ValueError):
    """Input the risk pipeline refuses: the message says what to fix."""


class MissingColumnError(RiskInputError):
    """The declarations lack one or more required columns."""

    def __init__(self, missing: Sequence[str]) -> None:
        self.missing = list(missing)
        super().__init__(f"missing required column(s): {', '.join(self.missing)}")


class DeclarationRowError(RiskInputError):
    """One declaration row is invalid; `line` counts the CSV header as line 1."""

    def __init__(self, line: int, column: str, problem: str) -> None:
        self.line = line
        self.column = column
        self.problem = problem
        super().__init__(f"line {line}, column '{column}': {problem}; nothing was imported")


class SingleClassError(RiskInputError):
    """Training labels hold one class only, so nothing can be learned."""


def read_declarations(path: str | Path, *, require_label: bool = False) -> pd.DataFrame:
    """Read and validate a declarations CSV; any bad row raises before anything is returned."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            raise RiskInputError(f"{path}: empty file, expected a header line")
        header = [name.strip() for name in header]
        _check_columns(header, require_label)
        rows: list[list[str]] = []
        lines: list[int] = []
        for row in reader:
            if not row:
                continue
            if len(row) != len(header):
                raise DeclarationRowError(
                    reader.line_num, header[min(len(row), len(header)) - 1],
                    f"expected {len(header)} fields, found {len(row)}",
                )  # fmt: skip
            rows.append(row)
            lines.append(reader.line_num)
    frame = pd.DataFrame(rows, columns=header, dtype=object)
    return prepare(frame, require_label=require_label, lines=lines)


def as_frame(records: pd.DataFrame | Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Accept a DataFrame or an iterable of dicts keyed by the dataset's column names."""
    if isinstance(records, pd.DataFrame):
        return records
    return pd.DataFrame(list(records))


def prepare(
    records: pd.DataFrame | Iterable[Mapping[str, Any]],
    *,
    require_label: bool = False,
    lines: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Validate and normalise declarations: amounts as floats, identifiers as text.

    `lines` gives each row's CSV line; without it row i is reported as line i + 2, its line
    if the frame were written as a CSV with a header.
    """
    frame = as_frame(records).reset_index(drop=True)
    _check_columns(list(frame.columns), require_label)
    line_numbers = np.asarray(lines if lines is not None else np.arange(len(frame)) + 2)
    clean = pd.DataFrame(index=frame.index)
    for name in TEXT_COLUMNS:
        clean[name] = _as_text(frame[name])
    clean["HS6 Code"] = clean["HS6 Code"].str.zfill(6)
    problems: list[DeclarationRowError] = []
    for name in AMOUNT_COLUMNS:
        clean[name] = _as_amount(frame[name], name, line_numbers, problems)
    clean["Date"] = _as_date(frame["Date"], line_numbers, problems)
    if LABEL_COLUMN in frame.columns:
        clean[LABEL_COLUMN] = _as_label(frame[LABEL_COLUMN], line_numbers, problems)
    if problems:
        raise min(problems, key=lambda problem: problem.line)
    return clean


def _check_columns(columns: Sequence[str], require_label: bool) -> None:
    wanted = REQUIRED_COLUMNS + ((LABEL_COLUMN,) if require_label else ())
    missing = [name for name in wanted if name not in set(columns)]
    if missing:
        raise MissingColumnError(missing)


def _as_text(values: pd.Series) -> pd.Series:
    if pd.api.types.is_float_dtype(values):
        # Integer codes that pandas read as floats because a cell was empty.
        whole = values.dropna()
        if bool((whole == np.floor(whole)).all()):
            values = values.astype("Int64")
    text = values.astype(object).where(values.notna(), "")
    return text.astype(str).str.strip()


def _as_amount(
    values: pd.Series, name: str, lines: np.ndarray, problems: list[DeclarationRowError]
) -> pd.Series:
    raw = _raw_text(values)
    numbers = pd.to_numeric(raw, errors="coerce").astype(float)
    _note_first(~np.isfinite(numbers.to_numpy()), lines, name, raw, "not a number", problems)
    _note_first(numbers.to_numpy() < 0, lines, name, raw, "negative", problems)
    return numbers


def _as_date(
    values: pd.Series, lines: np.ndarray, problems: list[DeclarationRowError]
) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        dates = values
    else:
        dates = pd.to_datetime(_raw_text(values), errors="coerce", format="ISO8601")
    bad = dates.isna().to_numpy()
    _note_first(bad, lines, "Date", values, "not a YYYY-MM-DD date", problems)
    return dates


def _as_label(
    values: pd.Series, lines: np.ndarray, problems: list[DeclarationRowError]
) -> pd.Series:
    raw = _raw_text(values)
    numbers = pd.to_numeric(raw, errors="coerce")
    bad = ~numbers.isin([0, 1]).to_numpy()
    _note_first(bad, lines, LABEL_COLUMN, raw, "must be 0 or 1", problems)
    return numbers.where(~bad, 0).astype(int)


def _raw_text(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), "").astype(str).str.strip()


def _note_first(
    bad: np.ndarray,
    lines: np.ndarray,
    column: str,
    raw: pd.Series,
    problem: str,
    problems: list[DeclarationRowError],
) -> None:
    """Record the column's first bad row; `prepare` reports the earliest across columns."""
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        value = raw.iloc[position]
        problems.append(DeclarationRowError(int(lines[position]), column, f"{problem} ({value!r})"))


def check_labels(labels: pd.Series) -> None:
    """Training needs both classes; say so plainly rather than letting the learner fail."""
    classes = sorted(set(labels.tolist()))
    if len(classes) < 2:
        found = classes[0] if classes else "none"
        raise SingleClassError(
            f"training labels hold a single class ({LABEL_COLUMN}={found}); "
            "the model needs both fraudulent (1) and clean (0) declarations"
        )


def derived_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns computed from one row: HS levels, log amounts and combined keys."""
    out = pd.DataFrame(index=frame.index)
    out["HS2"] = frame["HS6 Code"].str[:2]
    out["HS4"] = frame["HS6 Code"].str[:4]
    out["log Net Mass"] = np.log1p(frame["Net Mass"])
    out["log Item Price"] = np.log1p(frame["Item Price"])
    out["log unit value"] = np.log1p(frame["Item Price"] / (frame["Net Mass"] + 0.1))
    out["departure differs from origin"] = (
        frame["Country of Departure"] != frame["Country of Origin"]
    ).astype(float)
    for key in HISTORY_KEYS:
        if "+" in key:
            first, second = key.split("+")
            out[key] = frame[first] + "|" + frame[second]
    return out


@dataclass
class FeatureEncoder:
    """Statistics learned from training declarations only; JSON-serializable state."""

    categories: dict[str, list[str]] = field(default_factory=dict)
    history: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    hs6_unit_value: dict[str, float] = field(default_factory=dict)
    prior: float = 0.0
    median_unit_value: float = 0.0

    @property
    def feature_names(self) -> list[str]:
        names = list(NUMERIC_FEATURES) + list(CATEGORY_COLUMNS)
        for key in HISTORY_KEYS:
            names += [f"{key} fraud rate", f"{key} count"]
        return names

    def to_dict(self) -> dict[str, Any]:
        return {
            "categories": self.categories,
            "history": self.history,
            "hs6_unit_value": self.hs6_unit_value,
            "prior": self.prior,
            "median_unit_value": self.median_unit_value,
        }

    @classmethod
    def from_dict(cls, state: Mapping[str, Any]) -> FeatureEncoder:
        return cls(
            categories={k: list(v) for k, v in state["categories"].items()},
            history={k: dict(v) for k, v in state["history"].items()},
            hs6_unit_value=dict(state["hs6_unit_value"]),
            prior=float(state["prior"]),
            median_unit_value=float(state["median_unit_value"]),
        )


def _full(frame: pd.DataFrame) -> pd.DataFrame:
    return pd.concat([frame, derived_columns(frame)], axis=1)


def fit_encoder(frame: pd.DataFrame) -> FeatureEncoder:
    """Learn category codes, labelled history and HS6 price levels from training rows."""
    full = _full(frame)
    labels = full[LABEL_COLUMN]
    encoder = FeatureEncoder(prior=float(labels.mean()))
    for name in CATEGORY_COLUMNS:
        encoder.categories[name] = sorted(full[name].unique().tolist())
    for key in HISTORY_KEYS:
        encoder.history[key] = _history_table(full[key], labels)
    unit = full.groupby("HS6 Code")["log unit value"].median()
    encoder.hs6_unit_value = {str(k): float(v) for k, v in unit.items()}
    encoder.median_unit_value = float(full["log unit value"].median())
    return encoder


def _history_table(keys: pd.Series, labels: pd.Series) -> dict[str, list[int]]:
    codes, uniques = pd.factorize(keys.to_numpy())
    counts = np.bincount(codes, minlength=len(uniques))
    frauds = np.bincount(codes, weights=labels.to_numpy(), minlength=len(uniques))
    return {
        str(key): [int(count), int(fraud)]
        for key, count, fraud in zip(uniques.tolist(), counts, frauds, strict=True)
    }


def transform(encoder: FeatureEncoder, frame: pd.DataFrame) -> pd.DataFrame:
    """Feature matrix for rows not seen in training (scoring, hold-out, test)."""
    full = _full(frame)
    features = _row_features(encoder, full)
    for key in HISTORY_KEYS:
        rate, count = _history_lookup(encoder.history[key], full[key], encoder.prior)
        features[f"{key} fraud rate"] = rate
        features[f"{key} count"] = count
    return features[encoder.feature_names]


def transform_training(encoder: FeatureEncoder, frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Feature matrix for the training rows: each row's history excludes its own fold.

    Looking a training row up in a history that contains its own label would leak the answer
    and teach the booster to trust history far more than it deserves on new declarations.
    """
    full = _full(frame)
    features = _row_features(encoder, full)
    folds = np.random.default_rng(seed).integers(0, HISTORY_FOLDS, size=len(full))
    labels = full[LABEL_COLUMN].to_numpy(dtype=float)
    for key in HISTORY_KEYS:
        rate, count = _out_of_fold_history(full[key].to_numpy(), labels, folds)
        features[f"{key} fraud rate"] = rate
        features[f"{key} count"] = count
    return features[encoder.feature_names]


def _out_of_fold_history(
    keys: np.ndarray, labels: np.ndarray, folds: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Smoothed fraud rate and count per row, from the rows of the other folds only."""
    codes, uniques = pd.factorize(keys)
    total_count = np.bincount(codes, minlength=len(uniques)).astype(float)
    total_fraud = np.bincount(codes, weights=labels, minlength=len(uniques))
    rate = np.empty(len(keys))
    count = np.empty(len(keys))
    for fold in range(HISTORY_FOLDS):
        inside = folds == fold
        own_count = np.bincount(codes[inside], minlength=len(uniques))
        own_fraud = np.bincount(codes[inside], weights=labels[inside], minlength=len(uniques))
        prior = labels[~inside].mean()
        other_count = (total_count - own_count)[codes[inside]]
        other_fraud = (total_fraud - own_fraud)[codes[inside]]
        rate[inside] = (other_fraud + HISTORY_SMOOTHING * prior) / (other_count + HISTORY_SMOOTHING)
        # Scaled up so counts match what a model trained on all rows sees for new rows.
        count[inside] = other_count * HISTORY_FOLDS / (HISTORY_FOLDS - 1)
    return rate, count


def _row_features(encoder: FeatureEncoder, full: pd.DataFrame) -> pd.DataFrame:
    features = pd.DataFrame(index=full.index)
    for name in NUMERIC_FEATURES:
        if name != "unit value against HS6 median":
            features[name] = full[name].astype(float)
    typical = full["HS6 Code"].map(encoder.hs6_unit_value).fillna(encoder.median_unit_value)
    features["unit value against HS6 median"] = full["log unit value"] - typical
    for name in CATEGORY_COLUMNS:
        codes = pd.Index(encoder.categories[name]).get_indexer(full[name])
        features[name] = np.where(codes < 0, np.nan, codes)
    return features


def _history_lookup(
    table: Mapping[str, Sequence[int]], keys: pd.Series, prior: float
) -> tuple[np.ndarray, np.ndarray]:
    """Smoothed fraud rate and count per key; unseen keys get the prior and a count of 0."""
    known = np.array(list(table.values()), dtype=float).reshape(-1, 2)
    position = pd.Index(list(table.keys())).get_indexer(keys.to_numpy())
    found = position >= 0
    counts = np.where(found, known[position, 0] if len(known) else 0.0, 0.0)
    frauds = np.where(found, known[position, 1] if len(known) else 0.0, 0.0)
    rate = (frauds + HISTORY_SMOOTHING * prior) / (counts + HISTORY_SMOOTHING)
    return rate, counts
