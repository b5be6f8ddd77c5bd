"""The quality system's part of the daily alerts: authorizations ending within 30 days."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.jobs.alerts import alert_source
from portlab.quality.models import Authorization
from portlab.quality.selectors import authorizations_expiring


def authorization_line(row: Authorization) -> str:
    what = (row.capability.test_item.name if row.capability
            else row.method.code if row.method else "")
    return _("%(person)s, %(duty)s %(what)s: ends %(day)s") % {
        "person": row.user.get_full_name() or row.user.username,
        "duty": row.get_duty_display(), "what": what, "day": row.valid_to.isoformat()}


alert_source("authorizations_expiring", gettext_lazy("Authorizations ending within 30 days"),
             lambda lab, today: authorizations_expiring(lab, 30, today), authorization_line)
