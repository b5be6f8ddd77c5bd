"""Who may change an issued report version, and the reason every change needs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.core.errors import ApplicationError
from portlab.reports.models import Report


def guard_report_amend(*, actor: User, obj: Report) -> None:
    """A signatory of the lab amends the current issued version."""
    _guard_current(actor, obj, "report.amend")


def guard_report_revoke(*, actor: User, obj: Report) -> None:
    """A signatory of the lab revokes the current issued version."""
    _guard_current(actor, obj, "report.revoke")


def _guard_current(actor: User, report: Report, action: str) -> None:
    access.require(actor, action, lab=report.lab)
    if report.status != Report.Status.ISSUED:
        raise ApplicationError(
            _("Report %(number)s version %(version)s is “%(status)s”; only the current issued "
              "version can be changed.")
            % {"number": report.number, "version": report.version,
               "status": report.get_status_display()},
            field="report",
        )


def require_reason(reason: str) -> str:
    if not reason.strip():
        raise ApplicationError(_("Give the reason."), field="reason")
    return reason.strip()
