"""Personnel (ISO/IEC 17025 §6.2): training and competence records, authorizations."""

import datetime

from django.db import router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.core.versioning import require_version, save_versioned
from portlab.network.models import Capability, Lab, Method
from portlab.quality.models import Authorization, CompetenceRecord, Duty
from portlab.quality.services.common import (
    parse_date,
    require_text,
)


@transaction.atomic
def competence_record_add(*, actor: User, user, lab: Lab, kind: str, topic: str, date: object,
                          evidence: str) -> CompetenceRecord:
    """Record training received or competence demonstrated; evidence is required."""
    access.require(actor, "quality.record", lab=lab)
    if kind not in CompetenceRecord.Kind.values:
        raise ApplicationError(_("Unknown record kind “%s”.") % kind, field="kind")
    record = CompetenceRecord.objects.create(
        user=user, lab=lab, kind=kind,
        topic=require_text(topic, "topic", _("Name the training or competence topic.")),
        date=parse_date(date, "date"),
        evidence=require_text(evidence, "evidence", _("Describe the evidence (certificate, "
                                                      "test results, observation).")),
        recorded_by=actor, recorded_at=timezone.now())
    audit_record(actor=actor, action="competence_record_add", entity=record,
                 after={"user": user.username, "kind": kind, "topic": record.topic,
                        "date": str(record.date)})
    return record


def _validity(valid_from: object, valid_to: object) -> tuple[datetime.date, datetime.date | None]:
    start = parse_date(valid_from, "valid_from", label=_("Valid from"))
    end = parse_date(valid_to, "valid_to", optional=True, label=_("Valid to"))
    if end is not None and end < start:
        raise ApplicationError(
            _("The authorization would end (%(end)s) before it starts (%(start)s).")
            % {"end": end, "start": start}, field="valid_to")
    return start, end


def guard_authorization_grant(*, actor, user, lab: Lab) -> None:
    """The lab's quality staff authorize people, never themselves."""
    access.require(actor, "authorization.grant", lab=lab)
    if user.pk == actor.pk:
        raise PermissionDenied(_("Nobody grants or renews their own authorization: ask "
                                 "another quality manager of the lab."))


@transaction.atomic
def authorization_grant(
    *, actor: User, user, lab: Lab, duty: str, valid_from: object, valid_to: object = None,
    capability: Capability | None = None, method: Method | None = None,
) -> Authorization:
    """Authorize a person for a duty on one capability of the lab or on a method."""
    guard_authorization_grant(actor=actor, user=user, lab=lab)
    if duty not in Duty.values:
        raise ApplicationError(_("Unknown duty “%s”.") % duty, field="duty")
    if (capability is None) == (method is None):
        raise ApplicationError(_("Authorize either one capability or one method."),
                               field="capability")
    if capability is not None and capability.lab_id != lab.pk:
        raise ApplicationError(_("This capability belongs to another lab."), field="capability")
    start, end = _validity(valid_from, valid_to)
    authorization = Authorization.objects.create(
        user=user, lab=lab, capability=capability, method=method, duty=duty, valid_from=start,
        valid_to=end, granted_by=actor, granted_at=timezone.now())
    audit_record(actor=actor, action="authorization_grant", entity=authorization,
                 after={"user": user.username, "duty": duty,
                        "capability": capability.pk if capability else None,
                        "method": method.code if method else None,
                        "valid_from": str(start), "valid_to": str(end) if end else None})
    return authorization


def guard_authorization_revoke(*, actor, obj: Authorization) -> None:
    """The lab's quality staff revoke an authorization."""
    access.require(actor, "authorization.grant", lab=obj.lab)


@transaction.atomic
def authorization_revoke(*, actor: User, authorization: Authorization,
                         reason: str) -> Authorization:
    guard_authorization_revoke(actor=actor, obj=authorization)
    reason = require_text(reason, "reason", _("Say why the authorization is revoked."))
    if authorization.revoked_at is not None:
        raise ApplicationError(_("This authorization is already revoked."), field="authorization")
    authorization.revoked_at = timezone.now()
    authorization.save(update_fields=["revoked_at"])
    audit_record(actor=actor, action="authorization_revoke", entity=authorization,
                 after={"revoked_at": authorization.revoked_at.isoformat()}, reason=reason)
    return authorization


def guard_authorization_renew(*, actor, obj: Authorization) -> None:
    """Another member of the lab's quality staff renews a standing authorization."""
    guard_authorization_grant(actor=actor, user=obj.user, lab=obj.lab)
    if obj.revoked_at is not None:
        raise ApplicationError(_("A revoked authorization is not renewed: grant a new one."),
                               field="authorization")
    if obj.valid_to is None:
        raise ApplicationError(_("This authorization has no end date: there is nothing to "
                                 "renew."), field="authorization")
    if Authorization.objects.filter(renews=obj).exists():
        raise ApplicationError(_("This authorization was renewed already."),
                               field="authorization")


