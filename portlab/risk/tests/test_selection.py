"""Target rates, credit bounds, the recorded random draw and rate adaptation (pure)."""

import math

from portlab.risk import selection
from portlab.risk.selection import (
    Decision,
    adapted_rate,
    decide,
    draw,
    effective_rate,
    lane_for,
    threshold_for,
)

REFERENCE = [i / 100 for i in range(100)]  # 0.00 ... 0.99


def test_credit_bounds() -> None:
    assert effective_rate("advanced", 0.05, 0.05) == 0.2 * 0.05
    assert effective_rate("advanced", 0.004, 0.05) == 0.004
    assert effective_rate("distrusted", 0.3, 0.05) == 0.8
    assert effective_rate("distrusted", 0.9, 0.05) == 0.9
    assert effective_rate("general", 0.07, 0.05) == 0.07


def test_draw_is_fixed_by_seed_and_number() -> None:
    first = draw("seed", "020220261000000001")
    assert first == draw("seed", "020220261000000001")
    assert first != draw("other", "020220261000000001")
    assert 0 <= first < 1
    share = sum(draw("seed", f"{n:018d}") < 0.1 for n in range(20000)) / 20000
    assert abs(share - 0.1) < 0.01


def test_threshold_needs_history_and_picks_the_top_share() -> None:
    assert threshold_for(REFERENCE[:49], 0.1) is None
    assert threshold_for(REFERENCE, 0.1) == 0.90
    assert threshold_for(REFERENCE, 0.0) == math.inf


def test_random_exploration_comes_first() -> None:
    # Rate 10%: a fifth (2%) at random, whatever the score.
    assert decide(0.0, 0.10, 0.019, REFERENCE) == Decision(True, "random", 0.10, 0.02, None,
                                                           0.019)


def test_score_above_threshold_is_selected() -> None:
    # (0.10 - 0.02) / 0.98 = 8.16% of the reference: the top 9 scores, from 0.91.
    chosen = decide(0.91, 0.10, 0.5, REFERENCE)
    assert (chosen.selected, chosen.basis, chosen.threshold) == (True, "risk", 0.91)
    assert decide(0.90, 0.10, 0.5, REFERENCE).basis == "released"


def test_cold_start_selects_at_random_at_the_rate() -> None:
    assert decide(0.99, 0.10, 0.05, []).basis == "cold_start"
    assert decide(0.99, 0.10, 0.10, []).basis == "released"


def test_distrusted_rate_selects_most_declarations() -> None:
    scores = [draw("s", str(n)) for n in range(400)]
    selected = sum(decide(s, 0.8, draw("u", str(n)), scores).selected
                   for n, s in enumerate(scores))
    assert selected / 400 >= 0.78


def test_lanes() -> None:
    assert lane_for(False, True) == selection.RELEASE
    assert lane_for(True, True) == selection.SAMPLE
    assert lane_for(True, False) == selection.PHYSICAL


def test_rate_rises_when_hits_are_frequent_and_falls_when_rare() -> None:
    assert adapted_rate(0.05, hits=8, labelled=20, overall_hit_rate=0.1) == 0.075
    assert adapted_rate(0.05, hits=8, labelled=19, overall_hit_rate=0.1) == 0.05
    assert adapted_rate(0.05, hits=1, labelled=40, overall_hit_rate=0.1) == 0.04
    assert adapted_rate(0.05, hits=5, labelled=40, overall_hit_rate=0.1) == 0.05
    assert adapted_rate(0.9, hits=20, labelled=20, overall_hit_rate=0.1) == 1.0
    assert adapted_rate(0.005, hits=0, labelled=100, overall_hit_rate=0.1) == 0.005
