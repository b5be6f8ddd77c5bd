import datetime
import json
import subprocess

import pytest
from django.test import Client
from django.utils import timezone

from portlab.accounts.models import Role, User
from portlab.accounts.services import api_token_create, user_create
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.network.models import Alliance, Lab
from portlab.quality import scores
from portlab.quality.models import Alert, PTParticipant, PTResult, PTRound
from portlab.quality.report import pt_round_report_pdf
from portlab.quality.selectors import pt_history, pt_round_rows
from portlab.quality.services import (
    pt_result_submit,
    pt_round_close,
    pt_round_open,
    pt_round_score,
    pt_scheme_create,
)

VALUES = [0.151, 0.162, 0.118, 0.149, 0.155, 0.147, 0.152, 0.250]


@pytest.fixture
def alliance(lab, other_lab, district) -> Alliance:
    alliance = Alliance.objects.create(code="JJJ", lead_lab=lab, name_zh="京津冀联盟")
    extra = [Lab.objects.create(code=f"X{i}", district=district, name_zh=f"实验室{i}", city="天津")
             for i in range(len(VALUES) - 2)]
    alliance.members.set([lab, other_lab, *extra])
    return alliance


@pytest.fixture
def scheme(quality_manager, alliance, lead):
    return pt_scheme_create(actor=quality_manager, alliance=alliance, test_item=lead,
                            code="JJJ-PB", name_zh="大米中铅")


@pytest.fixture
def open_round(quality_manager, scheme) -> PTRound:
    return pt_round_open(actor=quality_manager, scheme=scheme, code="JJJ-PB-1",
                         deadline=timezone.localdate() + datetime.timedelta(days=7))


def _bench_user(lab):
    existing = User.objects.filter(username=f"qm-{lab.code}").first()
    return existing or user_create(username=f"qm-{lab.code}", password="test-password-1",
                       roles=[(Role.QUALITY_MANAGER, lab)])


def _submit_all(round_: PTRound, values=VALUES) -> dict[str, PTParticipant]:
    participants = list(round_.participants.select_related("lab").order_by("lab__code"))
    for participant, value in zip(participants, values, strict=False):
        pt_result_submit(actor=_bench_user(participant.lab), participant=participant,
                         value=str(value), u="0.006", expanded_u="0.012")
    return {p.lab.code: p for p in participants}


def test_round_enrols_every_member_under_a_coded_id(open_round) -> None:
    codes = sorted(open_round.participants.values_list("coded_id", flat=True))
    assert codes == [f"P{i:02d}" for i in range(1, len(VALUES) + 1)]


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"sigma_pt": "-0.01"}, "sigma_pt", "sigma_pt must be greater than 0 (got -0.01)."),
    ({"sigma_pt": "abc"}, "sigma_pt", "sigma_pt: “abc” is not a number."),
    ({"deadline": "2000-01-01"}, "deadline", "The deadline 2000-01-01 is in the past."),
    ({"method": "mean"}, "method", "Unknown method “mean”: use algorithm-a or q-hampel."),
    ({"assigned_value": "0.15"}, "assigned_value_u",
     "Give the assigned value together with its standard uncertainty, or neither (consensus "
     "value)."),
])
def test_bad_round_parameters(quality_manager, scheme, changes, field, message) -> None:
    arguments = {"actor": quality_manager, "scheme": scheme, "code": "R",
                 "deadline": timezone.localdate() + datetime.timedelta(days=3)} | changes
    with pytest.raises(ApplicationError) as caught:
        pt_round_open(**arguments)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert PTRound.objects.count() == 0


def test_a_lab_sees_only_its_own_result_before_close(staff, lab, open_round) -> None:
    participants = _submit_all(open_round)
    rows = pt_round_rows(staff["analyst"], open_round)
    visible = [(row["participant"].lab.code, row["result"].value) for row in rows if row["result"]]
    assert visible == [(lab.code, participants[lab.code].result.value)]
    assert all(row["submitted"] for row in rows)


