"""Matching the rows of a result file to their samples and open tests, a chunk at a time.

A row that cannot be matched is held with its reason, never dropped: unknown sample (none of
that number or barcode at the instrument's lab), test not assigned, instrument not
calibrated, unit unknown, or a second value for a test already matched in the same file.
"""

from collections.abc import Iterable, Sequence

from django.db.models import Q
from django.utils import timezone

from portlab.core.chunks import chunks
from portlab.core.errors import ApplicationError
from portlab.instruments import parsers
from portlab.instruments.models import ImportRow, Instrument, ResultFile
from portlab.instruments.services.registry import instrument_usable
from portlab.intake.models import Application, Sample
from portlab.network.models import TestItem
from portlab.testing import units
from portlab.testing.models import Test

# A file enters first results only: the tests it names must be assigned and waiting for one.
AWAITING_RESULT = (Test.Status.ASSIGNED,)
Reason = ImportRow.Reason


class RowMatcher:
    """Matches rows of one file; reads the item codes and the instrument's state once."""

    def __init__(self, result_file: ResultFile):
        self.result_file = result_file
        self.instrument: Instrument = result_file.instrument
        self.codes = item_codes(self.instrument)
        try:
            instrument_usable(self.instrument, timezone.now())
            self.usable = True
        except ApplicationError:
            self.usable = False
        self.seen: set[int] = set(ImportRow.objects.filter(
            result_file=result_file, status__in=(ImportRow.Status.MATCHED,
                                                 ImportRow.Status.ENTERED),
        ).values_list("test_id", flat=True))

    def rows(self, parsed: Sequence[parsers.ParsedRow], start: int) -> list[ImportRow]:
        """Unsaved ImportRows for `parsed`, whose first row is at `start` in the file."""
        samples = samples_by_code(self.instrument.lab_id, {row.sample_id for row in parsed})
        tests = open_tests(self.instrument.lab_id, samples.values())
        staged = []
        for offset, row in enumerate(parsed):
            staged_row = ImportRow(
                result_file=self.result_file, position=start + offset, line=row.line,
                sample_code=row.sample_id[:80], analyte=row.analyte[:80], kind=row.kind,
                value=row.value[:40], unit=row.unit[:20], uncertainty=row.uncertainty[:40])
            self.place(staged_row, samples.get(row.sample_id), tests)
            staged.append(staged_row)
        return staged

    def place(self, row: ImportRow, sample_id: int | None,
              tests: dict[tuple[int, str], Test]) -> None:
        """Set the row's status, reason and test."""
        code = self.codes.get(row.analyte.strip().casefold())
        test = tests.get((sample_id, code)) if sample_id and code else None
        reason = ""
        if not self.usable:
            reason = Reason.NOT_CALIBRATED
        elif sample_id is None:
            reason = Reason.UNKNOWN_SAMPLE
        elif test is None:
            reason = Reason.TEST_NOT_ASSIGNED
        elif not unit_fits(row.unit, test):
            reason = Reason.UNIT_UNKNOWN
        elif test.pk in self.seen:
            reason = Reason.SECOND_VALUE
        if reason or test is None:
            row.status, row.reason, row.test = ImportRow.Status.HELD, reason, None
            return
        self.seen.add(test.pk)
        row.status, row.reason, row.test = ImportRow.Status.MATCHED, "", test


def unit_fits(unit: str, test: Test) -> bool:
    """The row's unit (blank: the capability's own) converts to the reported unit."""
    if not unit.strip() or test.capability is None:
        return True
    try:
        units.conversion(unit, test.capability.unit)
    except units.UnitError:
        return False
    return True


def item_codes(instrument: Instrument) -> dict[str, str]:
    """Analyte as the instrument names it (case-folded) -> test item code."""
    codes = {}
    for code, name_en in TestItem.objects.values_list("code", "name_en"):
        codes[code.casefold()] = code
        if name_en:
            codes.setdefault(name_en.casefold(), code)
    for analyte, code in (instrument.analyte_map or {}).items():
        codes[analyte.casefold()] = code
    return codes


def samples_by_code(lab_id: int, codes: Iterable[str]) -> dict[str, int]:
    """Sample number or barcode -> sample id, for samples of the lab only."""
    found: dict[str, int] = {}
    for chunk in chunks(sorted(codes), 500):
        for pk, number, barcode in Sample.objects.filter(
                Q(number__in=chunk) | Q(barcode__in=chunk),
                application__lab_id=lab_id).values_list("pk", "number", "barcode"):
            found[number] = pk
            if barcode:
                found[barcode] = pk
    return found


def open_tests(lab_id: int, sample_ids: Iterable[int]) -> dict[tuple[int, str], Test]:
    """(sample id, item code) -> the sample's test awaiting a first result at the lab."""
    tests: dict[tuple[int, str], Test] = {}
    for chunk in chunks(sorted(set(sample_ids)), 500):
        rows = (Test.objects.select_related("test_item", "capability", "lab",
                                            "sample__application")
                .filter(sample_id__in=chunk, lab_id=lab_id, status__in=AWAITING_RESULT))
        for test in rows:
            tests[(test.sample_id, test.test_item.code)] = test
    share_parents(tests.values())
    return tests


def share_parents(tests: Iterable[Test]) -> None:
    """Tests of one sample, and samples of one application, share one object, so a status
    change written through one is seen by the next row (versions stay current)."""
    samples: dict[int, Sample] = {}
    applications: dict[int, Application] = {}
    for test in tests:
        sample = samples.setdefault(test.sample_id, test.sample)
        sample.application = applications.setdefault(sample.application_id, sample.application)
        test.sample = sample
