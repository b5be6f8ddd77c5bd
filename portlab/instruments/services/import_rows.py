"""What the lab does with a file's staged rows: match a held row to a sample's test, reject
it with a reason, and the analyst's confirmation that makes matched values their results."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.chunks import chunks
from portlab.core.errors import ApplicationError, ConflictError, NotFound
from portlab.instruments.models import ImportRow, ResultFile
from portlab.instruments.services.import_matching import (
    item_codes,
    open_tests,
    samples_by_code,
    share_parents,
    unit_fits,
)
from portlab.instruments.services.registry import instrument_uses_record, require_lab_staff
from portlab.testing.batch import EntryError, FirstEntry, results_enter_first
from portlab.testing.models import Result, Test
from portlab.testing.results import ResultInput

CONFIRM_CHUNK = 2000
OPEN = (ImportRow.Status.HELD, ImportRow.Status.MATCHED)


def _open_row(row: ImportRow, expected_version: int | None) -> None:
    if row.result_file.status != ResultFile.Status.IMPORTED:
        raise ApplicationError(_("The file is still being imported."), field="file")
    if row.status not in OPEN:
        raise ApplicationError(_("Line %(line)d was already %(status)s.")
                               % {"line": row.line, "status": row.get_status_display()},
                               field="row")
    if expected_version is None:
        raise ApplicationError(_("Say which version of the row you changed."), field="version")
    if expected_version != row.version:
        raise ConflictError(_("Line %(line)d was changed by someone else meanwhile; reload "
                              "the page.") % {"line": row.line}, field="version")


@transaction.atomic
def import_row_match(*, actor: User, row: ImportRow, sample_code: str, analyte: str,
                     expected_version: int | None) -> ImportRow:
    """Match a row to the open test of a sample of the instrument's lab (a sample of
    another lab is not found); the analyst then confirms it like any matched row."""
    instrument = row.result_file.instrument
    require_lab_staff(actor, instrument, "instrument.files")
    _open_row(row, expected_version)
    samples = samples_by_code(instrument.lab_id, [sample_code.strip()])
    if not samples:
        raise NotFound(_("No sample %s at this lab.") % sample_code.strip())
    code = item_codes(instrument).get(analyte.strip().casefold())
    test = open_tests(instrument.lab_id, samples.values()).get(
        (next(iter(samples.values())), code or ""))
    if test is None:
        raise ApplicationError(_("Sample %(sample)s has no test of “%(analyte)s” waiting for "
                                 "a result.") % {"sample": sample_code, "analyte": analyte},
                               field="analyte")
    if not unit_fits(row.unit, test):
        raise ApplicationError(_("Unit “%(unit)s” cannot be reported as “%(target)s”.")
                               % {"unit": row.unit, "target": test.capability.unit},
                               field="unit")
    if ImportRow.objects.filter(result_file=row.result_file, test=test,
                                status=ImportRow.Status.MATCHED).exclude(pk=row.pk).exists():
        raise ApplicationError(_("Another line of this file already holds a value for that "
                                 "test."), field="analyte")
    before = {"status": row.status, "reason": row.reason}
    row.status, row.reason, row.test = ImportRow.Status.MATCHED, "", test
    _resolved(row, actor)
    audit_record(actor=actor, action="import_row_match", entity=row.result_file, before=before,
                 after={"line": row.line, "test": test.pk, "sample": sample_code})
    return row


@transaction.atomic
def import_row_reject(*, actor: User, row: ImportRow, reason: str,
                      expected_version: int | None) -> ImportRow:
    """Set a row aside for good, with the reason the lab gives (kept with the file)."""
    require_lab_staff(actor, row.result_file.instrument, "instrument.files")
    _open_row(row, expected_version)
    if not reason.strip():
        raise ApplicationError(_("Give the reason for rejecting line %d.") % row.line,
                               field="reason")
    before = {"status": row.status, "reason": row.reason}
    row.status, row.rejection, row.test = ImportRow.Status.REJECTED, reason.strip()[:200], None
    _resolved(row, actor)
    audit_record(actor=actor, action="import_row_reject", entity=row.result_file,
                 before=before, after={"line": row.line, "reason": row.rejection})
    return row


def _resolved(row: ImportRow, actor: User) -> None:
    row.resolved_by, row.resolved_at, row.version = actor, timezone.now(), row.version + 1
    row.save(update_fields=["status", "reason", "test", "rejection", "resolved_by",
                            "resolved_at", "version"])


def import_rows_confirm(*, actor: User, result_file: ResultFile) -> int:
    """The analyst makes the matched values of their tests their results (bulk confirm), a
    chunk per transaction. A row whose test moved on meanwhile is held again, a value the
    result rules refuse is held with their reason; returns the number of results entered."""
    access.require(actor, "result.enter", lab=result_file.instrument.lab)
    if result_file.status != ResultFile.Status.IMPORTED:
        raise ApplicationError(_("The file is still being imported."), field="file")
    ids = list(ImportRow.objects.filter(result_file=result_file, status=ImportRow.Status.MATCHED,
                                        test__analyst=actor).order_by("position")
               .values_list("pk", flat=True))
    entered = 0
    for chunk in chunks(ids, CONFIRM_CHUNK):
        entered += _confirm_chunk(actor, result_file, list(chunk))
    if entered:
        ResultFile.objects.filter(pk=result_file.pk).update(
            results_imported=F("results_imported") + entered)
        audit_record(actor=actor, action="import_rows_confirm", entity=result_file,
                     after={"results": entered})
    return entered


@transaction.atomic
def _confirm_chunk(actor: User, result_file: ResultFile, ids: list[int]) -> int:
    rows = list(ImportRow.objects.select_for_update(of=("self",)).filter(
        pk__in=ids, status=ImportRow.Status.MATCHED).select_related(
        "test__test_item", "test__capability", "test__lab", "test__sample__application"))
    share_parents(_test(row) for row in rows)
    waiting = [row for row in rows if _test(row).status == Test.Status.ASSIGNED]
    _hold([row for row in rows if _test(row).status != Test.Status.ASSIGNED],
          ImportRow.Reason.TEST_NOT_ASSIGNED, "")
    while waiting:
        try:
            results = _enter(actor, result_file, waiting)
        except EntryError as refused:
            _hold([waiting.pop(refused.index)], ImportRow.Reason.VALUE_REFUSED,
                  refused.error.message)
            continue
        _entered(result_file, waiting, results)
        return len(results)
    return 0


def _enter(actor: User, result_file: ResultFile, rows: list[ImportRow]) -> list[Result]:
    agent = "" if result_file.imported_by_id else result_file.instrument.asset_number
    provenance = {"source": Result.Source.INSTRUMENT_FILE, "raw_file_id": result_file.raw_file_id,
                  "produced_by_id": result_file.imported_by_id, "produced_by_agent": agent,
                  "confirmed_by": actor, "confirmed_at": timezone.now()}
    with transaction.atomic():  # a refused entry rolls back this attempt only
        return results_enter_first([
            FirstEntry(test=_test(row), actor=actor, provenance=provenance,
                       data=ResultInput(kind=row.kind, value=row.value, unit=row.unit,
                                        uncertainty=row.uncertainty))
            for row in rows])


def _entered(result_file: ResultFile, rows: list[ImportRow], results: list[Result]) -> None:
    """The rows are entered (their result is their test's); one UPDATE per thousand rows."""
    for chunk in chunks([row.pk for row in rows], 1000):
        ImportRow.objects.filter(pk__in=chunk).update(status=ImportRow.Status.ENTERED,
                                                      version=F("version") + 1)
    instrument_uses_record(entered=[(_test(row), result) for row, result in zip(rows, results,
                                                                                strict=True)],
                           instrument=result_file.instrument, result_file=result_file,
                           at=timezone.now())


def _test(row: ImportRow) -> Test:
    if row.test is None:  # only matched rows are confirmed, and a matched row has its test
        raise ValueError(f"import row {row.pk} has no test")
    return row.test


def _hold(rows: list[ImportRow], reason: str, message: str) -> None:
    for row in rows:
        row.status, row.reason, row.rejection = ImportRow.Status.HELD, reason, message[:200]
        row.test, row.version = None, row.version + 1
    ImportRow.objects.bulk_update(rows, ["status", "reason", "rejection", "test", "version"],
                                  batch_size=1000)
