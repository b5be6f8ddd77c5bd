"""The access table: who may do what, where. Every guard, page and API route reads it.

A rule is (role, scope) for an action. The scope says where the role must be held for the
rule to apply to an object:

- LAB: held at the object's lab, at its district, or network-wide;
- DISTRICT: held at the object's district or network-wide;
- NETWORK: held network-wide (no lab, district or enterprise);
- ENTERPRISE: held at the object's enterprise;
- SIGNED_IN: any signed-in person; PUBLIC: anyone;
- INSTRUMENT: an instrument's agent software, authenticated by that instrument's token.

Without an object (a list page, a form), a rule applies when the role is held in a scope of
its kind anywhere. Routes are mapped to actions in `portlab.accounts.routes`.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q
from django.utils.translation import gettext as _

from portlab.accounts.models import Role, RoleAssignment
from portlab.core.errors import ApplicationError, PermissionDenied


class Scope(StrEnum):
    LAB = "lab"
    DISTRICT = "district"
    NETWORK = "network"
    ENTERPRISE = "enterprise"
    SIGNED_IN = "signed_in"
    PUBLIC = "public"
    INSTRUMENT = "instrument"  # an instrument's agent, with the instrument's own token


@dataclass(frozen=True)
class Rule:
    role: str | None
    scope: Scope


@dataclass(frozen=True)
class Tenant:
    """Where an object belongs: the labs that work on it and the enterprise that owns it."""

    labs: tuple = ()
    enterprise_id: int | None = None


def _rules(scope: Scope, *roles: str) -> tuple[Rule, ...]:
    return tuple(Rule(role, scope) for role in roles)


R = Role
LAB_STAFF = (R.RECEPTION_CLERK, R.ANALYST, R.REVIEWER, R.SIGNATORY, R.QUALITY_MANAGER,
             R.LAB_MANAGER)
ADMIN = _rules(Scope.NETWORK, R.ADMINISTRATOR)
PUBLIC = (Rule(None, Scope.PUBLIC),)
SIGNED_IN = (Rule(None, Scope.SIGNED_IN),)
STAFF_OF_LAB = _rules(Scope.LAB, *LAB_STAFF) + ADMIN
OWN_ENTERPRISE = _rules(Scope.ENTERPRISE, R.ENTERPRISE_USER)
NETWORK_DEFINERS = _rules(Scope.NETWORK, R.LAB_MANAGER, R.QUALITY_MANAGER) + ADMIN
QUALITY_OF_LAB = _rules(Scope.LAB, R.QUALITY_MANAGER, R.LAB_MANAGER)
BENCH_OF_LAB = _rules(Scope.LAB, R.ANALYST, R.QUALITY_MANAGER, R.LAB_MANAGER)
RISK = _rules(Scope.NETWORK, R.RISK_OFFICER) + ADMIN

# action -> rules. Read by may()/require(), the route gate and the route matrix test.
ACCESS: dict[str, tuple[Rule, ...]] = {
    "public": PUBLIC,
    "signed_in": SIGNED_IN,
    "instrument.agent": (Rule(None, Scope.INSTRUMENT),),
    # Reading a lab's work (applications, samples, tests, quality records) in lists.
    "lab.view": STAFF_OF_LAB,
    # Catalog: reading is open to everyone signed in; network-wide definitions (test items,
    # methods, standards, specifications, decision rules) change only by network roles.
    "catalog.view": SIGNED_IN,
    "jobs.schedule": ADMIN,
    "catalog.define": NETWORK_DEFINERS,
    "capability.edit": _rules(Scope.LAB, R.LAB_MANAGER) + ADMIN,
    "capability.accredit": _rules(Scope.LAB, R.QUALITY_MANAGER),
    "accreditation_scope.record": _rules(Scope.LAB, R.QUALITY_MANAGER),
    "standard.withdraw": NETWORK_DEFINERS,
    # People and enterprises.
    "enterprise.create": _rules(Scope.LAB, R.RECEPTION_CLERK)
    + _rules(Scope.NETWORK, R.CREDIT_OFFICER) + ADMIN,
    "enterprise.grade": _rules(Scope.NETWORK, R.CREDIT_OFFICER),
    # Checking a registered enterprise's business licence.
    "enterprise.verify": _rules(Scope.NETWORK, R.CREDIT_OFFICER) + ADMIN,
    "enterprise.team": OWN_ENTERPRISE,
    "role.grant": ADMIN,
    # Intake.
    "application.register": OWN_ENTERPRISE + _rules(Scope.LAB, R.RECEPTION_CLERK),
    "application.view": OWN_ENTERPRISE + STAFF_OF_LAB,
    "application.cancel": OWN_ENTERPRISE + _rules(Scope.LAB, R.RECEPTION_CLERK),
    # Urgent or normal: set by the lab's reception or its manager, not by the applicant.
    "application.prioritize": _rules(Scope.LAB, R.RECEPTION_CLERK, R.LAB_MANAGER) + ADMIN,
    "sample.receive": _rules(Scope.LAB, R.RECEPTION_CLERK),
    "sample.reject": _rules(Scope.LAB, R.RECEPTION_CLERK),
    # Custody inside the lab: storage, moves and hand-overs, aliquots, retention, disposal.
    "custody.view": STAFF_OF_LAB,
    "custody.move": _rules(Scope.LAB, *LAB_STAFF),
    "storage.manage": QUALITY_OF_LAB,
    "sample.dispose": _rules(Scope.LAB, R.RECEPTION_CLERK, R.LAB_MANAGER, R.QUALITY_MANAGER),
    # Testing.
    "test.view": STAFF_OF_LAB,
    "test.assign": _rules(Scope.LAB, R.LAB_MANAGER, R.RECEPTION_CLERK),
    "test.standing_assign": _rules(Scope.LAB, R.LAB_MANAGER),
    "result.enter": _rules(Scope.LAB, R.ANALYST),
    "test.review": _rules(Scope.LAB, R.REVIEWER),
    "test.approve": _rules(Scope.LAB, R.SIGNATORY),
    # Reports.
    "report.view": OWN_ENTERPRISE + STAFF_OF_LAB,
    "report.issue": _rules(Scope.LAB, R.SIGNATORY),
    "report.amend": _rules(Scope.LAB, R.SIGNATORY),
    "report.revoke": _rules(Scope.LAB, R.SIGNATORY),
    # Audit trail: the lab's own quality and lab managers, and administrators.
    "audit.view": QUALITY_OF_LAB + ADMIN,
    # Network work.
    "network.view": STAFF_OF_LAB,
    "agreement.create": _rules(Scope.LAB, R.LAB_MANAGER) + ADMIN,
    "transfer.view": STAFF_OF_LAB,
    "transfer.dispatch": _rules(Scope.LAB, R.LAB_MANAGER),
    "transfer.send": _rules(Scope.LAB, R.LAB_MANAGER, R.RECEPTION_CLERK),
    "transfer.receive": _rules(Scope.LAB, R.RECEPTION_CLERK),
    "routing.plan": _rules(Scope.LAB, R.LAB_MANAGER),
    # Instruments.
    "instrument.view": STAFF_OF_LAB,
    "instrument.command": _rules(Scope.LAB, R.LAB_MANAGER, R.ANALYST),
    "instrument.files": _rules(Scope.LAB, R.ANALYST, R.LAB_MANAGER),
    "instrument.edit": _rules(Scope.LAB, R.LAB_MANAGER),
    "instrument.status": _rules(Scope.LAB, R.LAB_MANAGER, R.QUALITY_MANAGER),
    "instrument.calibrate": _rules(Scope.LAB, R.QUALITY_MANAGER, R.LAB_MANAGER),
    "instrument.check": _rules(Scope.LAB, R.ANALYST, R.QUALITY_MANAGER, R.LAB_MANAGER),
    "instrument.shared": STAFF_OF_LAB + _rules(Scope.NETWORK, R.EXTERNAL_USER),
    "booking.request": _rules(Scope.NETWORK, R.EXTERNAL_USER),
    "booking.decide": _rules(Scope.LAB, R.LAB_MANAGER),
    # Quality system.
    "quality.view": QUALITY_OF_LAB + ADMIN,
    "quality.record": QUALITY_OF_LAB,
    "qc.record": BENCH_OF_LAB,
    "authorization.grant": QUALITY_OF_LAB,
    "pt.view": BENCH_OF_LAB + ADMIN,
    "pt.submit": BENCH_OF_LAB,
    "pt.coordinate": QUALITY_OF_LAB,
    "method.validate": QUALITY_OF_LAB,
    # Risk.
    "risk.view": RISK,
    "risk.manage": RISK,
    # Customs exchange rates: network-wide definitions, kept by the definers and risk officers.
    "exchange_rate.define": NETWORK_DEFINERS + _rules(Scope.NETWORK, R.RISK_OFFICER),
}

# Roles held by people outside the labs: they never open a lab's work by holding them.
OUTSIDE_ROLES = {Role.ENTERPRISE_USER, Role.EXTERNAL_USER}


def role_assignments(user) -> list[RoleAssignment]:
    """The user's roles, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_portlab_roles", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user))
        user._portlab_roles = cached
    return cached


