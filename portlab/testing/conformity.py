"""Conformity of a result with its specification, by the ILAC G8 rule agreed for it."""

from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError
from portlab.network.models import Specification
from portlab.quality import decision
from portlab.testing import units
from portlab.testing.models import Result

RULES = {"simple": decision.Rule.SIMPLE, "guarded": decision.Rule.GUARDED,
         "non_binary": decision.Rule.NON_BINARY}


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
            None if not_detected else result.value, result.uncertainty, low, high, RULES[rule],
            not_detected=not_detected, lod=result.value if not_detected else None,
        )
    except decision.DecisionInputError as error:
        raise ApplicationError(
            _("The decision rule “%s” needs the expanded uncertainty U of the result.") % rule
            if result.uncertainty is None
            else _("The decision rule “%(rule)s” cannot be applied: %(reason)s")
            % {"rule": rule, "reason": error}, field="uncertainty") from error
    return judgement.decision.value.replace(" ", "_")
