"""{% instruments_for test as instruments %} and {% qc_runs_for test as runs %}: the
instruments and QC runs of a test's lab a result may name (the result form on testing's
worklist; testing itself imports nothing of instruments or quality's QC)."""

import datetime as dt

from django import template
from django.utils import timezone

from portlab.instruments.models import Instrument
from portlab.instruments.selectors import instruments_visible_to
from portlab.quality.selectors import qc_runs_visible_to

register = template.Library()


@register.simple_tag(takes_context=True)
def instruments_for(context, test) -> list[Instrument]:
    rows = context.get("_instruments_visible")
    if rows is None:  # read once per page, not once per row
        rows = list(instruments_visible_to(context["request"].user)
                    .exclude(status=Instrument.Status.RETIRED))
        context.dicts[0]["_instruments_visible"] = rows
    return [instrument for instrument in rows if instrument.lab_id == test.lab_id]


# QC runs older than this are not offered on the result form: a run covers the day's batch.
QC_RUN_DAYS = 14


@register.simple_tag(takes_context=True)
def qc_runs_for(context, test) -> list:
    """The recent QC runs of the test's lab for its test item, newest first, that a result
    may name (a rejected one too: naming it is what makes its approval gate apply)."""
    rows = context.get("_qc_runs_visible")
    if rows is None:
        since = timezone.localdate() - dt.timedelta(days=QC_RUN_DAYS)
        rows = list(qc_runs_visible_to(context["request"].user).filter(date__gte=since))
        context.dicts[0]["_qc_runs_visible"] = rows
    return [run for run in rows
            if run.lab_id == test.lab_id and run.test_item_id == test.test_item_id]
