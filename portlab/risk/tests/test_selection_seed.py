"""Selection randomness comes from the operating system; only tests fix a seed."""

import re

from portlab.risk.services import selection_seed


def test_without_a_fixed_seed_each_decision_draws_a_fresh_random_one(settings) -> None:
    settings.PORTLAB_RISK_SEED = ""
    seeds = {selection_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(re.fullmatch(r"[0-9a-f]{32}", seed) for seed in seeds)


def test_tests_may_fix_the_seed(settings) -> None:
    settings.PORTLAB_RISK_SEED = "test-seed"
    assert selection_seed() == "test-seed"
