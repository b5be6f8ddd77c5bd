"""The rows of the report desk's list of applications waiting for a report, made in one pass in
Python: the links, the approval time and the language choice written once a page rather than
through per-row `{% url %}`, filters and translations (issue #12: page time)."""

from collections.abc import Iterable

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portlab.accounts.models import Enterprise
from portlab.intake.models import Application
from portlab.reports.models import Report


def waiting_rows(applications: Iterable[Application]) -> list[SafeString]:
    """Each application's row: a box to tick it for a batch issue, number (to its page),
    applicant, goods, lab, when it was approved (— when unknown) and the form that opens its
    report preview in a language."""
    detail_base = reverse("application_detail", args=["0"]).removesuffix("0/")
    preview_head, preview_tail = reverse("report_preview", args=["0"]).split("/0/")
    choose = format_html(
        '<select name="language" aria-label="{}">{}</select><button>{}</button>',
        _("Report language"),
        format_html_join("", '<option value="{}">{}</option>', Report.Language.choices),
        _("Preview and issue"))
    tick = _("Issue %(number)s in the batch")
    rows = []
    for application in applications:
        approved = application.approved_at  # type: ignore[attr-defined]
        rows.append(format_html(
            '<tr data-application="{number}"><td><input type="checkbox" name="application" '
            'value="{number}" form="batch_issue" aria-label="{tick}"></td>'
            '<td><a href="{detail}{number}/">{number}</a></td>'
            '<td>{enterprise}</td><td>{goods}</td><td>{lab}</td><td>{approved}</td>\n<td><form '
            'class="inline" method="get" action="{preview_head}/{number}/{preview_tail}">'
            '{choose}</form></td></tr>',
            number=application.number, detail=detail_base,
            tick=tick % {"number": application.number}, preview_head=preview_head,
            preview_tail=preview_tail,
            enterprise=application.enterprise.name, goods=application.goods_description,
            lab=application.lab.name, choose=choose,
            approved=timezone.localtime(approved).strftime("%Y-%m-%d %H:%M") if approved
            else "—"))
    return rows


def enterprise_options(enterprises: Iterable[Enterprise], chosen: int | None) -> SafeString:
    """The applicant filter's choices (one per applicant with an application waiting: a
    district has hundreds), the chosen one selected."""
    return format_html_join("", '<option value="{}"{}>{}</option>', (
        (enterprise.pk, mark_safe(" selected") if enterprise.pk == chosen else "",
         enterprise.name) for enterprise in enterprises))
