"""Importing an instrument's result file: all or nothing, once per content (SHA-256)."""

import hashlib
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.chunks import chunks
from portlab.core.errors import ApplicationError
from portlab.instruments import parsers
from portlab.instruments.models import Instrument, ResultFile
from portlab.instruments.services.agent import AgentActor
from portlab.instruments.services.registry import (
    instrument_usable,
    instrument_uses_record,
    require_lab_staff,
)
from portlab.intake.models import Application, Sample
from portlab.network.models import TestItem
from portlab.testing.batch import EntryError, FirstEntry, results_enter_first
from portlab.testing.models import Test
from portlab.testing.results import ResultInput

MAX_ERRORS_LISTED = 20
# A file enters first results only: the tests it names must be assigned and waiting for one.
AWAITING_RESULT = (Test.Status.ASSIGNED,)


@dataclass
class ImportOutcome:
    result_file: ResultFile
    duplicate: bool = False
    ignored: list[str] = field(default_factory=list)


def result_file_import(*, actor: User | AgentActor, instrument: Instrument, filename: str,
                       content: bytes) -> ImportOutcome:
    """Parse the file and enter every value as its test's assigned analyst, or nothing at all.

    `actor` is a lab user (manager or analyst at the instrument's lab) or the instrument's
    agent. The same content for the same instrument is imported once; later uploads are a
    no-op. A refused file is remembered with its reason, and may be sent again once fixed.
    """
    if isinstance(actor, User):  # the agent is vouched for by its instrument's token
        require_lab_staff(actor, instrument, "instrument.files")
    digest = hashlib.sha256(content).hexdigest()
    existing = ResultFile.objects.filter(instrument=instrument, sha256=digest).first()
    if existing is not None and existing.status == ResultFile.Status.IMPORTED:
        return ImportOutcome(result_file=existing, duplicate=True)
    try:
        return _import(actor, instrument, filename, content, digest)
    except ApplicationError as error:
        _remember_refusal(actor, instrument, filename, content, digest, error.message)
        raise
    except IntegrityError:  # the same file, uploaded twice at the same moment
        existing = ResultFile.objects.filter(instrument=instrument, sha256=digest).first()
        if existing is None or existing.status != ResultFile.Status.IMPORTED:
            raise
        return ImportOutcome(result_file=existing, duplicate=True)


def _remember_refusal(actor: User | AgentActor, instrument: Instrument, filename: str,
                      content: bytes, digest: str,
                      message: str) -> None:
    ResultFile.objects.update_or_create(
        instrument=instrument, sha256=digest,
        defaults={"filename": filename[:255], "size": len(content), "error": message,
                  "status": ResultFile.Status.FAILED, "uploaded_at": timezone.now(),
                  "uploaded_by": getattr(actor, "username", "")[:150]})


def _parse(instrument: Instrument, content: bytes) -> list[parsers.ParsedRow]:
    try:
        return parsers.parse(content, instrument.export_format, instrument.column_map)
    except parsers.ParseError as error:
        reason = _(error.template) % error.params
        if error.line:
            message = _("Line %(line)d: %(reason)s.") % {"line": error.line, "reason": reason}
        else:
            message = _("The file cannot be read: %(reason)s.") % {"reason": reason}
        raise ApplicationError(message, field="file", extra={"line": error.line}) from error


@transaction.atomic
def _import(actor: User | AgentActor, instrument: Instrument, filename: str, content: bytes,
            digest: str) -> ImportOutcome:
    instrument_usable(instrument, timezone.now())
    rows = _parse(instrument, content)
    matcher = _Matcher(instrument, rows)
    matched, ignored = matcher.match()
    result_file, _created = ResultFile.objects.update_or_create(
        instrument=instrument, sha256=digest,
        defaults={"filename": filename[:255], "size": len(content), "error": "",
                  "status": ResultFile.Status.IMPORTED, "results_imported": len(matched),
                  "uploaded_at": timezone.now(),
                  "uploaded_by": getattr(actor, "username", "")[:150]})
    entries = [FirstEntry(test=test, actor=matcher.analyst(test),
                          data=ResultInput(kind=row.kind, value=row.value, unit=row.unit,
                                           uncertainty=row.uncertainty))
               for row, test in matched]
    try:  # the instrument was checked once above, for the whole file
        results = results_enter_first(entries)
    except EntryError as refused:
        row = matched[refused.index][0]
        raise ApplicationError(
            _("Line %(line)d (%(sample)s, %(analyte)s): %(reason)s")
            % {"line": row.line, "sample": row.sample_id, "analyte": row.analyte,
               "reason": refused.error.message}, field="file",
            extra={"line": row.line}) from refused
    entered = [(test, result) for (_row, test), result in zip(matched, results, strict=True)]
    instrument_uses_record(entered=entered, instrument=instrument, result_file=result_file,
                           at=timezone.now())
    audit_record(actor=actor, action="result_file_import", entity=result_file,
                 after={"instrument": instrument.asset_number, "filename": filename,
                        "sha256": digest, "results": len(matched)})
    return ImportOutcome(result_file=result_file, ignored=ignored)


