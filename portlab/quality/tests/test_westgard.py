"""Westgard multirules (Westgard et al., Clin. Chem. 1981; 27:493-501).

Level L1 has mean 100 and sd 10, level L2 mean 200 and sd 20, so every z below is exact in
binary floating point (e.g. 120 -> z = 2.0).
"""

import math

import pytest

from portlab.quality.westgard import QCInputError, QCPoint, Status, evaluate

TARGETS = {"L1": (100.0, 10.0), "L2": (200.0, 20.0)}


def points(*rows: tuple[str, str, float]) -> list[QCPoint]:
    return [QCPoint(run, level, value, *TARGETS[level]) for run, level, value in rows]


def rules(*rows: tuple[str, str, float]) -> list[list[str]]:
    return [result.rules for result in evaluate(points(*rows)).points]


def test_z_score_is_distance_from_mean_in_sd() -> None:
    report = evaluate(points(("R1", "L1", 115.0), ("R1", "L2", 170.0)))

    assert [result.z for result in report.points] == [1.5, -1.5]


def test_value_exactly_on_2s_limit_does_not_violate_1_2s() -> None:
    report = evaluate(points(("R1", "L1", 120.0), ("R2", "L1", 80.0)))

    assert [result.z for result in report.points] == [2.0, -2.0]
    assert [result.rules for result in report.points] == [[], []]
    assert report.runs == {"R1": Status.ACCEPT, "R2": Status.ACCEPT}


def test_value_exactly_on_3s_limit_is_only_a_1_2s_warning() -> None:
    report = evaluate(points(("R1", "L1", 130.0)))

    assert report.points[0].z == 3.0
    assert report.points[0].rules == ["1-2s"]
    assert report.points[0].status is Status.WARNING
    assert report.runs == {"R1": Status.WARNING}


def test_1_3s_rejects_beyond_3_sd_on_either_side() -> None:
    report = evaluate(points(("R1", "L1", 131.0), ("R2", "L1", 69.0)))

    assert [result.rules for result in report.points] == [["1-2s", "1-3s"], ["1-2s", "1-3s"]]
    assert report.runs == {"R1": Status.REJECT, "R2": Status.REJECT}


def test_2_2s_across_runs_within_one_level_flags_the_completing_point() -> None:
    report = evaluate(points(("R1", "L1", 121.0), ("R2", "L1", 125.0)))

    assert [result.rules for result in report.points] == [["1-2s"], ["1-2s", "2-2s"]]
    assert report.runs == {"R1": Status.WARNING, "R2": Status.REJECT}


def test_2_2s_needs_the_same_side() -> None:
    assert rules(("R1", "L1", 121.0), ("R2", "L1", 79.0)) == [["1-2s"], ["1-2s"]]


def test_2_2s_needs_consecutive_points_of_the_level() -> None:
    rows = (("R1", "L1", 121.0), ("R2", "L1", 100.0), ("R3", "L1", 121.0))

    assert rules(*rows) == [["1-2s"], [], ["1-2s"]]


def test_2_2s_within_one_run_across_levels_flags_both_points() -> None:
    report = evaluate(points(("R1", "L1", 121.0), ("R1", "L2", 242.0)))

    assert [result.rules for result in report.points] == [["1-2s", "2-2s"], ["1-2s", "2-2s"]]
    assert report.runs == {"R1": Status.REJECT}


def test_r_4s_within_one_run_flags_both_points() -> None:
    report = evaluate(points(("R1", "L1", 121.0), ("R1", "L2", 158.0)))

    assert [result.z for result in report.points] == [2.1, -2.1]
    assert [result.rules for result in report.points] == [["1-2s", "R-4s"], ["1-2s", "R-4s"]]
    assert report.runs == {"R1": Status.REJECT}


def test_r_4s_needs_both_points_beyond_2s() -> None:
    # range 2.1 - (-2.0) = 4.1 sd, but -2.0 does not exceed the -2s limit
    assert rules(("R1", "L1", 121.0), ("R1", "L2", 160.0)) == [["1-2s"], []]


