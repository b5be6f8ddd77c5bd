"""Whether new tests may be placed on a capability: not while its method cites a withdrawn
standard, until the lab has verified the method again (ISO/IEC 17025 §7.2.1.5: the lab
verifies it can properly perform a method before introducing it; a withdrawn standard no
longer vouches for the method)."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from portlab.core.errors import ApplicationError
from portlab.network.models import Capability, Lab, Method, Standard


def capability_placement_refusal(capability: Capability) -> str:
    """Why no new test may be placed on the capability now, or "" when it may."""
    standard = capability.method.standard
    if standard.status != Standard.Status.WITHDRAWN:
        return ""
    verified = capability.method_verified_at
    if verified is not None and (standard.withdrawn_at is None
                                 or verified >= standard.withdrawn_at):
        return ""
    return (_("%(method)s cites the withdrawn standard %(standard)s: no new tests are placed "
              "on it at %(lab)s until the quality manager records a new verification of the "
              "method.") % {"method": capability.method.code, "standard": standard.code,
                            "lab": capability.lab.name})


def capability_placement_require(capability: Capability, field: str = "capability") -> None:
    if reason := capability_placement_refusal(capability):
        raise ApplicationError(reason, field=field)


def placeable(rows: QuerySet[Capability]) -> QuerySet[Capability]:
    """The capabilities of `rows` that new tests may be placed on (for routing)."""
    verified_since_withdrawal = Q(method_verified_at__isnull=False) & (
        Q(method__standard__withdrawn_at__isnull=True)
        | Q(method_verified_at__gte=F("method__standard__withdrawn_at")))
    return rows.filter(Q(method__standard__status=Standard.Status.CURRENT)
                       | verified_since_withdrawal)


def capabilities_method_verified(*, lab: Lab, method: Method, at) -> int:
    """Record on the lab's capabilities with this method that it was verified at `at`."""
    return Capability.objects.filter(lab=lab, method=method).update(method_verified_at=at)
