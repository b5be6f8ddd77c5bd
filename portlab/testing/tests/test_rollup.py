from portlab.intake.models import Status
from portlab.testing.models import Test
from portlab.testing.rollup import derived_status, sample_progress

S = Test.Status


def test_sample_follows_its_least_advanced_live_test() -> None:
    assert sample_progress([S.PENDING, S.PENDING]) == Status.RECEIVED
    assert sample_progress([S.PENDING, S.ASSIGNED]) == Status.IN_TESTING
    assert sample_progress([S.RESULTED, S.REVIEWED, S.APPROVED]) == Status.IN_REVIEW
    assert sample_progress([S.APPROVED, S.APPROVED]) == Status.APPROVED


def test_retracted_and_cancelled_tests_do_not_hold_a_sample_back() -> None:
    assert sample_progress([S.APPROVED, S.RETRACTED, S.CANCELLED]) == Status.APPROVED
    assert sample_progress([S.RETRACTED]) == Status.RECEIVED
    assert sample_progress([]) == Status.RECEIVED


def test_application_follows_its_least_advanced_live_sample() -> None:
    assert derived_status([Status.APPROVED, Status.IN_TESTING, Status.REJECTED]) == \
        Status.IN_TESTING
    assert derived_status([Status.REPORTED, Status.CANCELLED]) == Status.REPORTED


def test_application_with_no_live_sample_is_rejected_or_cancelled() -> None:
    assert derived_status([Status.REJECTED, Status.CANCELLED]) == Status.REJECTED
    assert derived_status([Status.CANCELLED]) == Status.CANCELLED


def test_a_move_the_sample_cannot_see_skips_the_roll_up() -> None:
    from itertools import product

    from portlab.testing.rollup import moves_sample

    assert not moves_sample(S.RESULTED, S.REVIEWED)  # a review: "in review" either way
    assert not moves_sample(S.RESULTED, S.RESULTED)  # a corrected result
    assert moves_sample(S.REVIEWED, S.APPROVED)
    assert moves_sample(S.ASSIGNED, S.RESULTED)
    assert moves_sample(S.PENDING, S.ASSIGNED)
    assert moves_sample(S.REVIEWED, S.ASSIGNED)  # returned to the analyst
    # Exact: whenever it says "no", the sample's status is the same whatever its other tests.
    for before, after in product(S.values, repeat=2):
        if moves_sample(before, after):
            continue
        for others in product(S.values, repeat=2):
            assert sample_progress([before, *others]) == sample_progress([after, *others])
