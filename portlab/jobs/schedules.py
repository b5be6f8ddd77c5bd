"""Schedules a person sets (e.g. the risk officer's retraining): checked, stored, audited, and
turned into scheduler entries. A malformed cron expression or interval is refused by field."""

from dataclasses import replace

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.jobs.models import JobSchedule
from portlab.jobs.schedule import SETTABLE, Entry

MAX_HOURS = 24 * 90
FIELDS = {"minute": (pgettext_lazy("cron field", "minute"), "0–59"),
          "hour": (pgettext_lazy("cron field", "hour"), "0–23"),
          "day": (pgettext_lazy("cron field", "day"), "1–31"),
          "month": (pgettext_lazy("cron field", "month"), "1–12"),
          "day_of_week": (pgettext_lazy("cron field", "weekday"), "0–6, mon–sun")}


def cron_fields(cron: str) -> dict[str, str]:
    """APScheduler's cron fields from "minute hour day month weekday" (raises ApplicationError)."""
    from apscheduler.triggers.cron import CronTrigger

    parts = cron.split()
    if len(parts) != 5:
        raise ApplicationError(_("A cron expression has five fields (minute hour day month "
                                 "weekday), e.g. “0 2 * * 0”; “%s” has %d.")
                               % (cron, len(parts)), field="cron")
    fields = dict(zip(FIELDS, parts, strict=True))
    for name, value in fields.items():  # the first field APScheduler refuses, named
        try:
            CronTrigger(**{name: value})
        except ValueError as error:
            label, allowed = FIELDS[name]
            raise ApplicationError(
                _("The cron expression “%(cron)s” is not valid: the %(field)s field “%(value)s” "
                  "must be within %(allowed)s.") % {"cron": cron, "field": label,
                                                   "value": value, "allowed": allowed},
                field="cron") from error
    return fields


def _checked_hours(hours: object) -> int:
    try:
        value = int(str(hours).strip())
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_HOURS:
        raise ApplicationError(_("The interval is a whole number of hours from 1 to %(max)d; "
                                 "“%(value)s” is not.") % {"max": MAX_HOURS, "value": hours},
                               field="hours")
    return value


def schedule_get(name: str) -> JobSchedule:
    if name not in SETTABLE:
        raise ApplicationError(_("Unknown schedule “%s”.") % name, field="name")
    return JobSchedule.objects.filter(name=name).first() or JobSchedule(name=name, version=0)


@transaction.atomic
def schedule_set(*, actor, name: str, enabled: bool, trigger: str, cron: str = "",
                 hours: object = None, version: int) -> JobSchedule:
    """Store a schedule; the version the person saw must still be current."""
    current = schedule_get(name)
    if version != current.version:
        raise ApplicationError(_("Someone changed this schedule meanwhile; reload the page."),
                               field="version")
    if trigger == JobSchedule.Trigger.CRON:
        cron_fields(cron.strip())
        cron, checked_hours = cron.strip(), None
    elif trigger == JobSchedule.Trigger.INTERVAL:
        cron, checked_hours = "", _checked_hours(hours)
    else:
        raise ApplicationError(_("Choose how the job repeats."), field="trigger")
    before = {"enabled": current.enabled, "cron": current.cron, "hours": current.hours}
    row, _created = JobSchedule.objects.update_or_create(name=name, defaults={
        "enabled": enabled, "trigger": trigger, "cron": cron, "hours": checked_hours,
        "version": current.version + 1, "updated_by": actor})
    audit_record(actor=actor, action="schedule_set", entity=row, before=before,
                 after={"enabled": enabled, "cron": cron, "hours": checked_hours})
    return row


def entries_set_by_people() -> list[Entry]:
    """The enabled schedules as scheduler entries (an unreadable stored one is left out and
    logged by the scheduler; the page never stores one)."""
    found = []
    for row in JobSchedule.objects.filter(enabled=True, name__in=list(SETTABLE)):
        base = SETTABLE[row.name]
        if row.trigger == JobSchedule.Trigger.INTERVAL and row.hours:
            found.append(replace(base, trigger="interval", when={"hours": row.hours}))
        elif row.trigger == JobSchedule.Trigger.CRON and row.cron:
            found.append(replace(base, trigger="cron", when=cron_fields(row.cron)))
    return found