class _Matcher:
    """Finds each row's sample (by number or barcode) and open test (by test item code)."""

    def __init__(self, instrument: Instrument, rows: list[parsers.ParsedRow]):
        self.instrument, self.rows = instrument, rows
        self.analysts: dict[int | None, User | None] = {}

    def match(self) -> tuple[list[tuple[parsers.ParsedRow, Test]], list[str]]:
        samples = self._samples()
        unknown = sorted({(row.line, row.sample_id) for row in self.rows
                          if row.sample_id not in samples})
        if unknown:
            lines = ", ".join(f"{line} ({sample})" for line, sample in unknown[:MAX_ERRORS_LISTED])
            raise ApplicationError(_("Unknown sample ids on lines %s.") % lines, field="file",
                                   extra={"line": unknown[0][0]})
        tests = self._open_tests(samples.values())
        codes = self._item_codes()
        matched, ignored, seen = [], [], set()
        for row in self.rows:
            code = codes.get(self._analyte_key(row.analyte))
            test = tests.get((samples[row.sample_id], code)) if code else None
            if test is None:
                ignored.append(_("Line %(line)d: %(sample)s has no open test for “%(analyte)s”.")
                               % {"line": row.line, "sample": row.sample_id,
                                  "analyte": row.analyte})
                continue
            if test.pk in seen:
                raise ApplicationError(
                    _("Line %(line)d: a second value for %(sample)s, %(analyte)s.")
                    % {"line": row.line, "sample": row.sample_id, "analyte": row.analyte},
                    field="file", extra={"line": row.line})
            seen.add(test.pk)
            matched.append((row, test))
        return matched, ignored

    def _samples(self) -> dict[str, int]:
        ids = {row.sample_id for row in self.rows}
        found: dict[str, int] = {}
        for chunk in chunks(sorted(ids), 500):
            for pk, number, barcode in Sample.objects.filter(
                    Q(number__in=chunk) | Q(barcode__in=chunk),
                    application__lab_id=self.instrument.lab_id
            ).values_list("pk", "number", "barcode"):
                found[number] = pk
                if barcode:
                    found[barcode] = pk
        return found

    def _open_tests(self, sample_ids) -> dict[tuple[int, str], Test]:
        tests: dict[tuple[int, str], Test] = {}
        for chunk in chunks(sorted(set(sample_ids)), 500):
            rows = (Test.objects.select_related("test_item", "capability", "lab",
                                                "sample__application")
                    .filter(sample_id__in=chunk, lab_id=self.instrument.lab_id,
                            status__in=AWAITING_RESULT))
            for test in rows:
                tests[(test.sample_id, test.test_item.code)] = test
        _share_parents(tests.values())
        return tests

    def _item_codes(self) -> dict[str, str]:
        """Analyte as the instrument names it (case-folded) -> test item code."""
        codes = {}
        for code, name_en in TestItem.objects.values_list("code", "name_en"):
            codes[code.casefold()] = code
            if name_en:
                codes.setdefault(name_en.casefold(), code)
        for analyte, code in (self.instrument.analyte_map or {}).items():
            codes[analyte.casefold()] = code
        return codes

    @staticmethod
    def _analyte_key(analyte: str) -> str:
        return analyte.strip().casefold()

    def analyst(self, test: Test):
        """One user object per analyst, so their roles are read once for the whole file."""
        if test.analyst_id not in self.analysts:
            self.analysts[test.analyst_id] = test.analyst
        return self.analysts[test.analyst_id]


def _share_parents(tests) -> None:
    """Tests of one sample, and samples of one application, share one object, so a status
    change written through one is seen by the next row (versions stay current)."""
    samples: dict[int, Sample] = {}
    applications: dict[int, Application] = {}
    for test in tests:
        sample = samples.setdefault(test.sample_id, test.sample)
        sample.application = applications.setdefault(sample.application_id, sample.application)
        test.sample = sample
