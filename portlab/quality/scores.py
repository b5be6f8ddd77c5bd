"""Assigned value and performance scores for proficiency testing, after ISO 13528:2022.

Assigned value x_pt and its standard uncertainty u(x_pt): a value supplied by the provider (with
its uncertainty) or the consensus x* with u(x_pt) = 1.25 s* / sqrt(p). The standard
deviation for proficiency assessment sigma_pt defaults to s*. u(x_pt) is negligible when
u(x_pt) <= 0.3 sigma_pt; z' is the score to use when it is not.

Scores: z = (x - x_pt) / sigma_pt; z' = (x - x_pt) / sqrt(sigma_pt^2 + u(x_pt)^2);
zeta = (x - x_pt) / sqrt(u(x)^2 + u(x_pt)^2) with the participant's standard uncertainty u(x);
En = (x - x_pt) / sqrt(U(x)^2 + U(x_pt)^2) with expanded uncertainties, U(x_pt) = 2 u(x_pt).
z, z' and zeta are satisfactory when |score| <= 2, questionable when 2 < |score| < 3 and
unsatisfactory when |score| >= 3; En is satisfactory when |En| <= 1.

Bad input raises :class:`PTInputError` (a ``ValueError``) naming the offending result; no
function here returns NaN or infinity.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from portlab.quality.robust import (
    FloatArray,
    Method,
    PTInputError,
    RobustEstimate,
    as_results,
    checked_number,
    robust_estimate,
)

CONSENSUS_UNCERTAINTY_FACTOR = 1.25
ASSIGNED_VALUE_COVERAGE = 2.0


class Evaluation(StrEnum):
    SATISFACTORY = "satisfactory"
    QUESTIONABLE = "questionable"
    UNSATISFACTORY = "unsatisfactory"


@dataclass(frozen=True)
class ParticipantScore:
    result: float
    z: float
    z_evaluation: Evaluation
    z_prime: float
    z_prime_evaluation: Evaluation
    zeta: float | None
    zeta_evaluation: Evaluation | None
    en: float | None
    en_evaluation: Evaluation | None


@dataclass(frozen=True)
class RoundEvaluation:
    method: str
    participants: int
    robust: RobustEstimate
    assigned_value: float
    assigned_value_uncertainty: float
    sigma_pt: float
    uncertainty_negligible: bool
    scores: list[ParticipantScore]


def consensus_uncertainty(robust_sd: float, participants: int) -> float:
    """u(x_pt) = 1.25 s* / sqrt(p) for an assigned value from participants' results."""
    return CONSENSUS_UNCERTAINTY_FACTOR * robust_sd / math.sqrt(participants)


def evaluate_score(score: float) -> Evaluation:
    """Evaluation of a z, z' or zeta score."""
    magnitude = abs(score)
    if magnitude <= 2:
        return Evaluation.SATISFACTORY
    return Evaluation.QUESTIONABLE if magnitude < 3 else Evaluation.UNSATISFACTORY


def evaluate_en(score: float) -> Evaluation:
    """Evaluation of an En number."""
    return Evaluation.SATISFACTORY if abs(score) <= 1 else Evaluation.UNSATISFACTORY


def _optional_uncertainties(
    values: Sequence[float | None] | None, count: int, name: str
) -> FloatArray:
    """Participant uncertainties as an array with NaN marking "not reported"."""
    if values is None:
        return np.full(count, np.nan)
    if len(values) != count:
        raise PTInputError(f"{count} results but {len(values)} values of {name}")
    array = np.full(count, np.nan)
    for index, value in enumerate(values):
        if value is not None:
            array[index] = _uncertainty(value, f"{name} of participant {index + 1}", index)
    return array


def _uncertainty(value: object, label: str, index: int) -> float:
    number = checked_number(value, label, index)
    if number < 0:
        raise PTInputError(f"{label} is negative: {value!r}", index)
    return number


def _ratio(difference: FloatArray, denominator: FloatArray, name: str) -> FloatArray:
    reported = ~np.isnan(denominator)
    zero = np.flatnonzero(reported & (denominator == 0))
    if zero.size:
        raise PTInputError(
            f"{name} of participant {zero[0] + 1} divides by a zero uncertainty", int(zero[0])
        )
    return np.divide(difference, denominator, out=np.full_like(difference, np.nan), where=reported)