@transaction.atomic
def authorization_renew(*, actor: User, authorization: Authorization, valid_to: object,
                        expected_version: int | None = None) -> Authorization:
    """A new authorization continuing this one (same person, duty and scope) from the day after
    it ends, or from today when it has lapsed; the old one stays as the record of the past."""
    guard_authorization_renew(actor=actor, obj=authorization)
    require_version(authorization, expected_version)
    assert authorization.valid_to is not None  # the guard refuses an open-ended one
    start = max(authorization.valid_to + datetime.timedelta(days=1), timezone.localdate())
    start, end = _validity(start, valid_to)
    if end is None:
        raise ApplicationError(_("Enter a date for %(field)s.") % {"field": _("Valid to")},
                               field="valid_to")
    renewal = Authorization.objects.create(
        user=authorization.user, lab=authorization.lab, capability=authorization.capability,
        method=authorization.method, duty=authorization.duty, valid_from=start, valid_to=end,
        granted_by=actor, granted_at=timezone.now(), renews=authorization)
    audit_record(actor=actor, action="authorization_renew", entity=renewal,
                 before={"renews": authorization.pk, "valid_to": str(authorization.valid_to)},
                 after={"user": authorization.user.username, "valid_from": str(start),
                        "valid_to": str(end)})
    return renewal


@transaction.atomic
def authorization_update(*, actor: User, authorization: Authorization, valid_from: object,
                         valid_to: object, expected_version: int | None) -> Authorization:
    """Correct an authorization's validity; the holder never edits their own."""
    guard_authorization_grant(actor=actor, user=authorization.user, lab=authorization.lab)
    require_version(authorization, expected_version)
    before = {"valid_from": str(authorization.valid_from),
              "valid_to": str(authorization.valid_to) if authorization.valid_to else None}
    authorization.valid_from, authorization.valid_to = _validity(valid_from, valid_to)
    save_versioned(authorization, expected_version, ["valid_from", "valid_to"])
    audit_record(actor=actor, action="authorization_update", entity=authorization,
                 before=before, after={"valid_from": str(authorization.valid_from),
                                       "valid_to": str(authorization.valid_to)
                                       if authorization.valid_to else None})
    return authorization


def holds_authorization(user, capability: Capability, duty: str, day: datetime.date) -> bool:
    """Whether `user` holds, on `day`, an unrevoked authorization for `duty` on the capability
    or on its method, at the capability's lab."""
    db = transaction.get_connection(router.db_for_read(Authorization))
    with db.cursor() as cursor:
        cursor.execute(_holds_statement(db), [
            user.pk, capability.lab_id, duty, capability.pk, capability.method_id,
            db.ops.adapt_datefield_value(day), db.ops.adapt_datefield_value(day)])
        return cursor.fetchone() is not None


_statements: dict[str, str] = {}


def _holds_statement(db) -> str:
    """Built once per database: every assignment, review and approval asks it, and the ORM
    would spend more rebuilding this query each time than the database spends answering it."""
    if db.vendor not in _statements:
        quote, meta = db.ops.quote_name, Authorization._meta
        columns = {field.name: field.column for field in meta.concrete_fields}

        def column(name: str) -> str:
            return quote(columns[name])

        _statements[db.vendor] = (
            f"SELECT 1 FROM {quote(meta.db_table)} WHERE {column('user')} = %s "
            f"AND {column('lab')} = %s AND {column('duty')} = %s "
            f"AND {column('revoked_at')} IS NULL "
            f"AND ({column('capability')} = %s OR {column('method')} = %s) "
            f"AND {column('valid_from')} <= %s "
            f"AND ({column('valid_to')} IS NULL OR {column('valid_to')} >= %s) LIMIT 1")
    return _statements[db.vendor]


def authorization_require(user, capability: Capability, duty: str,
                          at: datetime.datetime | None = None, *, field: str | None = None) -> None:
    """Refuse unless `user` holds a valid authorization for `duty` on the capability at `at`.

    Without `field` the user is the actor (PermissionDenied); with it, the user was chosen in
    that input field (ApplicationError naming it).
    """
    day = timezone.localdate(at or timezone.now())
    if holds_authorization(user, capability, duty, day):
        return
    message = _("%(user)s holds no valid authorization for “%(duty)s” on %(item)s "
                "(%(method)s) at %(lab)s on %(day)s.") % {
        "user": user, "duty": Duty(duty).label, "item": capability.test_item.name,
        "method": capability.method.code, "lab": capability.lab.name, "day": day}
    if field is None:
        raise PermissionDenied(message, field="authorization")
    raise ApplicationError(message, field=field)