def test_after_scoring_everyone_sees_coded_scores(staff, lab, quality_manager, open_round):
    _submit_all(open_round)
    pt_round_close(actor=quality_manager, round_=open_round)
    pt_round_score(actor=quality_manager, round_=open_round)
    rows = pt_round_rows(staff["analyst"], open_round)
    assert sum(1 for row in rows if row["result"] is not None) == len(VALUES)
    assert [row["lab"].code for row in rows if row["lab"]] == [lab.code]
    stored = {r.participant.lab.code: r
              for r in PTResult.objects.select_related("participant__lab")}
    ordered = sorted(stored.values(), key=lambda r: r.participant.coded_id)
    expected = scores.evaluate_round([r.value for r in ordered], standard_uncertainties=[0.006]
                                     * len(ordered), expanded_uncertainties=[0.012] * len(ordered))
    for result, score in zip(ordered, expected.scores, strict=True):
        assert (result.z, result.zeta, result.en) == pytest.approx((score.z, score.zeta, score.en))
    open_round.refresh_from_db()
    assert open_round.status == PTRound.Status.SCORED
    assert open_round.x_pt == pytest.approx(expected.assigned_value)
    outlier = max(stored.values(), key=lambda r: r.value)
    assert outlier.evaluation == "unsatisfactory"
    flagged = {r.participant.lab_id for r in stored.values() if r.evaluation != "satisfactory"}
    assert set(Alert.objects.filter(kind="pt_unsatisfactory").values_list("lab_id", flat=True)) \
        == flagged
    assert outlier.participant.lab_id in flagged
    assert list(pt_history(lab)) == [stored[lab.code]]


def test_results_are_refused_after_close_and_others_cannot_close(staff, quality_manager,
                                                                 open_round) -> None:
    participants = _submit_all(open_round)
    with pytest.raises(PermissionDenied):
        pt_round_close(actor=_bench_user(Lab.objects.get(code="X0")), round_=open_round)
    pt_round_close(actor=quality_manager, round_=open_round)
    with pytest.raises(ApplicationError) as caught:
        pt_result_submit(actor=quality_manager, participant=participants["TJ-TC"], value="1")
    assert caught.value.message == "Round JJJ-PB-1 is closed: results can no longer be submitted."


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"value": ""}, "value", "Enter a number for value."),
    ({"value": "0,15x"}, "value", "value: “0,15x” is not a number."),
    ({"value": "0.15", "u": "-0.1"}, "u", "u cannot be negative (got -0.1)."),
])
def test_bad_results(quality_manager, open_round, fields, field, message) -> None:
    participant = open_round.participants.get(lab__code="TJ-TC")
    with pytest.raises(ApplicationError) as caught:
        pt_result_submit(actor=quality_manager, participant=participant, **fields)
    assert (caught.value.field, caught.value.message) == (field, message)
    assert PTResult.objects.count() == 0


@pytest.mark.parametrize(("values", "message"), [
    ([0.15], "At least 2 results are needed to score round JJJ-PB-1; 1 submitted."),
    ([0.15, 0.15, 0.15], "All results of round JJJ-PB-1 are equal: the robust standard deviation "
                         "would be 0, so no scores can be computed."),
    ([0.15, 0.15, 0.15, 0.16], "More than half of the results of round JJJ-PB-1 are equal: the "
                               "robust standard deviation is 0, so no scores can be computed."),
])
def test_rounds_that_cannot_be_scored(quality_manager, open_round, values, message) -> None:
    _submit_all(open_round, values)
    pt_round_close(actor=quality_manager, round_=open_round)
    with pytest.raises(ApplicationError) as caught:
        pt_round_score(actor=quality_manager, round_=open_round)
    assert caught.value.message == message
    open_round.refresh_from_db()
    assert open_round.status == PTRound.Status.CLOSED
    assert PTResult.objects.filter(z__isnull=False).count() == 0


