"""Entering results by hand, with the instrument and QC run they were measured in (the
analyst's worklist, one row or many, and the API).

It lives here, above testing, because naming an instrument applies the instruments' gate
(calibration, status) that file imports apply too (`services.result_enter_manual`)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portlab.core.errors import ApplicationError
from portlab.core.views import optional_int
from portlab.instruments.services.result_rows import (
    MAX_ATTACHMENT,
    Attachment,
    ResultRow,
    results_enter_rows,
)
from portlab.testing.results import ResultInput
from portlab.testing.views_worklists import QUEUES, back_to_list, worklist_render

# What a result row posts, each name suffixed with the row's test id ("value_12").
ROW_FIELDS = ("kind", "value", "unit", "uncertainty", "coverage_factor", "text", "instrument",
              "qc_run", "reason", "version")


def _typed(post: QueryDict, test_id: int) -> dict[str, str]:
    return {name: post.get(f"{name}_{test_id}", "") for name in ROW_FIELDS}


def _is_filled(typed: dict[str, str]) -> bool:
    """A row counts as entered when a value or text was typed or a non-numeric kind chosen."""
    return bool(typed["value"].strip() or typed["text"].strip()
                or typed["kind"] in ("below_lod", "not_detected"))


def _attachment(files, name: str) -> Attachment | None:
    """The file posted as `name`, read only up to one byte past the limit (the service
    refuses it as too large)."""
    upload = files.get(name)
    if upload is None:
        return None
    return Attachment(name=upload.name or "", content=upload.read(MAX_ATTACHMENT + 1))


def _row(test_id: int, typed: dict[str, str], attachment: Attachment | None = None) -> ResultRow:
    data = ResultInput(kind=typed["kind"] or "numeric", value=typed["value"],
                       unit=typed["unit"], uncertainty=typed["uncertainty"], text=typed["text"],
                       coverage_factor=typed["coverage_factor"])
    return ResultRow(test_id=test_id, data=data, instrument=typed["instrument"].strip(),
                     qc_run=optional_int(typed["qc_run"]), reason=typed["reason"],
                     version=optional_int(typed["version"]), attachment=attachment)


def _rows_posted(post: QueryDict, files) -> tuple[dict[int, dict[str, str]], list[ResultRow]]:
    """Everything typed in every row (to show it again), and the rows to enter: those ticked
    or filled in."""
    ticked = {optional_int(value) for value in post.getlist("test")}
    typed = {test_id: _typed(post, test_id)
             for test_id in (optional_int(value) for value in post.getlist("row")) if test_id}
    for test_id, fields in typed.items():
        fields["ticked"] = "1" if test_id in ticked else ""
    rows = [_row(test_id, fields, _attachment(files, f"raw_file_{test_id}"))
            for test_id, fields in typed.items()
            if test_id in ticked or _is_filled(fields)]
    return typed, rows


def _enter(request: HttpRequest, typed: dict[int, dict[str, str]], rows: list[ResultRow]
           ) -> HttpResponse:
    try:
        errors = results_enter_rows(actor=request.user, rows=rows)
    except ApplicationError as error:
        errors = {0: error.message}
    if not errors:
        messages.success(request, _("%d result(s) submitted.") % len(rows))
        return back_to_list(request, QUEUES["result"])
    messages.error(request, _("Nothing was stored: correct the rows named below and submit "
                              "again (what you typed is kept)."))
    for message in errors.values():
        messages.error(request, message)
    query = QueryDict(request.POST.get("next", ""))
    return worklist_render(request, "result", query=query, entered=typed, row_errors=errors)


@require_POST
@login_required
def results_enter(request: HttpRequest) -> HttpResponse:
    """The analyst's worklist form: every filled-in (or ticked) row's result, all or none."""
    typed, rows = _rows_posted(request.POST, request.FILES)
    return _enter(request, typed, rows)


@require_POST
@login_required
def result_enter(request: HttpRequest, test_id: int) -> HttpResponse:
    """One test's result, posted with plain field names (kept for links and scripts)."""
    typed = {name: request.POST.get(name, "") for name in ROW_FIELDS}
    if not typed["kind"]:
        typed["kind"] = "numeric"
    attachment = _attachment(request.FILES, "raw_file")
    return _enter(request, {test_id: typed}, [_row(test_id, typed, attachment)])
