"""What a report says: its result table, conclusion and the people who stand behind it.

Every text is produced in the report's language (the caller activates it); the signed digest
covers the table exactly as printed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from portlab.accounts.models import Signature
from portlab.core.errors import ApplicationError
from portlab.intake.models import Application
from portlab.network.models import Lab, Specification, Standard
from portlab.reports.payload import PrintedResultRow, ResultRow
from portlab.testing.models import Result, Review, Test
from portlab.transfers.models import Transfer

FAILING = (Result.Conformity.FAIL, Result.Conformity.CONDITIONAL_FAIL)
ACCREDITED_MARK = "*"
NO_ENTRY = "—"
# A value printed as typed must be a plain decimal number; anything else is printed from the
# stored number, so no free text ever stands in the result column as a quantity.
_PLAIN_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")


@dataclass(frozen=True)
class TableRow:
    """One line of the result table, every field as printed."""

    sample: str
    test_item: str
    method: str
    value: str
    unit: str
    uncertainty: str
    detection_limits: str
    limit: str
    conformity: str
    conformity_code: str
    decision_rule: str
    accreditation_mark: str  # "*" (the issuing lab's accreditation), "[1]" (another lab), ""
    performing_lab: str  # "" when the issuing lab performed the test

    @property
    def accredited(self) -> bool:
        return self.accreditation_mark == ACCREDITED_MARK

    def signed(self) -> PrintedResultRow:
        return PrintedResultRow(
            self.sample, self.test_item, self.method, self.value, self.unit, self.uncertainty,
            self.detection_limits, self.limit, self.decision_rule, self.conformity,
            self.accreditation_mark, self.performing_lab)

    def signed_format_1(self) -> ResultRow:
        """The five fields reports issued before payload format 2 signed."""
        return ResultRow(self.sample, self.test_item, self.value, self.unit, self.conformity)


def approved_tests(application: Application) -> list[Test]:
    return list(
        Test.objects.filter(sample__application=application, status=Test.Status.APPROVED)
        .select_related("sample", "test_item", "capability__method__standard", "result",
                        "analyst", "lab")
        .order_by("sample__number", "test_item__code", "id")
    )


def _number(value: float) -> str:
    return f"{value:.6g}"


def value_text(result: Result) -> str:
    """The result as printed: the reported value (converted and rounded by GB/T 8170 in
    decimal at entry); for results entered before it was kept, the value as entered when no
    unit conversion happened."""
    if result.kind == Result.Kind.NUMERIC:
        if result.value is None:
            raise ApplicationError(_("The result of %(item)s on sample %(sample)s has no "
                                     "number; correct it before issuing the report.")
                                   % {"item": result.test.test_item.name,
                                      "sample": result.test.sample.number}, field="result")
        if _PLAIN_DECIMAL.fullmatch(result.reported_value):
            return result.reported_value
        typed = result.entered_value.strip().replace(",", ".")
        if result.entered_unit == result.unit and _PLAIN_DECIMAL.fullmatch(typed):
            return typed
        return _number(result.value)
    if result.kind == Result.Kind.BELOW_LOD:
        return _("< LOD") if result.value is None else _("< LOD (%s)") % _number(result.value)
    if result.kind == Result.Kind.NOT_DETECTED:
        if result.value is None:
            return _("Not detected")
        return _("Not detected (LOD %s)") % _number(result.value)
    return result.text


def uncertainty_text(result: Result) -> str:
    """"U = 0.006 (k = 2)": the expanded uncertainty with the coverage factor it was given
    with (results entered before k was recorded were entered as U at k = 2)."""
    if result.kind != Result.Kind.NUMERIC or result.uncertainty is None:
        return NO_ENTRY
    k = result.coverage_factor or 2.0
    return f"U = {_number(result.uncertainty)} (k = {_number(k)})"


def detection_limits_text(test: Test) -> str:
    """"0.005 / 0.015": the method's LOD / LOQ at the performing lab, in the result unit."""
    capability = test.capability
    if test.test_item.result_kind != "numeric" or (capability.lod is None
                                                    and capability.loq is None):
        return NO_ENTRY
    return " / ".join(NO_ENTRY if limit is None else _number(limit)
                      for limit in (capability.lod, capability.loq))


