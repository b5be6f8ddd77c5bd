"""Results typed on the analyst's worklist, many rows at once: all stored or none, and every
refused row named with its reason so the page can show it beside what was typed."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.core.errors import ApplicationError, NotFound
from portlab.files.services import rawfile_store
from portlab.instruments.selectors import instrument_get
from portlab.instruments.services.registry import result_enter_manual
from portlab.quality.selectors import qc_run_get
from portlab.quality.services import qc_run_link_tests
from portlab.testing import selectors
from portlab.testing.models import Test
from portlab.testing.results import ResultInput

MAX_ATTACHMENT = 20 * 1024 * 1024


@dataclass(frozen=True)
class Attachment:
    """A file attached to a typed result (the raw data it was read from)."""

    name: str
    content: bytes


@dataclass(frozen=True)
class ResultRow:
    """One row of the result form: the test, what was typed, the instrument's asset number
    and the QC run it was measured in (both optional), a reason when correcting."""

    test_id: int
    data: ResultInput
    instrument: str = ""
    qc_run: int | None = None
    reason: str = ""
    version: int | None = None
    attachment: Attachment | None = None


def _stored_attachment(actor: User, attachment: Attachment | None):
    """The attachment kept in the file store (content-addressed), or None without one."""
    if attachment is None:
        return None
    if not attachment.content:
        raise ApplicationError(_("the attached file %s is empty.") % attachment.name,
                               field="raw_file")
    if len(attachment.content) > MAX_ATTACHMENT:
        raise ApplicationError(_("the attached file %s is larger than 20 MB.")
                               % attachment.name, field="raw_file")
    return rawfile_store(content=attachment.content, name=attachment.name, actor=actor)


def _enter_row(actor: User, test: Test, row: ResultRow) -> None:
    try:
        instrument = instrument_get(actor, row.instrument) if row.instrument else None
    except NotFound:
        raise ApplicationError(_("Instrument %s not found.") % row.instrument,
                               field="instrument") from None
    result_enter_manual(actor=actor, test=test, data=row.data, instrument=instrument,
                        reason=row.reason, expected_version=row.version,
                        raw_file=_stored_attachment(actor, row.attachment))
    if row.qc_run is not None:
        try:
            run = qc_run_get(actor, row.qc_run)
        except NotFound:
            raise ApplicationError(_("QC run not found."), field="qc_run") from None
        qc_run_link_tests(actor=actor, run=run, tests=[test])


def _row_error(actor: User, row: ResultRow) -> str | None:
    """None when the row's result was entered; else the reason, naming the row."""
    try:
        test = selectors.test_get(actor, row.test_id)
    except NotFound:
        return _("Test %s: not found.") % row.test_id
    try:
        with transaction.atomic():
            _enter_row(actor, test, row)
    except ApplicationError as error:
        return _("Sample %(sample)s, %(item)s: %(reason)s") % {
            "sample": test.sample.number, "item": test.test_item.name, "reason": error.message}
    return None


def results_enter_rows(*, actor: User, rows: list[ResultRow]) -> dict[int, str]:
    """Enter the rows' results (each through the instrument gate, linked to its QC run) or
    none of them: returns {test id: reason naming the row} for the refused rows, empty when
    every row was stored."""
    if not rows:
        raise ApplicationError(_("Type a result in at least one row."), field="value")
    errors: dict[int, str] = {}
    with transaction.atomic():
        for row in rows:
            message = _row_error(actor, row)
            if message is not None:
                errors[row.test_id] = message
        if errors:
            transaction.set_rollback(True)
    return errors