def test_score_message_in_chinese(quality_manager, open_round) -> None:
    from django.utils import translation

    _submit_all(open_round, [0.15])
    pt_round_close(actor=quality_manager, round_=open_round)
    with translation.override("zh-hans"), pytest.raises(ApplicationError) as caught:
        pt_round_score(actor=quality_manager, round_=open_round)
    assert caught.value.message == ("能力验证轮次 JJJ-PB-1 至少需要 2 个结果才能评分，"
                                    "目前只提交了 1 个。")


def test_round_report_pdf_has_charts_and_cjk_text(tmp_path, staff, quality_manager,
                                                  open_round) -> None:
    _submit_all(open_round)
    pt_round_close(actor=quality_manager, round_=open_round)
    with pytest.raises(ApplicationError):
        pt_round_report_pdf(staff["analyst"], open_round)
    pt_round_score(actor=quality_manager, round_=open_round)
    pdf = pt_round_report_pdf(staff["analyst"], open_round)
    assert pdf.startswith(b"%PDF")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    assert "Proficiency testing round report · JJJ-PB-1" in text
    assert "大米中铅" in text


def test_round_page_and_api(staff, quality_manager, open_round) -> None:
    client = Client()
    client.force_login(staff["analyst"])
    response = client.post(f"/quality/pt/{open_round.pk}/submit/",
                           {"value": "0.151", "u": "0.006"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert PTResult.objects.get().participant.lab.code == "TJ-TC"
    page = client.get(f"/quality/pt/{open_round.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert "0.151" in page.content.decode()


def test_correcting_a_result_through_the_api_needs_its_version(staff, open_round) -> None:
    token = api_token_create(user=staff["analyst"], name="t")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_ACCEPT_LANGUAGE="en")
    url = f"/api/v1/quality/pt/rounds/{open_round.pk}/results"

    def submit(**body):
        return client.post(url, json.dumps(body), content_type="application/json")

    first = submit(value="0.151")
    assert first.status_code == 200, first.content
    (mine,) = [row for row in first.json()["rows"] if row["lab"] == "TJ-TC"]
    assert mine["version"] == 1
    assert submit(value="0.161").status_code == 422
    assert submit(value="0.161", version=2).status_code == 409
    assert submit(value="0.161", version=1).status_code == 200
    assert (PTResult.objects.get().value, PTResult.objects.get().version) == (0.161, 2)


def test_round_report_as_a_job_offers_its_pdf_on_the_job_page(
        tmp_path, file_store, staff, quality_manager, open_round) -> None:
    from conftest import run_queued_jobs
    from portlab.jobs.models import JobRun

    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(staff["analyst"])
    _submit_all(open_round)
    pt_round_close(actor=quality_manager, round_=open_round)
    refused = client.post(f"/quality/pt/{open_round.pk}/report/start")
    assert refused["Location"] == f"/quality/pt/{open_round.pk}/"
    assert not JobRun.objects.exists()
    pt_round_score(actor=quality_manager, round_=open_round)
    started = client.post(f"/quality/pt/{open_round.pk}/report/start")
    run = JobRun.objects.get(kind="pt_round_report")
    assert started["Location"] == f"/jobs/{run.pk}/"
    assert client.get(f"/quality/pt/report-job/{run.pk}.pdf").status_code == 404  # not yet
    run_queued_jobs()
    run.refresh_from_db()
    assert (run.state, run.outcome["round"], run.outcome["filename"]) == (
        "succeeded", "JJJ-PB-1", "pt-JJJ-PB-1.pdf")
    page = client.get(f"/jobs/{run.pk}/").content.decode()
    assert f'href="/quality/pt/report-job/{run.pk}.pdf">Download the round report (PDF)' in page
    download = client.get(f"/quality/pt/report-job/{run.pk}.pdf")
    assert download["Content-Disposition"] == 'attachment; filename="pt-JJJ-PB-1.pdf"'
    (tmp_path / "job.pdf").write_bytes(download.content)
    text = subprocess.run(["pdftotext", str(tmp_path / "job.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "Proficiency testing round report · JJJ-PB-1" in text
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    other.force_login(quality_manager)  # may see the round, did not start the job
    assert other.get(f"/quality/pt/report-job/{run.pk}.pdf").status_code == 404
