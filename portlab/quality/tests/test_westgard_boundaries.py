"""Westgard multirules at their limits, pinned so that mutation testing finds no slack.

Definitions: Westgard, Barry, Hunt, Groth, Clin. Chem. 1981; 27:493-501, and westgard.com
"Westgard Rules": each rule is violated by observations that *exceed* a limit, so a value
exactly on a limit does not violate it; 4-1s is exactly four consecutive points and 10-x
exactly ten. Every point here has mean 0 and sd 1, so its value is its z score.
"""

import pytest

from portlab.quality.westgard import QCInputError, QCPoint, Status, evaluate


def z_points(*rows: tuple[str, str, float]) -> list[QCPoint]:
    return [QCPoint(run, level, z, 0.0, 1.0) for run, level, z in rows]


def rules(*rows: tuple[str, str, float]) -> list[list[str]]:
    return [result.rules for result in evaluate(z_points(*rows)).points]


@pytest.mark.parametrize(("first", "second"), [(2.0, 2.5), (2.5, 2.0), (-2.0, -2.5), (-2.5, -2.0)])
def test_2_2s_across_levels_is_not_violated_by_a_point_exactly_on_2s(first, second) -> None:
    assert sorted(rules(("R1", "L1", first), ("R1", "L2", second))) == [[], ["1-2s"]]


@pytest.mark.parametrize(("first", "second"), [(2.5, 2.1), (-2.5, -2.1), (-2.1, -2.5)])
def test_2_2s_across_levels_just_beyond_2s_rejects(first, second) -> None:
    assert rules(("R1", "L1", first), ("R1", "L2", second)) == [["1-2s", "2-2s"]] * 2


@pytest.mark.parametrize(("first", "second"), [(1.0, -2.5), (-2.5, 1.0), (-1.9, -2.5)])
def test_2_2s_across_levels_needs_both_points_beyond_2s_on_the_low_side(first, second) -> None:
    assert sorted(rules(("R1", "L1", first), ("R1", "L2", second))) == [[], ["1-2s"]]


def test_2_2s_within_a_level_is_not_violated_by_a_point_exactly_on_minus_2s() -> None:
    assert rules(("R1", "L1", -2.5), ("R2", "L1", -2.0)) == [["1-2s"], []]


@pytest.mark.parametrize(("first", "second"), [(2.0, -2.5), (2.5, -2.0), (-2.0, 2.5), (-2.5, 2.0)])
def test_r_4s_is_not_violated_by_a_point_exactly_on_2s(first, second) -> None:
    assert sorted(rules(("R1", "L1", first), ("R1", "L2", second))) == [[], ["1-2s"]]


@pytest.mark.parametrize(("first", "second"), [(2.1, -2.1), (-2.1, 2.1)])
def test_r_4s_just_beyond_2s_on_both_sides_rejects(first, second) -> None:
    assert rules(("R1", "L1", first), ("R1", "L2", second)) == [["1-2s", "R-4s"]] * 2


def test_within_run_rules_compare_every_pair_of_levels() -> None:
    """Four levels in one run: the first and third are the pair beyond +2 sd."""
    report = rules(("R1", "L1", 2.5), ("R1", "L2", 0.0), ("R1", "L3", 2.5), ("R1", "L4", 0.0))

    assert report == [["1-2s", "2-2s"], [], ["1-2s", "2-2s"], []]


def test_4_1s_within_a_level_is_exactly_four_points() -> None:
    """L1 drifts beyond +1 sd while L2 alternates sides, so only the level's own run counts."""
    rows = [("R1", "L1", 1.5), ("R1", "L2", -0.5), ("R2", "L1", 1.5), ("R2", "L2", 0.5),
            ("R3", "L1", 1.5), ("R3", "L2", -0.5), ("R4", "L1", 1.5), ("R4", "L2", 0.5)]

    assert rules(*rows) == [[], [], [], [], [], [], ["4-1s"], []]


def test_10_x_within_a_level_is_exactly_ten_points() -> None:
    rows = []
    for run in range(10):
        rows += [(f"R{run}", "L1", 0.5), (f"R{run}", "L2", -0.5 if run % 2 else 0.5)]

    report = rules(*rows)

    assert report[18] == ["10-x"]
    assert all(point_rules == [] for point_rules in report[:18] + report[19:])


def test_10_x_below_the_mean_is_broken_by_a_value_exactly_on_the_mean() -> None:
    rows = [(f"R{run}", "L1", -0.5) for run in range(9)] + [("R9", "L1", 0.0)]

    assert rules(*rows) == [[]] * 10


def test_rules_are_listed_in_the_westgard_order_not_alphabetically() -> None:
    rows = [(f"R{run}", "L1", 1.5) for run in range(8)] + [("R8", "L1", 2.5), ("R9", "L1", 2.5)]

    assert rules(*rows)[-1] == ["1-2s", "2-2s", "4-1s", "10-x"]


def test_run_status_is_the_worst_point_whatever_the_order() -> None:
    """Each run has its own level, so no rule links points of different runs."""
    report = evaluate(z_points(
        ("warning-then-reject", "A", 2.5), ("warning-then-reject", "A", 3.5),
        ("reject-then-warning", "B", -3.5), ("reject-then-warning", "B", 2.5),
        ("reject-then-accept", "C", 3.5), ("reject-then-accept", "C", 0.0),
    ))

    assert [point.status for point in report.points] == [
        Status.WARNING, Status.REJECT, Status.REJECT, Status.WARNING, Status.REJECT, Status.ACCEPT,
    ]
    assert report.runs == {
        "warning-then-reject": Status.REJECT,
        "reject-then-warning": Status.REJECT,
        "reject-then-accept": Status.REJECT,
    }


def test_point_result_keeps_the_measured_value_as_a_float() -> None:
    result = evaluate([QCPoint("R1", "L1", 115, 100.0, 10.0)]).points[0]

    assert (result.value, type(result.value), result.z) == (115.0, float, 1.5)


def test_an_sd_below_1_is_valid() -> None:
    assert evaluate([QCPoint("R1", "L1", 1.0, 0.0, 0.5)]).points[0].z == 2.0


def test_a_non_numeric_sd_is_rejected_naming_the_point_and_the_field() -> None:
    with pytest.raises(QCInputError) as raised:
        evaluate([QCPoint("R1", "L1", 1.0, 0.0, 1.0), QCPoint("R2", "L1", 1.0, 0.0, "x")])

    assert str(raised.value) == "QC point 2: sd must be a number, got 'x'"
    assert (raised.value.index, raised.value.detail) == (1, "sd must be a number, got 'x'")
