from portlab.accounts.models import Role
from portlab.accounts.permissions import role_assignments


def roles(request) -> dict:
    held = {a.role for a in role_assignments(request.user)}
    return {"held_roles": held, "Role": Role}
