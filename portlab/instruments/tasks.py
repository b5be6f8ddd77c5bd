"""The instruments' part of the daily alerts: calibrations and intermediate checks falling due
within 14 days, or overdue."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.instruments.selectors import Due, calibrations_due
from portlab.jobs.alerts import alert_source


def due_line(row: Due) -> str:
    what = _("calibration") if row.what == "calibration" else _("intermediate check")
    when = (_("due %s") % row.due_date.isoformat() if row.due_date
            else _("never done"))
    return f"{row.instrument.asset_number} {row.instrument.name}: {what}, {when}"


alert_source("calibrations_due", gettext_lazy("Calibrations and intermediate checks due"),
             lambda lab, today: calibrations_due(lab, 14, today), due_line)
