"""`portlab job` and `portlab generate`: a job started and followed from the command line, with
its outcome, or its refusal with the reason."""

import pytest
from django.core.management import CommandError, call_command

from portlab.jobs.models import JobRun
from portlab.network.models import District, Lab


def test_a_job_runs_here_with_its_progress_and_outcome(transactional_db, capsys) -> None:
    call_command("job", "generate", "labs=2", "capabilities=5", "tests=100", "prefix=Q1",
                 "--here")
    run = JobRun.objects.get()
    assert (run.kind, run.state, run.done, run.total) == ("generate", "succeeded", 100, 100)
    assert run.outcome["labs"] == 2 and run.outcome["tests"] >= 100
    assert Lab.objects.filter(code__startswith="Q1").count() == 2
    assert f'"labs": 2, "tests": {run.outcome["tests"]}' in capsys.readouterr().out


def test_a_refused_job_says_why_and_changes_nothing(transactional_db) -> None:
    with pytest.raises(CommandError, match="--tests must be a whole number of at least 0, got -5"):
        call_command("job", "generate", "labs=2", "tests=-5", "prefix=Q2", "--here")
    assert JobRun.objects.get().state == "failed"
    assert not District.objects.exists()
    with pytest.raises(CommandError, match="Known jobs: .*generate"):
        call_command("job", "no_such_job")
    with pytest.raises(CommandError, match="'labs2': parameters are key=value"):
        call_command("job", "generate", "labs2")


def test_generate_refuses_before_starting(db) -> None:
    with pytest.raises(CommandError, match="--labs must be a whole number of at least 1, got 0"):
        call_command("generate", labs=0)
    assert not District.objects.exists()
