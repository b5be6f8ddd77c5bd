"""What a report says: its result table, conclusion and the people who stand behind it.

Every text is produced in the report's language (the caller activates it); the signed digest
covers the table exactly as printed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _

from portlab.accounts.models import Signature
from portlab.intake.models import Application
from portlab.network.models import Specification
from portlab.reports.payload import ResultRow
from portlab.testing.models import Result, Review, Test

FAILING = (Result.Conformity.FAIL, Result.Conformity.CONDITIONAL_FAIL)


@dataclass(frozen=True)
class TableRow:
    sample: str
    test_item: str
    method: str
    value: str
    unit: str
    uncertainty: str
    limit: str
    conformity: str
    conformity_code: str
    decision_rule: str
    accredited: bool

    def signed(self) -> ResultRow:
        return ResultRow(self.sample, self.test_item, self.value, self.unit, self.conformity)


def approved_tests(application: Application) -> list[Test]:
    return list(
        Test.objects.filter(sample__application=application, status=Test.Status.APPROVED)
        .select_related("sample", "test_item", "capability__method", "result", "analyst")
        .order_by("sample__number", "test_item__code", "id")
    )


def _number(value: float) -> str:
    return f"{value:.6g}"


def value_text(result: Result) -> str:
    """The result as printed: the value as entered when no unit conversion happened."""
    if result.kind == Result.Kind.NUMERIC:
        if result.entered_unit == result.unit and result.entered_value:
            return result.entered_value.replace(",", ".")
        return _number(result.value)
    if result.kind == Result.Kind.BELOW_LOD:
        return _("< LOD") if result.value is None else _("< LOD (%s)") % _number(result.value)
    if result.kind == Result.Kind.NOT_DETECTED:
        if result.value is None:
            return _("Not detected")
        return _("Not detected (LOD %s)") % _number(result.value)
    return result.text


def limit_text(specification: Specification | None) -> str:
    if specification is None:
        return "—"
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


def table_rows(application: Application, tests: list[Test]) -> list[TableRow]:
    specifications = _specifications(application, tests)
    rows = []
    for test in tests:
        result = test.result
        numeric = result.kind == Result.Kind.NUMERIC and result.uncertainty is not None
        rows.append(TableRow(
            sample=test.sample.number,
            test_item=test.test_item.name,
            method=test.capability.method.code,
            value=value_text(result),
            unit=result.unit if result.kind != Result.Kind.TEXT else "",
            uncertainty=f"± {_number(result.uncertainty)}" if numeric else "",
            limit=limit_text(specifications.get(test.test_item_id)),
            conformity=str(result.get_conformity_display()),
            conformity_code=result.conformity,
            decision_rule=rule_name(result.decision_rule),
            accredited=test.capability.accredited,
        ))
    return rows


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
