from portlab.accounts.access import ACCESS, may_anywhere, role_assignments
from portlab.accounts.models import Role


class Allowed:
    """The access table for templates: `{% if may.sample.receive %}` is true when the user may
    receive samples somewhere, so pages show only the links and buttons the table allows."""

    def __init__(self, user, prefix: str = ""):
        self.user, self.prefix = user, prefix

    def __getitem__(self, key: str):
        action = f"{self.prefix}{key}"
        if action in ACCESS:
            return may_anywhere(self.user, action)
        if any(name.startswith(f"{action}.") for name in ACCESS):
            return Allowed(self.user, f"{action}.")
        raise KeyError(key)


def roles(request) -> dict:
    from portlab.accounts.services import administered_enterprises

    held = {a.role for a in role_assignments(request.user)}
    is_enterprise_admin = (Role.ENTERPRISE_USER in held
                           and administered_enterprises(request.user).exists())
    return {"may": Allowed(request.user), "is_enterprise_admin": is_enterprise_admin}
