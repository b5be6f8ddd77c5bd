"""The import pages: upload as a job, the held-row queue resolved, the analyst's bulk
confirmation, and raw files downloadable only by those who may see the results."""

import hashlib

import pytest
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD, make_user, run_queued_jobs
from portlab.accounts.models import Role
from portlab.audit.models import AuditEvent
from portlab.instruments.models import ImportRow, ResultFile
from portlab.instruments.services import import_counts
from portlab.instruments.tests.conftest import FIXTURES, make_assigned_tests
from portlab.jobs.models import JobRun
from portlab.testing.models import Result

ICPMS = (FIXTURES / "icpms_masshunter_quant.csv").read_bytes()


def client_for(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def imported(staff, lab, lead, rice, enterprise, instrument) -> ResultFile:
    """TJ240315002 is unknown at upload time: its three rows are held."""
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001"])
    client = client_for(staff["manager"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(reverse("result_file_upload", args=[instrument.asset_number]),
                           {"file": SimpleUploadedFile("run.csv", ICPMS)})
    run = JobRun.objects.get(kind="result_import")
    assert response["Location"] == reverse("job_detail", args=[run.pk])
    run_queued_jobs()
    run.refresh_from_db()
    assert (run.state, run.done, run.total) == ("succeeded", 6, 6)
    assert run.outcome == {"file": "run.csv", "rows": 6, "matched": 1, "held": 5,
                           "entered": 0, "rejected": 0}
    return ResultFile.objects.get()


def test_the_import_page_shows_every_row_by_status(staff, imported) -> None:
    page = client_for(staff["manager"]).get(reverse("result_file_detail", args=[imported.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Unknown sample" in text and "Test not assigned" in text
    assert text.count('action="/instruments/rows/') == 10  # match and reject, 5 held rows


def test_the_job_page_links_to_the_imported_file_for_those_who_may_open_it(
        staff, other_lab, imported) -> None:
    run = JobRun.objects.get(kind="result_import")
    download = reverse("rawfile_download", args=[imported.sha256])
    rows = reverse("result_file_detail", args=[imported.pk])
    page = client_for(staff["manager"]).get(reverse("job_detail", args=[run.pk]))
    text = page.content.decode()
    assert f'<a class="button" href="{download}">Download the imported file, run.csv (SHA-256 ' \
           f'{imported.sha256[:12]}…)</a>' in text
    assert f'<a class="button" href="{rows}">' in text
    assert client_for(staff["manager"]).get(download).content == ICPMS
    # A staff member (who may see every job) at another lab is not shown either link.
    outsider = make_user("bjmanager", Role.LAB_MANAGER, other_lab)
    outsider.is_staff = True
    outsider.save(update_fields=["is_staff"])
    page = client_for(outsider).get(reverse("job_detail", args=[run.pk]))
    assert page.status_code == 200
    assert 'id="job_links"' not in page.content.decode()
    assert client_for(outsider).get(download).status_code == 404


def test_held_rows_are_matched_or_rejected_then_confirmed_in_bulk(
        staff, lab, lead, rice, enterprise, imported) -> None:
    make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315002"])
    manager = client_for(staff["manager"])
    pb = ImportRow.objects.get(line=15, analyte="Pb")
    response = manager.post(reverse("import_row_match", args=[pb.pk]),
                            {"sample": "TJ240315002", "analyte": "Pb", "version": pb.version})
    assert response.status_code == 302
    cd = ImportRow.objects.get(line=15, analyte="Cd")
    manager.post(reverse("import_row_reject", args=[cd.pk]),
                 {"reason": "Cd not requested", "version": cd.version})
    analyst = client_for(staff["analyst"])
    page = analyst.get(reverse("result_file_detail", args=[imported.pk]))
    assert "Confirm my 2 values as my results" in page.content.decode()
    analyst.post(reverse("import_rows_confirm", args=[imported.pk]))
    assert import_counts(imported) == {"matched": 0, "held": 3, "entered": 2, "rejected": 1}
    assert set(Result.objects.values_list("produced_by__username", "confirmed_by__username")) \
        == {("manager", "analyst")}
    assert [e.after for e in AuditEvent.objects.filter(action="import_row_reject")] == [
        {"line": 15, "reason": "Cd not requested"}]


def test_a_match_without_the_row_version_or_without_a_reason_changes_nothing(
        staff, imported) -> None:
    manager = client_for(staff["manager"])
    row = ImportRow.objects.get(line=15, analyte="Pb")
    manager.post(reverse("import_row_match", args=[row.pk]),
                 {"sample": "TJ240315002", "analyte": "Pb"})
    manager.post(reverse("import_row_reject", args=[row.pk]),
                 {"reason": " ", "version": row.version})
    page = manager.get(reverse("result_file_detail", args=[imported.pk]))
    assert "Give the reason for rejecting line 15." in page.content.decode()
    row.refresh_from_db()
    assert (row.status, row.version) == ("held", 1)


def test_a_sample_of_another_lab_cannot_be_matched(staff, other_lab, imported) -> None:
    row = ImportRow.objects.get(line=15, analyte="Pb")
    page = client_for(staff["manager"]).post(
        reverse("import_row_match", args=[row.pk]),
        {"sample": "BJ-NOT-OURS", "analyte": "Pb", "version": row.version}, follow=True)
    assert "No sample BJ-NOT-OURS at this lab." in page.content.decode()
    row.refresh_from_db()
    assert row.status == "held"


def test_the_raw_file_is_downloaded_by_lab_staff_and_hidden_from_others(
        staff, other_lab, imported) -> None:
    digest = hashlib.sha256(ICPMS).hexdigest()
    url = reverse("rawfile_download", args=[digest])
    own = client_for(staff["reviewer"]).get(url)
    assert (own.status_code, own.content) == (200, ICPMS)
    stranger = make_user("bj_reviewer", Role.REVIEWER, other_lab)
    assert client_for(stranger).get(url).status_code == 404
    assert client_for(staff["customer"]).get(url).status_code == 403
    other_row = client_for(stranger).get(reverse("result_file_detail", args=[imported.pk]))
    assert other_row.status_code == 404


def test_a_crashed_staging_resumes_without_duplicating(staff, instrument, icpms_tests_two,
                                                       monkeypatch) -> None:
    from portlab.instruments.services import imports

    monkeypatch.setattr(imports, "CHUNK", 2)
    result_file, _duplicate = imports.result_file_receive(
        actor=staff["manager"], instrument=instrument, filename="run.csv", content=ICPMS)

    def crash(done: int, total: int) -> None:
        if done == 4:
            raise RuntimeError("worker killed")

    with pytest.raises(RuntimeError):
        imports.result_file_stage(result_file=result_file, content=ICPMS, progress=crash)
    assert ImportRow.objects.count() == 4  # two chunks committed, each whole
    again, duplicate = imports.result_file_receive(
        actor=staff["manager"], instrument=instrument, filename="run.csv", content=ICPMS)
    assert (again.pk, duplicate, again.status) == (result_file.pk, False, "staging")
    imports.result_file_stage(result_file=again, content=ICPMS)
    imports.result_file_publish(result_file=again)
    assert import_counts(again) == {"matched": 2, "held": 4, "entered": 0, "rejected": 0}
    assert sorted(ImportRow.objects.values_list("position", flat=True)) == list(range(6))


@pytest.fixture
def icpms_tests_two(staff, lab, lead, rice, enterprise):
    return make_assigned_tests(staff, lab, lead, rice, enterprise, ["TJ240315001", "TJ240315002"])


def test_a_manual_result_keeps_its_attachment_for_those_who_see_it(staff, other_lab,
                                                                    icpms_tests_two) -> None:
    from portlab.files.services import rawfile_store
    from portlab.testing.models import Test
    from portlab.testing.results import ResultInput
    from portlab.testing.services import result_enter

    sheet = rawfile_store(content=b"%PDF-1.4 balance printout", name="balance.pdf",
                          actor=staff["analyst"])
    result = result_enter(actor=staff["analyst"], test=Test.objects.get(pk=icpms_tests_two[0].pk),
                          data=ResultInput(kind="numeric", value="0.05"), raw_file=sheet)
    assert (result.source, result.produced_by, result.confirmed_by, result.raw_file) == (
        "manual", staff["analyst"], staff["analyst"], sheet)
    url = reverse("rawfile_download", args=[sheet.sha256])
    assert client_for(staff["reviewer"]).get(url).content == b"%PDF-1.4 balance printout"
    stranger = make_user("bj_reviewer", Role.REVIEWER, other_lab)
    assert client_for(stranger).get(url).status_code == 404


def test_the_command_imports_with_a_progress_bar(staff, instrument, icpms_tests_two,
                                                 tmp_path, capsys) -> None:
    from django.core.management import call_command

    export = tmp_path / "run.csv"
    export.write_bytes(ICPMS)
    call_command("import_results", instrument.asset_number, str(export), "--user", "manager")
    assert "matched: 2, held: 4, entered: 0, rejected: 0" in capsys.readouterr().out
    call_command("import_results", instrument.asset_number, str(export))  # again: no new rows
    assert ImportRow.objects.count() == 6
