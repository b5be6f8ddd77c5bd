"""A worklist page's rows, prepared in one pass in Python: each row's cells and controls as HTML,
with the words and the parts that are the same on every row (CSRF field, signature fields,
decision choices, analyst choices) made once per page.

Rendering 50 rows through nested includes, per-row `{% translate %}` tags and template look-ups
took most of a page's time (issue #12); the template now writes a few values a row. The markup
is the one the template wrote before (the browser journeys select on it)."""

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from portlab.core.templatetags.portlab import measure
from portlab.testing.models import Result, Review, Test


def result_value_html(result: Result | None) -> SafeString:
    """A result as the lab reads it: value and unit (and what was typed in another unit),
    "< value (LOD)", "not detected (LOD …)", the text of a text result, or — without one."""
    if result is None:
        return mark_safe("—")
    if result.kind == Result.Kind.NUMERIC:
        shown = format_html("{} {}", measure(result.value), result.unit)
        if result.entered_unit != result.unit:
            shown += format_html(' <span class="muted">({} {} {})</span>', _("entered"),
                                 result.entered_value, result.entered_unit)
        return shown
    if result.kind == Result.Kind.BELOW_LOD:
        return format_html("&lt; {} {} (LOD)", measure(result.value), result.unit)
    if result.kind == Result.Kind.NOT_DETECTED:
        if result.value is None:
            return conditional_escape(_("Not detected"))
        return format_html("{} (LOD {} {})", _("Not detected"), measure(result.value),
                           result.unit)
    return conditional_escape(result.text)


@dataclass
class Row:
    """One test of the list: its cells up to the result ready to write, then its controls."""

    test: Test
    cells: SafeString
    control: SafeString
    typed: Mapping[str, str]


class RowMaker:
    """Makes the rows of one page of one worklist (`action`: assign, result, review, approve)."""

    def __init__(self, request: HttpRequest, action: str, *, next_query: str,
                 several_labs: bool, analysts: Iterable = ()) -> None:
        self.action, self.several_labs = action, several_labs
        self.application_base = reverse("application_detail", args=["0"]).removesuffix("0/")
        self.tests_base = reverse("test_assign", args=[0]).removesuffix("0/assign/")
        self.raw_file_base = reverse("rawfile_download", args=["0"]).removesuffix("0/")
        self.form_fields = format_html(
            '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
            '<input type="hidden" name="next" value="{}">', get_token(request), next_query)
        self.words = {"tick": _("Tick"), "overdue": _("Overdue"), "raw": _("Raw data file"),
                      "returned": _("Returned"), "analyst": _("Analyst"), "assign": _("Assign")}
        self.analysts = [(analyst.pk, str(analyst)) for analyst in analysts]
        if action in ("review", "approve"):
            self.decision_form_end = self._decision_form_end(action)

    def rows(self, tests: Iterable[Test], today: dt.date,
             entered: Mapping[int, Mapping[str, str]], row_errors: Mapping[int, str]
             ) -> list[Row]:
        made = []
        for test in tests:
            typed, error = entered.get(test.pk, {}), row_errors.get(test.pk, "")
            made.append(Row(test=test, cells=self._cells(test, today, typed), typed=typed,
                            control=self._control(test, typed, error)))
        return made

    def _cells(self, test: Test, today: dt.date, typed: Mapping[str, str]) -> SafeString:
        """The row's opening and its cells from the tick box to the result."""
        overdue, pk, sample = test.due_date < today, test.pk, test.sample
        html = format_html(
            '<tr id="test-{}" data-test="{}"{}>\n<td><input type="checkbox" name="test" '
            'value="{}" form="bulk" aria-label="{} {}"{}>', pk, pk,
            mark_safe(' class="overdue"') if overdue else "", pk, self.words["tick"],
            sample.number, mark_safe(" checked") if typed.get("ticked") else "")
        if self.action != "result":
            html += format_html('<input type="hidden" name="version_{}" value="{}" form="bulk">',
                                pk, test.version)
        html += format_html('</td>\n<td><a href="{}{}/">{}</a></td><td>{}</td><td>{}</td>',
                            self.application_base, sample.application.number, sample.number,
                            test.test_item.name, test.capability.method.code)
        if self.several_labs:
            html += format_html("<td>{}</td>", test.lab.name)
        badge = format_html(' <span class="badge overdue">{}</span>', self.words["overdue"])
        html += format_html("\n<td>{}{}</td>\n<td>{}</td>\n", test.due_date.isoformat(),
                            badge if overdue else "", self._result_cell(test))
        return html

    def _result_cell(self, test: Test) -> SafeString:
        result = getattr(test, "result", None)
        cell = result_value_html(result)
        if result is not None and result.raw_file_id:
            cell += format_html(' <a class="attachment" href="{}{}/">{}</a>', self.raw_file_base,
                                result.raw_file.sha256, self.words["raw"])
        if result is not None and result.conformity != Result.Conformity.NOT_JUDGED:
            cell += format_html(' <span class="badge {}">{}</span>', result.conformity,
                                result.get_conformity_display())
        if test.last_decision == Review.Decision.RETURN and test.status == Test.Status.ASSIGNED:
            said = mark_safe(conditional_escape(_("by %(who)s: “%(reason)s”")) % {
                "who": conditional_escape(test.last_reviewer),
                "reason": conditional_escape(test.last_comment)})
            cell += format_html('\n<p class="returned" role="note"><span class="badge returned">'
                                '{}</span> {}</p>', self.words["returned"], said)
        return cell

    def _control(self, test: Test, typed: Mapping[str, str], error: str) -> SafeString:
        if self.action == "assign":
            options = format_html_join("", '<option value="{}"{}>{}</option>', (
                (pk, mark_safe(" selected") if pk == test.analyst_id else "", name)
                for pk, name in self.analysts))
            return format_html(
                '<form class="inline" method="post" data-keep-place action="{}{}/assign/">{}'
                '<input type="hidden" name="version" value="{}"><select name="analyst" '
                'aria-label="{}">{}</select><button>{}</button></form>', self.tests_base,
                test.pk, self.form_fields, test.version, self.words["analyst"], options,
                self.words["assign"])
        if self.action == "result":
            return result_inputs(test, typed, error)
        return format_html(
            '<form class="inline" method="post" data-keep-place action="{}{}/{}/">{}'
            '<input type="hidden" name="version" value="{}">\n{}', self.tests_base, test.pk,
            "review" if self.action == "review" else "approve", self.form_fields, test.version,
            self.decision_form_end)

    def _decision_form_end(self, action: str) -> SafeString:
        decisions = [(code, label) for code, label in Review.Decision.choices
                     if action == "review" or code != Review.Decision.RETEST]
        return format_html(
            '<select name="decision" aria-label="{}">{}</select><input name="comment" '
            'placeholder="{}" aria-label="{}">{}<button>{}</button></form>', _("Decision"),
            format_html_join("", '<option value="{}">{}</option>', decisions), _("Comment"),
            _("Comment"), mark_safe(render_to_string("accounts/signature_fields.html")),
            _("Record"))