def method_text(test: Test) -> str:
    method = test.capability.method
    if method.standard.status == Standard.Status.WITHDRAWN:
        return f"{method.code} {_('(standard withdrawn)')}"
    return method.code


def limit_text(specification: Specification | None) -> str:
    if specification is None:
        return NO_ENTRY
    low, high, unit = specification.limit_low, specification.limit_high, specification.unit
    if low is not None and high is not None:
        return f"{_number(low)}–{_number(high)} {unit}".strip()
    if high is not None:
        return f"≤ {_number(high)} {unit}".strip()
    return f"≥ {_number(low)} {unit}".strip()


def rule_name(code: str) -> str:
    if code in Specification.DecisionRule.values:
        return str(Specification.DecisionRule(code).label)
    return ""


def _specifications(application: Application, tests: list[Test]) -> dict[int, Specification]:
    if application.product_category_id is None:
        return {}
    rows = Specification.objects.select_related("source_standard").filter(
        product_category_id=application.product_category_id,
        test_item_id__in={test.test_item_id for test in tests},
    )
    return {row.test_item_id: row for row in rows}


def _accredited_at_its_lab(test: Test) -> bool:
    """Accredited for this item by the method's current standard (never a withdrawn one)."""
    return (test.capability.accredited
            and test.capability.method.standard.status == Standard.Status.CURRENT)


def _performer(test: Test, transfers: dict[int, Transfer]) -> str:
    """Who performed a transferred test, with its accreditation and the agreement."""
    lab: Lab = test.lab
    transfer = transfers.get(test.pk)
    accreditation = (_("accredited for this item, %(cnas)s") % {"cnas": lab.cnas_number}
                     if _accredited_at_its_lab(test) and lab.cnas_number
                     else _("not accredited for this item"))
    agreement = (_("recognition agreement %(code)s") % {"code": transfer.agreement.code}
                 if transfer else _("no recognition agreement recorded"))
    return _("Performed by %(lab)s (%(accreditation)s) under %(agreement)s") % {
        "lab": lab.name, "accreditation": accreditation, "agreement": agreement}


def _received_transfers(tests: list[Test]) -> dict[int, Transfer]:
    rows = Transfer.objects.filter(test__in=tests, status=Transfer.Status.RECEIVED) \
        .select_related("agreement").order_by("dispatched_at")
    return {transfer.test_id: transfer for transfer in rows}


def _marks(application: Application, tests: list[Test]) -> dict[int, tuple[str, str]]:
    """(accreditation mark, performer) per test: "*" only for the issuing lab's accredited
    work; tests of other labs get a numbered note naming that lab instead."""
    transfers = _received_transfers(tests)
    notes: dict[str, str] = {}
    marks = {}
    for test in tests:
        if test.lab_id == application.lab_id:
            marks[test.pk] = (ACCREDITED_MARK if _accredited_at_its_lab(test) else "", "")
            continue
        performer = _performer(test, transfers)
        notes.setdefault(performer, f"[{len(notes) + 1}]")
        marks[test.pk] = (notes[performer], performer)
    return marks


def _row(test: Test, specification: Specification | None, mark: tuple[str, str]) -> TableRow:
    result = test.result
    text_result = result.kind == Result.Kind.TEXT
    return TableRow(
        sample=test.sample.number,
        test_item=test.test_item.name,
        method=method_text(test),
        value=value_text(result),
        unit=NO_ENTRY if text_result or not result.unit else result.unit,
        uncertainty=uncertainty_text(result),
        detection_limits=detection_limits_text(test),
        limit=limit_text(specification),
        conformity=str(result.get_conformity_display()),
        conformity_code=result.conformity,
        decision_rule=rule_name(result.decision_rule),
        accreditation_mark=mark[0],
        performing_lab=mark[1],
    )


