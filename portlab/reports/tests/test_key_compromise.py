"""Keys that can be lost: a lab key declared compromised from a date. Reports it signed dated on
or after that day verify as "signature key revoked" (by link, by number and code, by PDF, and
offline from the trust list); earlier ones keep their answer; the signed trust list says so."""

import datetime as dt
import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from conftest import SIGNED
from portlab.accounts.models import User
from portlab.audit.models import AuditEvent
from portlab.intake.models import Application
from portlab.network.models import Lab
from portlab.reports import keys, keystore, services
from portlab.reports.models import Report
from portlab.reports.payload import VerificationStatus, verify_payload
from portlab.reports.render import verification_url
from portlab.reports.trust_list import TrustListError, trust_list_load

TODAY = timezone.localdate()


@pytest.fixture
def old_keys(settings, tmp_path: Path, lab: Lab) -> Path:
    """A network whose root and lab key were made 30 days ago."""
    settings.PORTLAB_KEYS_DIR = directory = tmp_path / "keys"
    past = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=30)
    root = keys.root_create(network_name="PortLab Network", now=past)
    keys.root_save(directory, root)
    keys.lab_key_save(directory, keys.lab_certificate_issue(
        root=root, lab_code=lab.code, lab_name=lab.name_zh, now=past))
    keystore.trust_list_write()
    return directory


@pytest.fixture
def two_reports(staff: dict[str, User], approved_application: Application, old_keys: Path,
                monkeypatch) -> tuple[Report, Report]:
    """Version 1 issued ten days ago, version 2 today, both signed by the same key."""
    ten_days_ago = timezone.now() - dt.timedelta(days=10)
    monkeypatch.setattr(timezone, "now", lambda: ten_days_ago)
    first = services.report_issue(actor=staff["signatory"], application=approved_application,
                                  language="en", credential=SIGNED)
    monkeypatch.undo()
    second = services.report_reissue(actor=staff["signatory"], report=first, reason="typo",
                                   credential=SIGNED)
    first.refresh_from_db()
    assert first.key_id == second.key_id
    return first, second


def _link(client: Client, report: Report):
    return client.get(urlsplit(verification_url(report.payload)).path).context["verdict"]


def test_reports_after_the_date_are_revoked_earlier_ones_keep_their_answer(
        client: Client, two_reports: tuple[Report, Report], lab: Lab) -> None:
    first, second = two_reports
    since = (TODAY - dt.timedelta(days=2)).isoformat()
    call_command("keys_compromise", lab.code, "--since", since, "--reason", "laptop stolen")
    revoked = _link(client, second)
    assert (revoked.outcome, revoked.number, revoked.version) == (
        "key_revoked", second.number, 2)
    assert "declared compromised from" in revoked.message
    assert _link(client, first).outcome == "superseded"  # dated before: still genuine
    by_code = client.post("/verify", {"number": second.number,
                                      "code": second.verification_code}).context["verdict"]
    assert by_code.outcome == "key_revoked"
    pdf = bytes(Report.objects.values_list("pdf", flat=True).get(pk=second.pk))
    by_pdf = client.post("/verify/upload", {"file": SimpleUploadedFile(
        "r.pdf", pdf, "application/pdf")}).context["verdict"]
    assert by_pdf.outcome == "key_revoked"


def test_offline_verification_reads_the_compromise_from_the_signed_trust_list(
        two_reports: tuple[Report, Report], lab: Lab) -> None:
    first, second = two_reports
    since = TODAY - dt.timedelta(days=2)
    old, new = keystore.lab_key_compromise(lab=lab, since=since, reason="laptop stolen")
    document = json.loads(keystore.trust_list_text())
    entries = {entry["kid"]: entry for entry in document["keys"]}
    assert entries[old.kid.hex()]["compromised_since"] == f"{since.isoformat()}T00:00:00Z"
    assert "compromised_since" not in entries[new.kid.hex()]
    trust_list = trust_list_load(document)
    assert verify_payload(second.payload, trust_list).status is VerificationStatus.KEY_REVOKED
    assert verify_payload(first.payload, trust_list).status is VerificationStatus.GENUINE
    document["keys"][0]["compromised_since"] = "2000-01-01T00:00:00Z"
    with pytest.raises(TrustListError, match="signature does not verify"):
        trust_list_load(document)


def test_the_lab_signs_with_a_new_key_after_the_compromise(
        staff: dict[str, User], two_reports: tuple[Report, Report], lab: Lab,
        client: Client) -> None:
    _first, second = two_reports
    old, new = keystore.lab_key_compromise(lab=lab, since=TODAY)
    third = services.report_reissue(actor=staff["signatory"], report=second, reason="re-issue",
                                  credential=SIGNED)
    assert (third.key_id, old.kid.hex()) == (new.kid.hex(), second.key_id)
    assert _link(client, third).outcome == "genuine"
    event = AuditEvent.objects.get(action="lab_key_compromise")
    assert event.after == {"kid": old.kid.hex(), "since": TODAY.isoformat()}


def test_a_future_date_or_an_unknown_key_is_refused_and_nothing_changes(
        old_keys: Path, lab: Lab) -> None:
    before = keystore.trust_list_text()
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    with pytest.raises(CommandError, match=f"The compromise date {tomorrow} is in the future."):
        call_command("keys_compromise", lab.code, "--since", tomorrow)
    with pytest.raises(CommandError, match="has no signing key 00ff"):
        call_command("keys_compromise", lab.code, "--since", TODAY.isoformat(), "--kid", "00ff")
    with pytest.raises(CommandError, match="Unknown lab code 'XX'"):
        call_command("keys_compromise", "XX", "--since", TODAY.isoformat())
    assert keystore.trust_list_text() == before
    assert not (old_keys / keystore.COMPROMISE_FILE).exists()


def test_the_offline_command_says_signature_key_revoked(
        two_reports: tuple[Report, Report], lab: Lab, tmp_path: Path) -> None:
    from portlab.reports.management.commands.verify_report import verify_file

    first, second = two_reports
    keystore.lab_key_compromise(lab=lab, since=TODAY - dt.timedelta(days=2))
    trust_list = tmp_path / "trust-list.json"
    trust_list.write_text(keystore.trust_list_text(), encoding="utf-8")
    outcomes = {}
    for report in (first, second):
        pdf = tmp_path / f"v{report.version}.pdf"
        pdf.write_bytes(bytes(Report.objects.values_list("pdf", flat=True).get(pk=report.pk)))
        outcomes[report.version] = verify_file(pdf, trust_list, None)
    assert (outcomes[1]["status"], outcomes[1]["genuine"]) == ("genuine", True)
    assert (outcomes[2]["status"], outcomes[2]["genuine"]) == ("key_revoked", False)
    assert "declared compromised from" in outcomes[2]["message"]
    assert outcomes[2]["report_number"] == second.number