def test_r_4s_is_not_applied_across_runs() -> None:
    assert rules(("R1", "L1", 121.0), ("R2", "L1", 79.0)) == [["1-2s"], ["1-2s"]]


def test_4_1s_within_one_level_across_runs() -> None:
    rows = [(f"R{run}", "L1", 111.0) for run in range(1, 5)]

    report = evaluate(points(*rows))

    assert [result.rules for result in report.points] == [[], [], [], ["4-1s"]]
    assert report.runs["R3"] is Status.ACCEPT
    assert report.runs["R4"] is Status.REJECT


def test_4_1s_across_levels() -> None:
    rows = (("R1", "L1", 89.0), ("R1", "L2", 178.0), ("R2", "L1", 89.0), ("R2", "L2", 178.0))

    assert rules(*rows) == [[], [], [], ["4-1s"]]


def test_4_1s_value_exactly_1_sd_does_not_count() -> None:
    rows = [(f"R{run}", "L1", 110.0) for run in range(1, 4)] + [("R4", "L1", 111.0)]

    assert rules(*rows) == [[], [], [], []]


def test_10_x_within_one_level() -> None:
    rows = [(f"R{run}", "L1", 105.0) for run in range(1, 11)]

    assert rules(*rows) == [[]] * 9 + [["10-x"]]


def test_10_x_across_levels() -> None:
    rows = [(f"R{run}", level, TARGETS[level][0] - 1.0) for run in range(1, 6) for level in TARGETS]

    assert rules(*rows) == [[]] * 9 + [["10-x"]]


def test_10_x_is_broken_by_a_value_on_the_mean() -> None:
    values = [105.0] * 5 + [100.0] + [105.0] * 5
    rows = [(f"R{run}", "L1", value) for run, value in enumerate(values, start=1)]

    assert rules(*rows) == [[]] * 11


def test_run_is_rejected_when_any_point_rejects() -> None:
    report = evaluate(points(("R1", "L1", 100.0), ("R1", "L2", 270.0), ("R2", "L1", 121.0)))

    assert [result.status for result in report.points] == [
        Status.ACCEPT,
        Status.REJECT,
        Status.WARNING,
    ]
    assert report.runs == {"R1": Status.REJECT, "R2": Status.WARNING}


@pytest.mark.parametrize("sd", [0.0, -1.0])
def test_non_positive_sd_is_rejected_naming_the_point(sd: float) -> None:
    qc_points = [QCPoint("R1", "L1", 100.0, 100.0, 10.0), QCPoint("R2", "L1", 100.0, 100.0, sd)]

    with pytest.raises(QCInputError, match=rf"^QC point 2: sd must be greater than 0, got {sd}$"):
        evaluate(qc_points)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.nan, "QC point 1: value must be a finite number, got nan"),
        (math.inf, "QC point 1: value must be a finite number, got inf"),
        ("12.5", "QC point 1: value must be a number, got '12.5'"),
        (None, "QC point 1: value must be a number, got None"),
        (True, "QC point 1: value must be a number, got True"),
    ],
)
def test_bad_value_is_rejected(value: object, message: str) -> None:
    with pytest.raises(QCInputError) as raised:
        evaluate([QCPoint("R1", "L1", value, 100.0, 10.0)])  # type: ignore[arg-type]

    assert str(raised.value) == message
    assert raised.value.index == 0
    assert isinstance(raised.value, ValueError)


def test_bad_mean_is_rejected() -> None:
    with pytest.raises(QCInputError, match="^QC point 1: mean must be a finite number, got nan$"):
        evaluate([QCPoint("R1", "L1", 100.0, math.nan, 10.0)])


def test_no_points_give_an_empty_report() -> None:
    report = evaluate([])

    assert report.points == []
    assert report.runs == {}