def _network_wide(a: RoleAssignment) -> bool:
    return a.lab_id is None and a.district_id is None and a.enterprise_id is None


def _covers_lab(a: RoleAssignment, rule: Rule, lab) -> bool:
    if a.enterprise_id is not None:
        return False
    if _network_wide(a):
        return True
    if rule.scope == Scope.LAB and a.lab_id is not None:
        return a.lab_id == lab.id
    return a.district_id is not None and a.district_id == lab.district_id


def _held_anywhere(a: RoleAssignment, rule: Rule) -> bool:
    if rule.scope == Scope.NETWORK:
        return _network_wide(a)
    if rule.scope == Scope.ENTERPRISE:
        return a.enterprise_id is not None
    if rule.scope == Scope.DISTRICT:
        return a.enterprise_id is None and a.lab_id is None
    return a.enterprise_id is None


def _applies(a: RoleAssignment, rule: Rule, tenant: Tenant | None) -> bool:
    if a.role != rule.role:
        return False
    if tenant is None:
        return _held_anywhere(a, rule)
    if rule.scope == Scope.NETWORK:
        return _network_wide(a)
    if rule.scope == Scope.ENTERPRISE:
        return a.enterprise_id is not None and a.enterprise_id == tenant.enterprise_id
    return any(_covers_lab(a, rule, lab) for lab in tenant.labs)


