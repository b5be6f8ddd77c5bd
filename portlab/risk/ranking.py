"""Ranking metrics for risk scores, as inspectors use them: inspect the top k% of declarations
and count the frauds found (precision, recall at k%) and ROC AUC. Pure, no Django; used by the
model's hold-out figures (model.py) and by the evaluation command (evaluate.py)."""

from __future__ import annotations

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
