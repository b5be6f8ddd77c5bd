import json

import pytest
from django.core.management import CommandError, call_command


def _write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_westgard_json(tmp_path, capsys) -> None:
    path = _write(tmp_path, "qc.csv", "run,level,value\n1,L1,10.1\n2,L1,13.5\n")
    call_command("westgard", path, "--mean", "10", "--sd", "1", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["status"] == "reject"
    assert [p["rules"] for p in report["points"]] == [[], ["1-2s", "1-3s"]]


def test_westgard_missing_sd_names_the_line(tmp_path) -> None:
    path = _write(tmp_path, "qc.csv", "run,level,value,mean\n1,L1,10.1,10\n")
    with pytest.raises(CommandError, match=r"line 2: sd is empty and no sd argument was given"):
        call_command("westgard", path)


def test_pt_score_json(tmp_path, capsys) -> None:
    path = _write(tmp_path, "pt.csv", "participant,result\nA,1.0\nB,1.2\nC,0.9\nD,1.1\nE,3.0\n")
    call_command("pt_score", path, "--sigma-pt", "0.2", "--json")
    report = json.loads(capsys.readouterr().out)
    assert report["sigma_pt"] == 0.2
    assert [row["z_evaluation"] for row in report["scores"]][-1] == "unsatisfactory"


@pytest.mark.parametrize(("text", "options", "message"), [
    ("participant,result\nA,1.0\nB,\n", [], "line 3: result is empty"),
    ("participant,result\nA,1.0\nB,abc\n", [], "line 3: result 'abc' is not a number"),
    ("participant,result\nA,1.0\n", [], "at least 2 participant results are needed, got 1"),
    ("participant,result\nA,1.0\nB,1.0\nC,1.0\n", [], "all results are equal"),
    ("participant,result\nA,1.0\nB,1.2\nC,1.1\n", ["--sigma-pt", "-1"],
     "sigma_pt must be greater than 0, got -1.0"),
    ("participant,value\nA,1.0\n", [], "line 1: missing column(s) result"),
])
def test_pt_score_bad_files(tmp_path, text, options, message) -> None:
    path = _write(tmp_path, "pt.csv", text)
    with pytest.raises(CommandError) as caught:
        call_command("pt_score", path, *options)
    assert message in str(caught.value)


def test_missing_file_is_a_command_error(tmp_path) -> None:
    with pytest.raises(CommandError, match="No such file"):
        call_command("pt_score", str(tmp_path / "absent.csv"))