def result_inputs(test: Test, typed: Mapping[str, str], error: str) -> SafeString:
    """The start of a result row's inputs (up to the instrument and QC run choices, which the
    template adds through instruments' tags): the row's error, version, value, unit, U, k."""
    pk, result = test.pk, getattr(test, "result", None)
    html = format_html('<div class="result-row{}"><input type="hidden" name="row" value="{}" '
                       'form="bulk">\n', " has-error" if error else "", pk)
    if error:
        html += format_html('<p class="error" role="alert" id="error-{}">{}</p>\n', pk, error)
    if result is not None:
        html += format_html(
            '<input type="hidden" name="version_{}" value="{}" form="bulk"><input name="reason_{}"'
            ' value="{}" form="bulk" placeholder="{}" aria-label="{}">', pk, result.version, pk,
            typed.get("reason", ""), _("Reason for change"), _("Reason for change"))
    else:
        html += format_html('<input type="hidden" name="version_{}" value="{}" form="bulk">',
                            pk, test.version)
    if test.test_item.result_kind == "text":
        return html + format_html(
            '\n<input type="hidden" name="kind_{}" value="text" form="bulk"><input name="text_{}" '
            'value="{}" form="bulk" placeholder="{}" aria-label="{}">\n', pk, pk,
            typed.get("text", ""), _("Result"), _("Result"))
    return html + _measured_inputs(test, typed, error)


def _measured_inputs(test: Test, typed: Mapping[str, str], error: str) -> SafeString:
    pk, capability, kind = test.pk, test.capability, typed.get("kind", "")
    lod = f" ({capability.lod})" if capability.lod is not None else ""
    invalid = format_html(' aria-describedby="error-{}" aria-invalid="true"', pk) if error else ""
    return format_html(
        '\n<select name="kind_{pk}" form="bulk" aria-label="{kind_label}"><option value="numeric">'
        '{numeric}</option><option value="below_lod"{below}>&lt; LOD{lod}</option><option '
        'value="not_detected"{nd}>{nd_label}</option></select>\n<input name="value_{pk}" '
        'value="{value}" form="bulk" placeholder="{value_label}" size="8" aria-label="'
        '{value_label} {sample}"{invalid}><input name="unit_{pk}" value="{unit}" form="bulk" '
        'size="7" aria-label="{unit_label}"><input name="uncertainty_{pk}" value="{u}" '
        'form="bulk" placeholder="U" size="7" aria-label="{u_label}"><input '
        'name="coverage_factor_{pk}" value="{k}" form="bulk" placeholder="k = 2" size="4" '
        'aria-label="{k_label}">\n', pk=pk, kind_label=_("Kind of result"), numeric=_("Numeric"),
        below=mark_safe(" selected") if kind == "below_lod" else "", lod=lod,
        nd=mark_safe(" selected") if kind == "not_detected" else "", nd_label=_("Not detected"),
        value=typed.get("value", ""), value_label=_("Value"), sample=test.sample.number,
        invalid=invalid, unit=typed.get("unit") or capability.unit, unit_label=_("Unit"),
        u=typed.get("uncertainty", ""), u_label=_("Expanded uncertainty U"),
        k=typed.get("coverage_factor", ""), k_label=_("Coverage factor k (2 if left empty)"))
