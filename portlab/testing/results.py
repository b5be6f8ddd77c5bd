"""Turning what an analyst typed into a stored, converted and judged result."""

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError
from portlab.network.selectors import specification_for
from portlab.testing import conformity, rounding, units
from portlab.testing.models import Result, Test


@dataclass
class ResultInput:
    kind: str
    value: str = ""
    unit: str = ""
    uncertainty: str = ""
    text: str = ""
    coverage_factor: str = ""


DEFAULT_COVERAGE_FACTOR = 2.0
# k above this is a typing error: a coverage of 99.7 % needs k = 3, and Student's t for two
# degrees of freedom at 95 % is 4.30 (JCGM 100:2008, table G.2).
MAX_COVERAGE_FACTOR = 10.0


def parse_number(raw: str, field: str) -> float:
    text = raw.strip().replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        raise ApplicationError(_("“%s” is not a number.") % raw, field=field) from None
    if not math.isfinite(number):
        raise ApplicationError(_("“%s” is not a finite number.") % raw, field=field)
    return number


def _converted(raw: str, field: str, unit: str, target_unit: str) -> float:
    number = parse_number(raw, field)
    try:
        return units.convert(number, unit, target_unit)
    except units.UnitError as error:
        raise ApplicationError(
            _("Unit “%(unit)s” cannot be reported as “%(target)s”.")
            % {"unit": unit, "target": target_unit},
            field="unit",
        ) from error


def _plausible(value: float, data: ResultInput, capability) -> None:
    unit = capability.unit
    if value < 0 and units.is_amount(unit):
        raise ApplicationError(
            _("“%(value)s” cannot be right: a content or concentration is never negative.")
            % {"value": data.value.strip()}, field="value")
    if capability.lod is not None and value < capability.lod:
        raise ApplicationError(
            _("%(value)s %(unit)s is below the limit of detection (%(lod)s %(unit)s): "
              "report it as “< LOD”.") % {"value": data.value.strip(), "unit": unit,
                                          "lod": f"{capability.lod:g}"}, field="value")


def reported_value(entered: str, entered_unit: str, capability) -> str:
    """The value in the capability's unit, rounded as the capability reports (GB/T 8170)."""
    exact = rounding.as_decimal(entered.strip().replace(",", ".")) * units.decimal_factor(
        entered_unit, capability.unit)
    rule = rounding.ReportingRule(capability.reported_decimals,
                                  capability.reported_significant_figures)
    return format(rule.apply(exact), "f")


def coverage_factor(data: ResultInput) -> float | None:
    """k as the analyst gave it; 2 when U is given without k; none without U."""
    given = data.coverage_factor.strip()
    if not data.uncertainty.strip():
        if given:
            raise ApplicationError(_("A coverage factor k was given without the expanded "
                                     "uncertainty U it belongs to."), field="coverage_factor")
        return None
    if not given:
        return DEFAULT_COVERAGE_FACTOR
    k = parse_number(given, "coverage_factor")
    if not 1 <= k <= MAX_COVERAGE_FACTOR:
        raise ApplicationError(_("The coverage factor k must be between 1 and %(max)g; "
                                 "“%(given)s” was given.") % {"max": MAX_COVERAGE_FACTOR,
                                                            "given": given},
                               field="coverage_factor")
    return k


def _fill_numeric(result: Result, data: ResultInput, capability) -> None:
    if not data.value.strip():
        raise ApplicationError(_("Enter the measured value."), field="value")
    report_unit = capability.unit
    entered_unit = data.unit.strip() or report_unit
    result.value = _converted(data.value, "value", entered_unit, report_unit)
    _plausible(result.value, data, capability)
    result.reported_value = reported_value(data.value, entered_unit, capability)
    result.coverage_factor = coverage_factor(data)
    if data.uncertainty.strip():
        uncertainty = _converted(data.uncertainty, "uncertainty", entered_unit, report_unit)
        if uncertainty < 0:
            raise ApplicationError(_("Uncertainty cannot be negative."), field="uncertainty")
        result.uncertainty = uncertainty
    result.entered_value, result.entered_unit = data.value.strip(), entered_unit


def build_result(test: Test, data: ResultInput, existing: Result | None,
                 find_specification=specification_for) -> Result:
    """Validate and convert the input into `existing` (or a new Result); judge conformity
    against the specification `find_specification(category_id, item_id)` returns."""
    if data.kind not in Result.Kind.values:
        raise ApplicationError(_("Unknown result kind “%s”.") % data.kind, field="kind")
    capability = test.capability
    numeric_item = test.test_item.result_kind == "numeric"
    if numeric_item == (data.kind == Result.Kind.TEXT):
        raise ApplicationError(
            _("This test item takes a numeric result.") if numeric_item
            else _("This test item takes a text result."), field="kind")
    result = existing or Result(test=test)
    result.kind, result.unit = data.kind, capability.unit
    result.value = result.uncertainty = result.coverage_factor = None
    result.entered_value, result.entered_unit, result.text = "", "", ""
    result.reported_value = ""
    if data.kind == Result.Kind.NUMERIC:
        _fill_numeric(result, data, capability)
    elif data.kind == Result.Kind.TEXT:
        if not data.text.strip():
            raise ApplicationError(_("Enter the result text."), field="text")
        result.text = data.text.strip()[:200]
    else:
        result.value = capability.lod  # reported as "< LOD" / "not detected" at this LOD
    _judge(test, result, find_specification)
    return result


def _judge(test: Test, result: Result, find_specification) -> None:
    application = test.sample.application
    specification = find_specification(application.product_category_id, test.test_item_id)
    if specification is None or result.kind == Result.Kind.TEXT:
        result.conformity, result.decision_rule = Result.Conformity.NOT_JUDGED, ""
        return
    rule = application.decision_rule or specification.decision_rule
    result.conformity = conformity.judge(result, specification, rule)
    result.decision_rule = rule
