"""Enterprises, users, roles and API tokens."""

import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from portlab.accounts.credit_code import CreditCodeError, validate_credit_code
from portlab.accounts.models import ApiToken, Enterprise, Role, RoleAssignment, User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError


def credit_code_check(code: str) -> str:
    """Validate a unified social credit code, with the reason in the user's language."""
    try:
        return validate_credit_code(code)
    except CreditCodeError as error:
        raise ApplicationError(
            _("Unified social credit code “%(code)s” is invalid: %(reason)s.")
            % {"code": code, "reason": _(error.template) % error.params},
            field="credit_code",
        ) from error


@transaction.atomic
def enterprise_create(
    *, actor, credit_code: str, name_zh: str, name_en: str = "", customs_code: str = "",
    credit_grade: str = Enterprise.CreditGrade.GENERAL, contact_name: str = "",
    contact_email: str = "", contact_phone: str = "",
) -> Enterprise:
    credit_code_check(credit_code)
    if customs_code and not (len(customs_code) == 10 and customs_code.isalnum()):
        raise ApplicationError(_("Customs code must be 10 letters or digits."),
                               field="customs_code")
    if credit_grade not in Enterprise.CreditGrade.values:
        raise ApplicationError(_("Unknown credit grade “%s”.") % credit_grade,
                               field="credit_grade")
    if Enterprise.objects.filter(credit_code=credit_code).exists():
        raise ApplicationError(_("An enterprise with this credit code is already registered."),
                               field="credit_code")
    enterprise = Enterprise.objects.create(
        credit_code=credit_code, name_zh=name_zh, name_en=name_en, customs_code=customs_code,
        credit_grade=credit_grade, contact_name=contact_name, contact_email=contact_email,
        contact_phone=contact_phone,
    )
    audit_record(actor=actor, action="enterprise_create", entity=enterprise,
                 after={"credit_code": credit_code, "name": name_zh})
    return enterprise


@transaction.atomic
def user_create(*, username: str, password: str, display_name: str = "", email: str = "",
                roles: list[tuple[str, object]] = ()) -> User:
    """Create a user with (role, scope) pairs; the scope is a Lab, District, Enterprise or None."""
    user = User.objects.create_user(username=username, password=password, email=email,
                                    display_name=display_name)
    for role, scope in roles:
        role_grant(user=user, role=role, scope=scope)
    return user


def role_grant(*, user: User, role: str, scope=None) -> RoleAssignment:
    from portlab.network.models import District, Lab

    if role not in Role.values:
        raise ApplicationError(_("Unknown role “%s”.") % role, field="role")
    if (role == Role.ENTERPRISE_USER) != isinstance(scope, Enterprise):
        raise ApplicationError(_("Enterprise users, and only they, are scoped to an enterprise."),
                               field="scope")
    assignment = RoleAssignment.objects.create(
        user=user, role=role,
        lab=scope if isinstance(scope, Lab) else None,
        district=scope if isinstance(scope, District) else None,
        enterprise=scope if isinstance(scope, Enterprise) else None,
    )
    user.__dict__.pop("_portlab_roles", None)
    return assignment


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_create(*, user: User, name: str) -> str:
    """Return a new bearer token; only its digest is kept, so it is shown once."""
    token = secrets.token_urlsafe(32)
    ApiToken.objects.create(user=user, name=name, token_hash=token_digest(token))
    return token