def _score_list(
    results: FloatArray, z: FloatArray, z_prime: FloatArray, zeta: FloatArray, en: FloatArray
) -> list[ParticipantScore]:
    scores = []
    for index in range(results.size):
        zeta_i = None if math.isnan(zeta[index]) else float(zeta[index])
        en_i = None if math.isnan(en[index]) else float(en[index])
        scores.append(
            ParticipantScore(
                result=float(results[index]),
                z=float(z[index]),
                z_evaluation=evaluate_score(float(z[index])),
                z_prime=float(z_prime[index]),
                z_prime_evaluation=evaluate_score(float(z_prime[index])),
                zeta=zeta_i,
                zeta_evaluation=None if zeta_i is None else evaluate_score(zeta_i),
                en=en_i,
                en_evaluation=None if en_i is None else evaluate_en(en_i),
            )
        )
    return scores


def score_results(
    values: Sequence[float] | FloatArray,
    *,
    assigned_value: float,
    assigned_value_uncertainty: float,
    sigma_pt: float,
    standard_uncertainties: Sequence[float | None] | None = None,
    expanded_uncertainties: Sequence[float | None] | None = None,
) -> list[ParticipantScore]:
    """z, z', zeta and En scores with their evaluations; zeta/En are None without u/U."""
    results = as_results(values)
    u_pt = checked_number(assigned_value_uncertainty, "uncertainty of the assigned value")
    if u_pt < 0:
        raise PTInputError(f"uncertainty of the assigned value is negative: {u_pt!r}")
    sigma = _check_sigma_pt(sigma_pt)
    difference = results - checked_number(assigned_value, "assigned value")
    u = _optional_uncertainties(standard_uncertainties, results.size, "u")
    expanded = _optional_uncertainties(expanded_uncertainties, results.size, "U")
    zeta = _ratio(difference, np.sqrt(u**2 + u_pt**2), "zeta")
    en = _ratio(difference, np.sqrt(expanded**2 + (ASSIGNED_VALUE_COVERAGE * u_pt) ** 2), "En")
    z_prime = difference / math.sqrt(sigma**2 + u_pt**2)
    return _score_list(results, difference / sigma, z_prime, zeta, en)


def _check_sigma_pt(sigma_pt: float) -> float:
    sigma = checked_number(sigma_pt, "sigma_pt")
    if sigma <= 0:
        raise PTInputError(f"sigma_pt must be greater than 0, got {sigma_pt!r}")
    return sigma


def _assigned(
    robust: RobustEstimate, participants: int, assigned: float | None, assigned_u: float | None
) -> tuple[float, float]:
    if assigned is None:
        if assigned_u is not None:
            raise PTInputError("an uncertainty of the assigned value was given without a value")
        return robust.mean, consensus_uncertainty(robust.sd, participants)
    if assigned_u is None:
        raise PTInputError("the assigned value needs its standard uncertainty (assigned_u)")
    return checked_number(assigned, "assigned value"), checked_number(assigned_u, "assigned_u")


def evaluate_round(
    values: Sequence[float] | FloatArray,
    *,
    method: Method = "algorithm-a",
    sigma_pt: float | None = None,
    assigned: float | None = None,
    assigned_u: float | None = None,
    standard_uncertainties: Sequence[float | None] | None = None,
    expanded_uncertainties: Sequence[float | None] | None = None,
) -> RoundEvaluation:
    """Robust statistics, assigned value, sigma_pt and every participant's scores."""
    results = as_results(values)
    robust = robust_estimate(results, method)
    x_pt, u_pt = _assigned(robust, results.size, assigned, assigned_u)
    sigma = robust.sd if sigma_pt is None else _check_sigma_pt(sigma_pt)
    scores = score_results(
        results,
        assigned_value=x_pt,
        assigned_value_uncertainty=u_pt,
        sigma_pt=sigma,
        standard_uncertainties=standard_uncertainties,
        expanded_uncertainties=expanded_uncertainties,
    )
    return RoundEvaluation(
        method=robust.method,
        participants=int(results.size),
        robust=robust,
        assigned_value=x_pt,
        assigned_value_uncertainty=u_pt,
        sigma_pt=sigma,
        uncertainty_negligible=u_pt <= 0.3 * sigma,
        scores=scores,
    )
