from portlab.accounts.access import role_assignments
from portlab.accounts.models import Role


def roles(request) -> dict:
    from portlab.accounts.services import administered_enterprises

    held = {a.role for a in role_assignments(request.user)}
    is_enterprise_admin = (Role.ENTERPRISE_USER in held
                           and administered_enterprises(request.user).exists())
    return {"held_roles": held, "Role": Role, "is_enterprise_admin": is_enterprise_admin}
