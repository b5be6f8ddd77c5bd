"""Conformity of a result with its specification, by the ILAC G8 rule agreed for it."""

from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError
from portlab.network.models import Specification
from portlab.quality import decision
from portlab.testing import rounding, units
from portlab.testing.models import Result

RULES = {"simple": decision.Rule.SIMPLE, "guarded": decision.Rule.GUARDED,
         "non_binary": decision.Rule.NON_BINARY}


def compared_value(result: Result, specification: Specification) -> float | None:
    """The measured value GB/T 8170 §4.3 compares with the limits, in the result's unit: the
    full value, or the value rounded to the limits' digits in the specification's unit.
    A limit's digits are those of its shortest decimal form (0.2 → one decimal)."""
    if result.value is None or not result.entered_value:
        return result.value
    comparison = rounding.Comparison(specification.comparison)
    if comparison == rounding.Comparison.FULL_VALUE:
        return result.value
    exact = rounding.as_decimal(result.entered_value.replace(",", ".")) * units.decimal_factor(
        result.entered_unit, specification.unit)
    limits = [repr(limit) for limit in (specification.limit_low, specification.limit_high)
              if limit is not None]
    rounded = rounding.value_for_comparison(exact, limits, comparison)
    return float(rounded * units.decimal_factor(specification.unit, result.unit))


def judge(result: Result, specification: Specification, rule: str) -> str:
    """The Result.Conformity value for `result` against the limits converted to its unit."""
    factor = units.conversion(specification.unit, result.unit).factor
    low = None if specification.limit_low is None else specification.limit_low * factor
    high = None if specification.limit_high is None else specification.limit_high * factor
    not_detected = result.kind in (Result.Kind.BELOW_LOD, Result.Kind.NOT_DETECTED)
    if not_detected and result.value is None:
        return Result.Conformity.INCONCLUSIVE
    try:
        judgement = decision.judge(
            None if not_detected else compared_value(result, specification), result.uncertainty,
            low, high, RULES[rule],
            not_detected=not_detected, lod=result.value if not_detected else None,
        )
    except decision.DecisionInputError as error:
        raise ApplicationError(
            _("The decision rule “%s” needs the expanded uncertainty U of the result.") % rule
            if result.uncertainty is None
            else _("The decision rule “%(rule)s” cannot be applied: %(reason)s")
            % {"rule": rule, "reason": error}, field="uncertainty") from error
    return judgement.decision.value.replace(" ", "_")
