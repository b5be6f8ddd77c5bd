"""The samples' part of the daily alerts: samples kept past their retention date and not yet
disposed of (a proposed disposal still waiting for approval counts)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portlab.intake.custody_selectors import samples_past_retention
from portlab.intake.models import Sample
from portlab.jobs.alerts import alert_source


def retention_line(sample: Sample) -> str:
    return _("%(sample)s %(description)s: kept until %(day)s") % {
        "sample": sample.number, "description": sample.description,
        "day": sample.retain_until.isoformat() if sample.retain_until else ""}


alert_source("samples_past_retention", gettext_lazy("Samples past their retention period"),
             samples_past_retention, retention_line)
