"""CSV commands for Westgard rules and proficiency-test scores."""

import json
from pathlib import Path

import pytest

from portlab.quality.cli import QualityFileError, pt_score_command, westgard_command
from portlab.quality.robust import algorithm_a, q_hampel

CREOSOTE = [24.140, 20.155, 19.500, 20.300, 20.705, 17.570, 20.100, 20.940, 21.185]


def write(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def pt_file(tmp_path: Path, extra: str = "") -> Path:
    rows = "".join(f"lab{i},{value}\n" for i, value in enumerate(CREOSOTE, start=1))
    return write(tmp_path, "participant,result\n" + rows + extra)


def test_westgard_command_with_per_row_targets(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "run,level,value,mean,sd\nR1,L1,121,100,10\nR1,L2,158,200,20\nR2,L1,100,100,10\n",
    )

    output = westgard_command(path)

    assert output["status"] == "reject"
    assert output["runs"] == [{"run": "R1", "status": "reject"}, {"run": "R2", "status": "accept"}]
    assert output["points"][0] == {
        "line": 2,
        "run": "R1",
        "level": "L1",
        "value": 121.0,
        "mean": 100.0,
        "sd": 10.0,
        "z": 2.1,
        "rules": ["1-2s", "R-4s"],
        "status": "reject",
    }
    json.dumps(output, allow_nan=False)


def test_westgard_command_uses_arguments_when_columns_are_absent_or_empty(tmp_path: Path) -> None:
    path = write(tmp_path, "run,level,value,mean,sd\nR1,L1,120,,\nR2,L1,130,,\n")

    output = westgard_command(path, mean=100.0, sd=10.0)

    assert [point["z"] for point in output["points"]] == [2.0, 3.0]
    assert [point["rules"] for point in output["points"]] == [[], ["1-2s"]]
    assert output["status"] == "warning"


def test_westgard_row_values_win_over_arguments(tmp_path: Path) -> None:
    path = write(tmp_path, "run,level,value,mean\nR1,L1,120,110\n")

    output = westgard_command(path, mean=100.0, sd=10.0)

    assert output["points"][0]["z"] == 1.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("run,level,value\nR1,L1,120\nR2,L1,118\n", "line 2: mean is empty and no mean argument"),
        ("run,level,value,mean,sd\nR1,L1,120,100,10\nR2,L1,abc,100,10\n", "line 3: value 'abc'"),
        ("run,level,value,mean,sd\nR1,L1,120,100,10\nR2,L1,nan,100,10\n", "line 3: value 'nan'"),
        ("run,level,value,mean,sd\nR1,L1,120,100,10\n\nR2,L1,118,100,0\n", "line 4: sd must be gr"),
        ("run,level,value,mean,sd\nR1,L1,120,100,-1\n", "line 2: sd must be greater than 0"),
        ("run,level,value,mean,sd\nR1,,120,100,10\n", "line 2: level is empty"),
        ("run,value\nR1,120\n", "line 1: missing column(s) level"),
        ("run,level,value\n", ": no QC points"),
    ],
)
def test_westgard_command_errors_name_the_line(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)

    with pytest.raises(QualityFileError) as raised:
        westgard_command(path)

    assert str(raised.value).startswith(str(path))
    assert message in str(raised.value)


def test_westgard_command_mean_argument_without_sd_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "run,level,value\nR1,L1,120\n")

    with pytest.raises(QualityFileError) as raised:
        westgard_command(path, mean=100.0)

    assert str(raised.value) == f"{path} line 2: sd is empty and no sd argument was given"


def test_pt_score_command_with_consensus_value(tmp_path: Path) -> None:
    estimate = algorithm_a(CREOSOTE)

    output = pt_score_command(pt_file(tmp_path))

    assert output["method"] == "algorithm-a"
    assert output["participants"] == 9
    assert (output["robust_mean"], output["robust_sd"]) == (estimate.mean, estimate.sd)
    assert output["assigned_value"] == estimate.mean
    assert output["assigned_value_source"] == "consensus"
    assert output["assigned_value_uncertainty"] == 1.25 * estimate.sd / 3.0
    assert output["uncertainty_negligible"] is False
    first = output["scores"][0]
    assert (first["line"], first["participant"], first["result"]) == (2, "lab1", 24.14)
    assert first["z"] == (24.14 - estimate.mean) / estimate.sd
    assert first["z_evaluation"] == "unsatisfactory"
    assert (first["zeta"], first["zeta_evaluation"], first["en"], first["en_evaluation"]) == (
        None,
        None,
        None,
        None,
    )
    json.dumps(output, allow_nan=False)


def test_pt_score_command_with_uncertainties_and_provided_value(tmp_path: Path) -> None:
    path = write(tmp_path, "participant,result,u,U\nA,20.5,0.25,0.5\nB,19.0,,\nC,21.0,0.5,\n")

    output = pt_score_command(path, method="q-hampel", sigma_pt=0.5, assigned=20.0, assigned_u=0.0)

    assert output["method"] == "q-hampel"
    assert output["robust_mean"] == q_hampel([20.5, 19.0, 21.0]).mean
    assert output["assigned_value_source"] == "provided"
    assert output["uncertainty_negligible"] is True
    a, b, c = output["scores"]
    assert (a["z"], a["zeta"], a["en"], a["en_evaluation"]) == (1.0, 2.0, 1.0, "satisfactory")
    assert (b["z"], b["z_evaluation"], b["zeta"], b["en"]) == (-2.0, "satisfactory", None, None)
    assert (c["zeta"], c["zeta_evaluation"], c["en"]) == (2.0, "satisfactory", None)
    json.dumps(output, allow_nan=False)


@pytest.mark.parametrize(
    ("extra", "options", "message"),
    [
        ("lab10,abc\n", {}, "line 11: result 'abc' is not a number"),
        ("lab10,\n", {}, "line 11: result is empty"),
        ("lab1,20.0\n", {}, "line 11: participant 'lab1' already on line 2"),
        (",20.0\n", {}, "line 11: participant is empty"),
        ("", {"sigma_pt": -0.5}, ": sigma_pt must be greater than 0, got -0.5"),
        ("", {"method": "median"}, ": unknown method 'median'"),
        ("", {"assigned": 20.0}, ": the assigned value needs its standard uncertainty"),
    ],
)
def test_pt_score_command_errors(
    tmp_path: Path, extra: str, options: dict[str, object], message: str
) -> None:
    path = pt_file(tmp_path, extra)

    with pytest.raises(QualityFileError) as raised:
        pt_score_command(path, **options)  # type: ignore[arg-type]

    separator = "" if message.startswith(":") else " "
    assert str(raised.value).startswith(f"{path}{separator}{message}")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("participant,result\nA,1.5\n", ": at least 2 participant results are needed, got 1"),
        ("participant,result\nA,2\nB,2\nC,2\n", ": all results are equal"),
        ("participant,result,u\nA,2\nB,3,-0.1\n", " line 3: u of participant 2 is negative"),
        ("participant,value\nA,2\n", " line 1: missing column(s) result"),
    ],
)
def test_pt_score_command_bad_files(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, text)

    with pytest.raises(QualityFileError) as raised:
        pt_score_command(path)

    assert str(raised.value).startswith(f"{path}{message}")


def test_pt_score_command_zero_uncertainties_name_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, "participant,result,u\nA,2\nB,3,0\nC,4\n")

    with pytest.raises(QualityFileError) as raised:
        pt_score_command(path, assigned=3.0, assigned_u=0.0)

    assert (
        str(raised.value) == f"{path} line 3: zeta of participant 2 divides by a zero uncertainty"
    )
