"""Standing assignments: a lab manager names, per capability, the analyst who takes its tests;
reception then assigns each new test of that capability to the analyst at once."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.network.models import Capability
from portlab.quality.models import Duty
from portlab.quality.services import authorization_require
from portlab.testing.models import StandingAssignment, Test
from portlab.testing.services import test_assign


def analyst_require(analyst: User, capability: Capability) -> None:
    """Refuse, naming the analyst field, unless `analyst` is an analyst of the capability's
    lab holding a valid testing authorization for it today."""
    if not access.may(analyst, "result.enter", lab=capability.lab):
        raise ApplicationError(
            _("%(user)s is not an analyst at %(lab)s.")
            % {"user": analyst, "lab": capability.lab.name}, field="analyst")
    authorization_require(analyst, capability, Duty.TESTING, field="analyst")


def analyst_find(text: str) -> User | None:
    """The user chosen in the analyst field by number; None for "nobody" (an empty choice)."""
    text = text.strip()
    if not text:
        return None
    analyst = User.objects.filter(pk=int(text), is_active=True).first() if text.isdigit() else None
    if analyst is None:
        raise ApplicationError(_("Analyst: “%s” is not a user of PortLab.") % text,
                               field="analyst")
    return analyst


@transaction.atomic
def standing_assignment_set(*, actor: User, capability: Capability,
                            analyst: User | None) -> StandingAssignment | None:
    """Name the analyst who takes the capability's tests by default, or none (`analyst` None
    ends the standing assignment). Only the lab's manager sets it."""
    access.require(actor, "test.standing_assign", lab=capability.lab)
    current = StandingAssignment.objects.filter(capability=capability).first()
    before = {"analyst": current.analyst.username} if current else {}
    if analyst is None:
        if current:
            current.delete()
        audit_record(actor=actor, action="standing_assignment_set", entity=capability,
                     before=before, after={"analyst": None})
        return None
    analyst_require(analyst, capability)
    rule, _created = StandingAssignment.objects.update_or_create(
        capability=capability,
        defaults={"analyst": analyst, "set_by": actor, "set_at": timezone.now()})
    audit_record(actor=actor, action="standing_assignment_set", entity=capability,
                 before=before, after={"analyst": analyst.username})
    return rule


def standing_rule_name(rule: StandingAssignment) -> str:
    """How the audit trail names the rule a test was assigned under."""
    capability = rule.capability
    return (f"standing assignment {capability.lab.code} {capability.test_item.code} "
            f"{capability.method.code} → {rule.analyst.username}")


def tests_assign_standing(*, actor: User, tests: list[Test]) -> list[Test]:
    """At reception: give each new test whose capability has a standing analyst to that
    analyst. One the analyst may no longer take (authorization expired, left the lab) stays
    pending; the refusal is audited on the test and the assignment page shows the reason."""
    rules = {rule.capability_id: rule for rule in StandingAssignment.objects.filter(
        capability_id__in={test.capability_id for test in tests}
    ).select_related("analyst", "capability__lab", "capability__test_item",
                     "capability__method")}
    assigned = []
    for test in tests:
        rule = rules.get(test.capability_id)
        if rule is None:
            continue
        try:
            assigned.append(test_assign(actor=actor, test=test, analyst=rule.analyst,
                                        expected_version=test.version,
                                        standing_rule=standing_rule_name(rule)))
        except ApplicationError as error:
            audit_record(actor=actor, action="standing_assignment_skip", entity=test,
                         after={"standing_rule": standing_rule_name(rule)},
                         reason=error.message)
    return assigned


def standing_assignments_broken(user: User) -> list[tuple[StandingAssignment, str]]:
    """The standing assignments of the user's labs whose analyst may not take their tests
    today, each with the reason: their new tests wait on the assignment page."""
    broken = []
    for rule in standing_assignments_visible(user):
        try:
            analyst_require(rule.analyst, rule.capability)
        except ApplicationError as error:
            broken.append((rule, error.message))
    return broken


def standing_assignments_visible(user: User):
    """The standing assignments of the labs where the user assigns tests."""
    return StandingAssignment.objects.filter(
        access.visible_lab_filter(user, "capability__", "test.assign")
    ).select_related("analyst", "capability__lab", "capability__test_item",
                     "capability__method").order_by("capability__lab__code",
                                                     "capability__test_item__code")