def roles_for(action: str) -> set[str]:
    """The roles whose holders may do `action` somewhere: for listing such people."""
    return {rule.role for rule in rules_for(action) if rule.role}


def holds(user, role: str, lab) -> bool:
    """True if the user holds `role` at `lab` (its district or the network): for rules whose
    role is data, such as the role an alert names as responsible."""
    rule = Rule(role, Scope.LAB)
    return any(_applies(a, rule, Tenant(labs=(lab,))) for a in role_assignments(user))


def may_for_district(user, action: str, district) -> bool:
    """True if the user may do `action` for a whole district: a LAB or DISTRICT rule whose role
    is held at that district or network-wide."""
    for rule in rules_for(action):
        for a in role_assignments(user):
            if a.role != rule.role or a.enterprise_id is not None or a.lab_id is not None:
                continue
            if a.district_id in (None, district.id) and rule.scope != Scope.ENTERPRISE:
                return True
    return False


def rules_for(action: str) -> tuple[Rule, ...]:
    try:
        return ACCESS[action]
    except KeyError:
        raise KeyError(f"No access rule for action {action!r}") from None


def may(user, action: str, *, lab=None, labs: Iterable = (), enterprise_id=None,
        tenant: Tenant | None = None) -> bool:
    """True if the user may do `action` on an object of `lab`/`labs`/`enterprise_id` (or, with
    none given, somewhere)."""
    if tenant is None and (lab is not None or labs or enterprise_id is not None):
        tenant = Tenant(labs=((lab,) if lab is not None else ()) + tuple(labs),
                        enterprise_id=enterprise_id)
    rules = rules_for(action)
    if any(rule.scope == Scope.PUBLIC for rule in rules):
        return True
    signed_in = getattr(user, "is_authenticated", False)
    if signed_in and any(rule.scope == Scope.SIGNED_IN for rule in rules):
        return True
    assignments = role_assignments(user)
    return any(_applies(a, rule, tenant) for rule in rules for a in assignments)


