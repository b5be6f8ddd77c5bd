"""Which declarations are inspected, at what rate, and in which lane (pure, no Django).

Target rate. Each HS chapter and credit grade has a target share of declarations to inspect
(lab sample or physical inspection). Chinese customs credit management sets two bounds that
`effective_rate` enforces whatever is configured: advanced certified enterprises are inspected
at most at 20% of the general enterprises' rate for the same goods, distrusted enterprises in
80% or more of their declarations.

Decision. One uniform draw u in [0, 1) per declaration, from SHA-256(seed:number), so the same
seed gives the same decisions and the draw can be recorded and checked later.
  1. u < e (exploration rate, a fifth of the target, at least 0.2%, at most the target):
     selected at random. These picks are unbiased by the score, so their hit rate estimates
     the true rate and the model keeps learning about declarations it would not have chosen.
  2. otherwise selected when the score reaches the threshold that the share (r - e) / (1 - e)
     of recent scores of the same credit grade reach, so about r are selected in all.
  3. too little history for a threshold (cold start): selected when u < r, at random.

Lane. A selected declaration whose HS code has a risk profile (test items for the lab) is
sampled for the lab; other selected ones get a physical inspection; the rest are released
after document review.

Adaptation (`adapted_rate`, run after retraining). Over the recent window, per category: when
at least 20 sampled declarations are labelled and their hit rate is at least twice the overall
hit rate, the target rises by half; when at least 40 are labelled and their hit rate is under
half the overall one, it falls by a fifth. Rates stay within [0.5%, 100%], then the credit
bounds apply.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

ADVANCED, GENERAL, DISTRUSTED = "advanced", "general", "distrusted"
DEFAULT_RATES = {ADVANCED: 0.01, GENERAL: 0.05, DISTRUSTED: 0.8}
ADVANCED_SHARE_OF_GENERAL = 0.2
DISTRUSTED_FLOOR = 0.8
EXPLORATION_SHARE = 0.2
MIN_EXPLORATION_RATE = 0.002
MIN_REFERENCE_SCORES = 50

RELEASE, SAMPLE, PHYSICAL = "release", "sample", "physical"
RANDOM, RISK, COLD_START, RELEASED = "random", "risk", "cold_start", "released"

MIN_RATE, MAX_RATE = 0.005, 1.0
RAISE_FACTOR, LOWER_FACTOR = 1.5, 0.8
MIN_LABELLED_TO_RAISE, MIN_LABELLED_TO_LOWER = 20, 40


@dataclass(frozen=True)
class Decision:
    selected: bool
    basis: str
    rate: float
    exploration_rate: float
    threshold: float | None
    draw: float


def draw(seed: str, number: str) -> float:
    """A uniform number in [0, 1) fixed by the seed and the declaration number."""
    digest = hashlib.sha256(f"{seed}:{number}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def effective_rate(grade: str, configured: float, general_rate: float) -> float:
    """The configured rate within the credit bounds (advanced <= 20% general, distrusted >= 80%)."""
    if grade == ADVANCED:
        return min(configured, ADVANCED_SHARE_OF_GENERAL * general_rate)
    if grade == DISTRUSTED:
        return max(configured, DISTRUSTED_FLOOR)
    return configured


def exploration_rate(rate: float) -> float:
    return round(min(rate, max(EXPLORATION_SHARE * rate, MIN_EXPLORATION_RATE)), 9)


def threshold_for(reference_scores: Sequence[float], share: float) -> float | None:
    """The lowest score among the top `share` of the reference; None when too few scores."""
    if len(reference_scores) < MIN_REFERENCE_SCORES:
        return None
    if share <= 0:
        return math.inf
    ranked = sorted(reference_scores, reverse=True)
    count = min(len(ranked), max(1, math.ceil(share * len(ranked))))
    return ranked[count - 1]


def decide(score: float, rate: float, u: float, reference_scores: Sequence[float]) -> Decision:
    """Select or release one declaration; see the module docstring for the three steps."""
    explore = exploration_rate(rate)
    if u < explore:
        return Decision(True, RANDOM, rate, explore, None, u)
    share = (rate - explore) / (1 - explore) if explore < 1 else 0.0
    threshold = threshold_for(reference_scores, share)
    if threshold is None:
        selected = u < rate
        return Decision(selected, COLD_START if selected else RELEASED, rate, explore, None, u)
    selected = score >= threshold
    return Decision(selected, RISK if selected else RELEASED, rate, explore, threshold, u)


def lane_for(selected: bool, has_profile: bool) -> str:
    if not selected:
        return RELEASE
    return SAMPLE if has_profile else PHYSICAL


def adapted_rate(current: float, hits: int, labelled: int, overall_hit_rate: float) -> float:
    """The category's next target rate from its recent hit rate (see the module docstring)."""
    if labelled == 0 or overall_hit_rate <= 0:
        return current
    hit_rate = hits / labelled
    if labelled >= MIN_LABELLED_TO_RAISE and hit_rate >= 2 * overall_hit_rate:
        current *= RAISE_FACTOR
    elif labelled >= MIN_LABELLED_TO_LOWER and hit_rate < overall_hit_rate / 2:
        current *= LOWER_FACTOR
    return round(min(MAX_RATE, max(MIN_RATE, current)), 4)
