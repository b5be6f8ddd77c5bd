"""Nonconformities, complaints, corrective actions and internal audits opened, edited, filtered
and closed on screen (#12 item 5)."""

import datetime

from django.test import Client

from portlab.accounts.models import User
from portlab.audit.models import AuditEvent
from portlab.quality.models import Complaint, CorrectiveAction, InternalAudit, Nonconformity
from portlab.quality.services import nonconformity_raise


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _open(client, kind: str, form: dict):
    return client.post(f"/quality/records/{kind}/new/", form, HTTP_ACCEPT_LANGUAGE="en")


def test_each_kind_is_opened_on_screen(staff, lab, quality_manager) -> None:
    client = _client(quality_manager)
    base = {"lab": lab.pk, "owner": staff["analyst"].pk, "due_date": "2026-04-30"}
    assert _open(client, "nonconformity", {**base, "title": "Pipette out of tolerance",
                                            "source": "testing"}).status_code == 302
    assert _open(client, "complaint", {**base, "title": "Late report",
                                       "complainant": "Tianjin Foods",
                                       "received_on": "2026-04-01"}).status_code == 302
    assert _open(client, "audit", {**base, "title": "Audit 2026-1",
                                   "scope": "§7.7, §7.8"}).status_code == 302
    nonconformity = Nonconformity.objects.get()
    assert _open(client, "action", {**base, "title": "Recalibrate pipettes",
                                    "subject": f"nonconformity:{nonconformity.pk}",
                                    "root_cause": "no check schedule"}).status_code == 302
    action = CorrectiveAction.objects.get()
    assert (action.nonconformity, action.owner, action.due_date) == (
        nonconformity, staff["analyst"], datetime.date(2026, 4, 30))
    assert (Complaint.objects.get().complainant, InternalAudit.objects.get().scope) == (
        "Tianjin Foods", "§7.7, §7.8")
    assert AuditEvent.objects.filter(action__in=[
        "nonconformity_raise", "complaint_receive", "internal_audit_plan",
        "corrective_action_open"]).count() == 4


def test_a_bad_date_keeps_the_input_and_stores_nothing(staff, lab, quality_manager) -> None:
    response = _open(_client(quality_manager), "complaint", {
        "lab": lab.pk, "owner": staff["analyst"].pk, "due_date": "2026-04-31",
        "title": "Late report", "complainant": "Tianjin Foods", "received_on": "2026-04-01"})
    body = response.content.decode()
    assert response.status_code == 422
    assert "Due date: “2026-04-31” is not a date (YYYY-MM-DD)." in body
    assert 'value="Tianjin Foods"' in body and 'value="Late report"' in body
    assert Complaint.objects.count() == 0


def test_edit_is_versioned_and_filters_find_overdue(staff, lab, quality_manager) -> None:
    client = _client(quality_manager)
    _open(client, "nonconformity", {"lab": lab.pk, "owner": staff["analyst"].pk,
                                    "due_date": "2020-01-31", "title": "Old finding",
                                    "source": "other"})
    record = Nonconformity.objects.get()
    response = client.post(f"/quality/records/nonconformity/{record.pk}/edit/", {
        "title": "Old finding, widened", "owner": quality_manager.pk, "due_date": "2020-02-28",
        "version": record.version})
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.title, record.owner, record.version) == (
        "Old finding, widened", quality_manager, 2)
    stale = client.post(f"/quality/records/nonconformity/{record.pk}/edit/", {
        "title": "Other", "owner": quality_manager.pk, "due_date": "2020-02-28", "version": 1},
        HTTP_ACCEPT_LANGUAGE="en")
    assert stale.status_code == 422
    assert "changed by someone else" in stale.content.decode()
    overdue = client.get("/quality/records/nonconformity/?overdue=1", HTTP_ACCEPT_LANGUAGE="en")
    closed = client.get("/quality/records/nonconformity/?status=closed", HTTP_ACCEPT_LANGUAGE="en")
    assert "Old finding, widened" in overdue.content.decode()
    assert "Old finding, widened" not in closed.content.decode()


def test_the_quality_admin_reads_in_chinese(staff, lab, quality_manager) -> None:
    admin_client = _client(User.objects.create_superuser(username="superuser",
                                                         password="test-password-1"))
    nonconformity_raise(actor=quality_manager, lab=lab, title="Balance drift",
                        owner=staff["analyst"], due_date="2026-04-30")
    response = admin_client.get("/admin/quality/nonconformity/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == 200
    assert "不符合工作" in body and "责任人" in body and "完成期限" in body
    assert "Balance drift" in body and "Owner" not in body