def table_rows(application: Application, tests: list[Test]) -> list[TableRow]:
    specifications = _specifications(application, tests)
    marks = _marks(application, tests)
    return [_row(test, specifications.get(test.test_item_id), marks[test.pk])
            for test in tests]


def performer_notes(rows: list[TableRow]) -> list[tuple[str, str]]:
    """The numbered notes on tests performed by other labs, in order of their numbers."""
    return sorted({(row.accreditation_mark, row.performing_lab)
                   for row in rows if row.performing_lab},
                  key=lambda note: int(note[0].strip("[]")))


def bilingual_rows(chinese: list[TableRow], english: list[TableRow]) -> list[TableRow]:
    """The rows of a bilingual report: each text that differs reads "中文\nEnglish"."""
    def merged(zh_row: TableRow, en_row: TableRow) -> TableRow:
        changes = {field.name: f"{getattr(zh_row, field.name)}\n{getattr(en_row, field.name)}"
                   for field in dataclasses.fields(TableRow)
                   if getattr(zh_row, field.name) != getattr(en_row, field.name)}
        return dataclasses.replace(zh_row, **changes)

    return [merged(zh_row, en_row) for zh_row, en_row in zip(chinese, english, strict=True)]


def conclusion_text(rows: list[TableRow]) -> str:
    judged = [row for row in rows if row.conformity_code != Result.Conformity.NOT_JUDGED]
    if not judged:
        return _("Test results only; no statement of conformity was requested.")
    failing = sorted({row.test_item for row in judged if row.conformity_code in FAILING})
    if failing:
        return _("Does not conform to the specification for: %s.") % ", ".join(failing)
    if all(row.conformity_code == Result.Conformity.PASS for row in judged):
        return _("The judged items conform to the specification.")
    return _("No overall statement of conformity is possible; see each item.")


def specification_sources(application: Application, tests: list[Test]) -> list[str]:
    return sorted({spec.source_standard.code
                   for spec in _specifications(application, tests).values()})


def people(tests: list[Test]) -> dict[str, list[str]]:
    """Who tested, reviewed (复核) and approved (批准) the results on the report."""
    reviews = Review.objects.filter(test__in=tests, decision=Review.Decision.ACCEPT) \
        .select_related("reviewer")
    names = {"analysts": {str(test.analyst) for test in tests if test.analyst},
             "reviewers": set(), "approvers": set()}
    for review in reviews:
        group = "reviewers" if review.stage == Review.Stage.REVIEW else "approvers"
        names[group].add(str(review.reviewer))
    return {group: sorted(members) for group, members in names.items()}


@dataclass(frozen=True)
class SignatureLine:
    """One person's electronic signatures of one meaning on the report's records."""

    signer: str
    meaning: str
    meaning_code: str
    at: datetime
    records: int


def signature_lines(signatures: Iterable[Signature], issuer, issued_at: datetime
                    ) -> list[SignatureLine]:
    """Who signed what, when, grouped by person and meaning (the latest time), ending with the
    issue signature of the version being built (recorded once the report exists)."""
    grouped: dict[tuple[str, str], list[Signature]] = {}
    for signature in signatures:
        if signature.meaning != Signature.Meaning.ISSUED:
            grouped.setdefault((str(signature.signer), signature.meaning), []).append(signature)
    lines = [SignatureLine(signer, str(Signature.Meaning(meaning).label), meaning,
                           max(row.at for row in rows), len(rows))
             for (signer, meaning), rows in grouped.items()]
    lines.sort(key=lambda line: (ORDER.index(line.meaning_code), line.at))
    issued = Signature.Meaning.ISSUED
    return [*lines, SignatureLine(str(issuer), str(issued.label), issued, issued_at, 1)]


ORDER = [Signature.Meaning.REVIEWED, Signature.Meaning.APPROVED, Signature.Meaning.ISSUED]
