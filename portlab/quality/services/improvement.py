"""Nonconforming work, complaints, corrective actions and internal audits (§7.9, §7.10, §8.7,
§8.8): each has an owner and a due date, and closes only with evidence."""

from typing import TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.core.versioning import save_versioned
from portlab.network.models import Lab
from portlab.quality.models import (
    Complaint,
    CorrectiveAction,
    InternalAudit,
    Nonconformity,
    QCRun,
)
from portlab.quality.models.improvement import TrackedRecord
from portlab.quality.services.common import (
    parse_date,
    require_text,
)

Tracked = TypeVar("Tracked", bound=TrackedRecord)


def _common(actor: User, lab: Lab, title: str, owner, due_date: object) -> dict:
    access.require(actor, "quality.record", lab=lab)
    if owner is None:
        raise ApplicationError(_("Choose the owner."), field="owner")
    return {"lab": lab, "title": require_text(title, "title", _("Give it a title.")),
            "owner": owner, "due_date": parse_date(due_date, "due_date", label=_("Due date")),
            "created_by": actor,
            "created_at": timezone.now()}


def _created(actor: User, record: Tracked, action: str) -> Tracked:
    audit_record(actor=actor, action=action, entity=record,
                 after={"title": record.title, "owner": record.owner.username,
                        "due_date": str(record.due_date), "status": record.status})
    return record


@transaction.atomic
def nonconformity_raise(*, actor: User, lab: Lab, title: str, owner, due_date: object,
                        source: str = Nonconformity.Source.OTHER, description: str = "",
                        test=None) -> Nonconformity:
    if source not in Nonconformity.Source.values:
        raise ApplicationError(_("Unknown source “%s”.") % source, field="source")
    fields = _common(actor, lab, title, owner, due_date)
    if test is not None and test.lab_id != lab.pk:
        raise ApplicationError(_("The test belongs to another lab."), field="test")
    record = Nonconformity.objects.create(source=source, description=description, test=test,
                                          **fields)
    return _created(actor, record, "nonconformity_raise")


@transaction.atomic
def complaint_receive(*, actor: User, lab: Lab, title: str, owner, due_date: object,
                      complainant: str,
                      received_on: object, description: str = "") -> Complaint:
    fields = _common(actor, lab, title, owner, due_date)
    record = Complaint.objects.create(
        complainant=require_text(complainant, "complainant", _("Name the complainant.")),
        received_on=parse_date(received_on, "received_on", label=_("Received on")),
        description=description, **fields)
    return _created(actor, record, "complaint_receive")


@transaction.atomic
def internal_audit_plan(*, actor: User, lab: Lab, title: str, owner, due_date: object, scope: str,
                        description: str = "") -> InternalAudit:
    fields = _common(actor, lab, title, owner, due_date)
    record = InternalAudit.objects.create(
        scope=require_text(scope, "scope", _("Give the audit scope (clauses, areas).")),
        description=description, **fields)
    return _created(actor, record, "internal_audit_plan")


@transaction.atomic
def corrective_action_open(*, actor: User, subject, title: str, owner, due_date: object,
                           root_cause: str = "", description: str = "") -> CorrectiveAction:
    """A corrective action for a nonconformity, complaint, internal audit or QC run."""
    links = {Nonconformity: "nonconformity", Complaint: "complaint", InternalAudit: "audit",
             QCRun: "qc_run"}
    link = links.get(type(subject))
    if link is None:
        raise ApplicationError(_("A corrective action answers a nonconformity, a complaint, an "
                                 "audit or a QC run."), field="subject")
    fields = _common(actor, subject.lab, title, owner, due_date)
    record = CorrectiveAction.objects.create(root_cause=root_cause, description=description,
                                             **{link: subject}, **fields)
    return _created(actor, record, "corrective_action_open")


def guard_record_update(*, actor, obj: TrackedRecord) -> None:
    """The lab's quality staff edit an open record."""
    access.require(actor, "quality.record", lab=obj.lab)
    if obj.status == TrackedRecord.Status.CLOSED:
        raise ApplicationError(_("“%s” is closed: it is no longer edited.") % obj.title,
                               field="status")


@transaction.atomic
def record_update(*, actor: User, record: Tracked, title: str, owner, due_date: object,
                  description: str = "", expected_version: int | None) -> Tracked:
    """Edit an open record's title, description, owner and due date (versioned, audited)."""
    guard_record_update(actor=actor, obj=record)
    fields = _common(actor, record.lab, title, owner, due_date)
    before = {"title": record.title, "owner": record.owner.username,
              "due_date": str(record.due_date), "description": record.description}
    record.title, record.owner, record.due_date = fields["title"], owner, fields["due_date"]
    record.description = (description or "").strip()
    save_versioned(record, expected_version, ["title", "owner", "due_date", "description"])
    audit_record(actor=actor, action=f"{type(record).__name__.lower()}_update", entity=record,
                 before=before, after={"title": record.title, "owner": owner.username,
                                       "due_date": str(record.due_date),
                                       "description": record.description})
    return record


def guard_record_close(*, actor, obj: TrackedRecord) -> None:
    """The record's owner, or the lab's quality staff, close it; a corrective action of a
    rejected QC run releases held results, so only the quality staff close that one."""
    quality_staff = access.may(actor, "quality.record", lab=obj.lab)
    if getattr(obj, "qc_run_id", None) is not None and not quality_staff:
        raise PermissionDenied(_("Only the quality manager closes the corrective action of a "
                                 "QC run: it releases the results the run holds."))
    if not (obj.owner_id == actor.pk or quality_staff):
        raise PermissionDenied(_("Only the owner or the quality manager closes this."))


@transaction.atomic
def record_close(*, actor: User, record: TrackedRecord, evidence: str,
                 expected_version: int | None = None) -> TrackedRecord:
    """Close a nonconformity, complaint, audit or corrective action; evidence is required."""
    guard_record_close(actor=actor, obj=record)
    if record.status == TrackedRecord.Status.CLOSED:
        raise ApplicationError(_("“%s” is already closed.") % record.title, field="status")
    evidence = require_text(evidence, "closure_evidence",
                            _("Closing needs evidence: say what was done and where the record "
                              "is."))
    open_actions = getattr(record, "actions", None)
    if open_actions is not None and open_actions.filter(status="open").exists():
        raise ApplicationError(_("Close its corrective actions first."), field="status")
    record.status, record.closure_evidence = TrackedRecord.Status.CLOSED, evidence
    record.closed_at, record.closed_by = timezone.now(), actor
    save_versioned(record, expected_version,
                   ["status", "closure_evidence", "closed_at", "closed_by"])
    audit_record(actor=actor, action=f"{type(record).__name__.lower()}_close", entity=record,
                 before={"status": TrackedRecord.Status.OPEN},
                 after={"status": record.status}, reason=evidence)
    return record
