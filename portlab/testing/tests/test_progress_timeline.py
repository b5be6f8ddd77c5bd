from conftest import SIGNED
from portlab.testing import services as testing
from portlab.testing.progress import APPLICATION_STEPS, application_progress, timeline
from portlab.testing.reception import sample_reject
from portlab.testing.results import ResultInput
from portlab.testing.services import result_enter


def states(line) -> list[tuple[str, str]]:
    return [(step.key, step.state) for step in line.steps]


def test_timeline_follows_the_lab_through_approval(staff, assigned_test) -> None:
    application = assigned_test.sample.application
    progress = application_progress(application)
    assert states(progress.timeline) == [
        ("submitted", "done"), ("received", "done"), ("in_testing", "current"),
        ("in_review", "pending"), ("approved", "pending"), ("reported", "pending")]
    (test_line,) = progress.samples[0].tests
    assert states(test_line.timeline) == [
        ("pending", "done"), ("assigned", "current"), ("resulted", "pending"),
        ("reviewed", "pending"), ("approved", "pending")]
    result_enter(actor=staff["analyst"], test=assigned_test,
                 data=ResultInput(kind="numeric", value="0.041"))
    testing.test_review(actor=staff["reviewer"], test=assigned_test, decision="accept",
                        expected_version=assigned_test.version, credential=SIGNED)
    testing.test_approve(actor=staff["signatory"], test=assigned_test, decision="accept",
                         expected_version=assigned_test.version, credential=SIGNED)
    application.refresh_from_db()
    progress = application_progress(application)
    assert [step.state for step in progress.timeline.steps] == [
        "done", "done", "done", "done", "current", "pending"]
    assert all(step.at is not None for step in progress.timeline.steps[:5])
    times = [step.at for step in progress.samples[0].timeline.steps[:5]]
    assert times == sorted(times)
    assert [step.state for step in progress.samples[0].tests[0].timeline.steps] == [
        "done", "done", "done", "done", "done"]


def test_rejected_sample_stops_after_submission(staff, application) -> None:
    sample_reject(actor=staff["clerk"], sample=application.samples.get(), reason="包装破损")
    application.refresh_from_db()
    progress = application_progress(application)
    assert states(progress.samples[0].timeline) == [("submitted", "done"), ("rejected", "stopped")]
    assert states(progress.timeline) == [("submitted", "done"), ("rejected", "stopped")]
    assert progress.samples[0].tests == []


def test_skipped_steps_are_done_without_a_date() -> None:
    line = timeline(APPLICATION_STEPS, "in_review", {"submitted": "t0", "in_review": "t2"})
    assert [(s.key, s.at, s.state) for s in line.steps] == [
        ("submitted", "t0", "done"), ("received", None, "done"), ("in_testing", None, "done"),
        ("in_review", "t2", "current"), ("approved", None, "pending"),
        ("reported", None, "pending")]
    final = timeline(APPLICATION_STEPS, "reported", {})
    assert final.steps[-1].state == "done"
