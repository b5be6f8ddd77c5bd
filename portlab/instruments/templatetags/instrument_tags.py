"""{% instrument_select test typed %} and {% qc_run_select test typed %}: the choice of the
instruments and QC runs of a test's lab a result may name (the result form on testing's
worklist; testing itself imports nothing of instruments or quality's QC). Each list is read once
a page and the choices written in Python: a page has 50 rows."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portlab.instruments.models import Instrument
from portlab.instruments.selectors import instruments_visible_to
from portlab.quality.selectors import qc_runs_visible_to

register = template.Library()


def _selected(chosen: bool) -> str:
    return mark_safe(" selected") if chosen else ""


@register.simple_tag(takes_context=True)
def instrument_select(context, test, typed) -> SafeString:
    """The instruments of the test's lab in service, the one typed before chosen."""
    first = _("Instrument (required)") if test.capability.requires_instrument else _(
        "No instrument")
    options = format_html_join("", '<option value="{}"{}>{} {}</option>', (
        (row.asset_number, _selected(row.asset_number == typed.get("instrument")),
         row.asset_number, row.name) for row in instruments_for(context, test)))
    return format_html('<select name="instrument_{}" form="bulk" aria-label="{}"><option '
                       'value="">{}</option>{}</select>\n', test.pk, _("Instrument"), first,
                       options)


@register.simple_tag(takes_context=True)
def qc_run_select(context, test, typed) -> SafeString:
    """The recent QC runs of the test's lab and item, the one typed before chosen."""
    options = format_html_join("", '<option value="{}"{}>{} · {} · {}</option>', (
        (run.pk, _selected(str(run.pk) == typed.get("qc_run")), run.run_code,
         run.date.strftime("%m-%d"), run.get_status_display())
        for run in qc_runs_for(context, test)))
    return format_html('<select name="qc_run_{}" form="bulk" aria-label="{}"><option value="">'
                       '{}</option>{}</select>\n', test.pk, _("QC run"), _("No QC run"), options)


def instruments_for(context, test) -> list[Instrument]:
    rows = context.get("_instruments_visible")
    if rows is None:  # read once per page, not once per row
        rows = list(instruments_visible_to(context["request"].user)
                    .exclude(status=Instrument.Status.RETIRED))
        context.dicts[0]["_instruments_visible"] = rows
    return [instrument for instrument in rows if instrument.lab_id == test.lab_id]


# QC runs older than this are not offered on the result form: a run covers the day's batch.
QC_RUN_DAYS = 14


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
