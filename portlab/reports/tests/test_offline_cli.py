"""Offline verification with `portlab verify-report` and the trust list; key commands."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from conftest import SIGNED
from portlab.accounts.models import User
from portlab.intake.models import Application, Status
from portlab.network.models import Lab
from portlab.reports import keys
from portlab.reports.keystore import trust_list_current
from portlab.reports.models import Report
from portlab.reports.payload import VerificationStatus, verify_payload
from portlab.reports.services import report_issue


def _write_pdf(report: Report, path: Path) -> Path:
    path.write_bytes(bytes(Report.objects.values_list("pdf", flat=True).get(pk=report.pk)))
    return path


def _verify(capsys, *arguments: str) -> tuple[int, dict]:
    with pytest.raises(SystemExit) as exited:
        call_command("verify_report", *arguments)
    return exited.value.code, json.loads(capsys.readouterr().out)


def test_offline_verification_of_a_genuine_pdf(
        capsys, tmp_path: Path, issued_report: Report,
        django_assert_num_queries) -> None:
    pdf = _write_pdf(issued_report, tmp_path / "report.pdf")
    call_command("trust_list", "--output", str(tmp_path / "trust.json"))
    capsys.readouterr()
    fingerprint = json.loads((tmp_path / "trust.json").read_text())["root_certificate_pem"]
    assert fingerprint.startswith("-----BEGIN CERTIFICATE-----")
    with django_assert_num_queries(0):
        code, result = _verify(capsys, str(pdf), "--trust-list", str(tmp_path / "trust.json"))
    assert (code, result["status"], result["report_number"], result["version"]) == (
        0, "genuine", issued_report.number, 1)
    assert result["lab_code"] == "TJ-TC"


def test_offline_verification_refuses_altered_pdf_and_foreign_root(
        capsys, tmp_path: Path, issued_report: Report) -> None:
    pdf = bytearray(_write_pdf(issued_report, tmp_path / "r.pdf").read_bytes())
    position = pdf.index(b"/Title (") + 10
    pdf[position] = ord("X")
    (tmp_path / "altered.pdf").write_bytes(bytes(pdf))
    call_command("trust_list", "--output", str(tmp_path / "trust.json"))
    capsys.readouterr()
    code, result = _verify(capsys, str(tmp_path / "altered.pdf"),
                           "--trust-list", str(tmp_path / "trust.json"))
    assert (code, result["status"]) == (1, "altered")
    code, result = _verify(capsys, str(tmp_path / "r.pdf"), "--trust-list",
                           str(tmp_path / "trust.json"), "--root-fingerprint", "00" * 32)
    assert (code, result["status"]) == (1, "error")
    assert result["message"] == \
        "trust list rejected: trust list root does not match the pinned fingerprint"


def test_keys_init_is_idempotent(keys_dir: Path, lab: Lab, capsys) -> None:
    before = sorted(path.name for path in keys_dir.rglob("*.pem"))
    call_command("keys_init")
    assert sorted(path.name for path in keys_dir.rglob("*.pem")) == before
    assert "nothing created" in capsys.readouterr().out
    assert len(keys.lab_keys_load(keys_dir, lab.code)) == 1


def test_rotation_keeps_old_reports_verifiable(
        staff: dict[str, User], issued_report: Report, keys_dir: Path, lab: Lab) -> None:
    call_command("keys_rotate", lab.code)
    assert len(keys.lab_keys_load(keys_dir, lab.code)) == 2
    trust_list = trust_list_current()
    assert verify_payload(issued_report.payload, trust_list).status is \
        VerificationStatus.GENUINE
    application = issued_report.application
    Application.objects.filter(pk=application.pk).update(status=Status.APPROVED)
    application.refresh_from_db()
    second = report_issue(actor=staff["signatory"], application=application, credential=SIGNED)
    assert second.key_id != issued_report.key_id
    assert second.key_id == keys.lab_key_current(keys_dir, lab.code).kid.hex()