def may_anywhere(user, action: str) -> bool:
    """True if some object exists on which the user could do `action` (the route-level check)."""
    return may(user, action)


def require(user, action: str, *, lab=None, labs: Iterable = (), enterprise_id=None) -> None:
    """Raise PermissionDenied unless the user may do `action` there. (Routes answer 404 for
    another lab's object before a service runs: see accounts.routes.gate.)"""
    if may(user, action, lab=lab, labs=labs, enterprise_id=enterprise_id):
        return
    raise PermissionDenied(denied_message(action, lab=lab))


def denied_message(action: str, *, lab=None) -> str:
    roles = [str(Role(rule.role).label) for rule in rules_for(action) if rule.role]
    names = " / ".join(dict.fromkeys(roles)) or "—"
    if lab is not None:
        return _("You need the role “%(role)s” at %(lab)s for this.") % {
            "role": names, "lab": lab.name}
    return _("You need the role “%(role)s” for this.") % {"role": names}


def labs_where(user, action: str):
    """(whole network?, lab ids, district ids) where the user may do `action`: for lists."""
    network, labs, districts = False, set(), set()
    for rule in rules_for(action):
        if rule.scope in (Scope.PUBLIC, Scope.SIGNED_IN):
            return True, set(), set()
        for a in role_assignments(user):
            if a.role != rule.role or a.enterprise_id is not None:
                continue
            if _network_wide(a):
                network = True
            elif rule.scope == Scope.LAB and a.lab_id:
                labs.add(a.lab_id)
            elif rule.scope in (Scope.LAB, Scope.DISTRICT) and a.district_id:
                districts.add(a.district_id)
    return network, labs, districts


def enterprises_where(user, action: str) -> set[int]:
    """The enterprises on whose objects the user may do `action`."""
    roles = {rule.role for rule in rules_for(action) if rule.scope == Scope.ENTERPRISE}
    return {a.enterprise_id for a in role_assignments(user)
            if a.role in roles and a.enterprise_id is not None}


def passes(guard, *, actor, obj, **context) -> bool:
    """True if a transition's guard lets the actor act on `obj`: pages offer a button only
    then, and the service calls the same guard when the button is used."""
    try:
        guard(actor=actor, obj=obj, **context)
    except ApplicationError:
        return False
    return True


def lab_scope(user) -> tuple[bool, set[int], set[int]]:
    """(whole network?, lab ids, district ids) whose work the user reads as lab staff."""
    return labs_where(user, "lab.view")


def enterprise_ids(user) -> set[int]:
    """The enterprises whose applications and reports the user reads."""
    return enterprises_where(user, "application.view")


def visible_lab_filter(user, prefix: str, action: str = "lab.view") -> Q:
    """Rows of the labs where the access table lets the user do `action` (by default: read the
    lab's work as its staff); `prefix` leads to the lab."""
    network, labs, districts = labs_where(user, action)
    if network:
        return Q()
    return Q(**{f"{prefix}lab_id__in": labs}) | Q(**{f"{prefix}lab__district_id__in": districts})
