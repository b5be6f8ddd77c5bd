"""Who may do what, where: roles are held on a lab, a district, an enterprise or the network."""

from django.db.models import Q
from django.utils.translation import gettext as _

from portlab.accounts.models import Role, RoleAssignment
from portlab.core.errors import PermissionDenied


def role_assignments(user) -> list[RoleAssignment]:
    """The user's roles, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_portlab_roles", None)
    if cached is None:
        cached = list(RoleAssignment.objects.filter(user=user))
        user._portlab_roles = cached
    return cached


def _covers(assignment: RoleAssignment, lab) -> bool:
    if assignment.enterprise_id is not None:
        return False
    if assignment.lab_id is None and assignment.district_id is None:
        return True
    if assignment.lab_id is not None:
        return assignment.lab_id == lab.id
    return assignment.district_id == lab.district_id


def has_role(user, role: str, lab=None) -> bool:
    """True if the user holds `role` at `lab` (or anywhere, when no lab is given)."""
    for assignment in role_assignments(user):
        if assignment.role != role:
            continue
        if lab is None or _covers(assignment, lab):
            return True
    return False


def require_role(user, role: str, lab) -> None:
    if not has_role(user, role, lab):
        raise PermissionDenied(
            _("You need the role “%(role)s” at %(lab)s for this.")
            % {"role": Role(role).label, "lab": lab.name}
        )


def enterprise_ids(user) -> set[int]:
    return {
        a.enterprise_id
        for a in role_assignments(user)
        if a.role == Role.ENTERPRISE_USER and a.enterprise_id is not None
    }


# Roles held by people outside the labs: they never open a lab's work by holding them.
OUTSIDE_ROLES = {Role.ENTERPRISE_USER, Role.EXTERNAL_USER}


def lab_scope(user) -> tuple[bool, set[int], set[int]]:
    """(whole network?, lab ids, district ids) in which the user holds any lab-side role."""
    network, labs, districts = False, set(), set()
    for a in role_assignments(user):
        if a.role in OUTSIDE_ROLES:
            continue
        if a.lab_id:
            labs.add(a.lab_id)
        elif a.district_id:
            districts.add(a.district_id)
        elif a.enterprise_id is None:
            network = True
    return network, labs, districts


def visible_lab_filter(user, prefix: str) -> Q:
    """Rows of the labs where the user holds a lab-side role (`prefix` leads to the lab)."""
    network, labs, districts = lab_scope(user)
    if network:
        return Q()
    return Q(**{f"{prefix}lab_id__in": labs}) | Q(**{f"{prefix}lab__district_id__in": districts})
