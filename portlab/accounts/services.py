"""Enterprises, users, roles and API tokens."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.credit_code import CreditCodeError, validate_credit_code
from portlab.accounts.models import (
    ApiToken,
    Enterprise,
    EnterpriseAdministrator,
    Role,
    RoleAssignment,
    User,
)
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, NotAuthenticated, NotFound, PermissionDenied
from portlab.core.tokens import new_token, token_digest


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


def guard_enterprise_grade(*, actor, obj: Enterprise | None, credit_grade: str) -> None:
    """Credit grades lower or raise an enterprise's inspection rate: only customs credit
    officers set one other than the default. `obj` is None for a new enterprise."""
    if credit_grade not in Enterprise.CreditGrade.values:
        raise ApplicationError(_("Unknown credit grade “%s”.") % credit_grade,
                               field="credit_grade")
    current = obj.credit_grade if obj is not None else Enterprise.CreditGrade.GENERAL
    if credit_grade != current and not access.may(actor, "enterprise.grade"):
        raise PermissionDenied(_("Only a customs credit officer sets an enterprise's credit "
                                 "grade."), field="credit_grade")


@transaction.atomic
def enterprise_grade_set(*, actor, enterprise: Enterprise, credit_grade: str,
                         reason: str) -> Enterprise:
    """A customs credit officer changes the enterprise's credit grade, saying why."""
    guard_enterprise_grade(actor=actor, obj=enterprise, credit_grade=credit_grade)
    if not reason.strip():
        raise ApplicationError(_("Say why the credit grade changes."), field="reason")
    before = enterprise.credit_grade
    enterprise.credit_grade = credit_grade
    enterprise.save(update_fields=["credit_grade"])
    audit_record(actor=actor, action="enterprise_grade_set", entity=enterprise,
                 before={"credit_grade": before}, after={"credit_grade": credit_grade},
                 reason=reason.strip())
    return enterprise


@transaction.atomic
def enterprise_create(
    *, actor: User, credit_code: str, name_zh: str, name_en: str = "", customs_code: str = "",
    credit_grade: str = Enterprise.CreditGrade.GENERAL, contact_name: str = "",
    contact_email: str = "", contact_phone: str = "",
) -> Enterprise:
    credit_code_check(credit_code)
    if customs_code and not (len(customs_code) == 10 and customs_code.isalnum()):
        raise ApplicationError(_("Customs code must be 10 letters or digits."),
                               field="customs_code")
    guard_enterprise_grade(actor=actor, obj=None, credit_grade=credit_grade)
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
                roles: Sequence[tuple[str, object]] = ()) -> User:
    """Create a user with (role, scope) pairs; the scope is a Lab, District, Enterprise or None."""
    user = User.objects.create_user(username=username, password=password, email=email,
                                    display_name=display_name)
    for role, scope in roles:
        role_grant(user=user, role=role, scope=scope)
    return user


def guard_role_grant(*, actor: User, obj: User) -> None:
    """Administrators grant roles, never to themselves."""
    access.require(actor, "role.grant")
    if obj.pk == actor.pk:
        raise PermissionDenied(_("Nobody grants a role to themselves: ask another "
                                 "administrator."), field="user")


def role_grant(*, user: User, role: str, scope=None, actor: User | None = None) -> RoleAssignment:
    """Give `user` the role in `scope`. `actor` is whoever grants it; set-up code that runs
    before anyone can sign in (the demo, tests, the command line) passes none."""
    if actor is not None:
        guard_role_grant(actor=actor, obj=user)
    # The scope's kinds are the models RoleAssignment points to: accounts sits below network,
    # so it asks its own fields rather than importing Lab and District.
    lab_model = cast("type[Model]", RoleAssignment._meta.get_field("lab").related_model)
    district_model = cast("type[Model]",
                          RoleAssignment._meta.get_field("district").related_model)
    if role not in Role.values:
        raise ApplicationError(_("Unknown role “%s”.") % role, field="role")
    if (role == Role.ENTERPRISE_USER) != isinstance(scope, Enterprise):
        raise ApplicationError(_("Enterprise users, and only they, are scoped to an enterprise."),
                               field="scope")
    assignment = RoleAssignment.objects.create(
        user=user, role=role,
        lab_id=scope.pk if isinstance(scope, lab_model) else None,
        district_id=scope.pk if isinstance(scope, district_model) else None,
        enterprise=scope if isinstance(scope, Enterprise) else None,
    )
    user.__dict__.pop("_portlab_roles", None)
    return assignment


def api_token_create(*, user: User, name: str, lifetime_days: int | None = None) -> str:
    """Return a new bearer token; only its digest is kept, so it is shown once. It expires after
    `lifetime_days` (PORTLAB_API_TOKEN_DAYS by default, at most PORTLAB_API_TOKEN_MAX_DAYS)."""
    days = settings.PORTLAB_API_TOKEN_DAYS if lifetime_days is None else lifetime_days
    longest = settings.PORTLAB_API_TOKEN_MAX_DAYS
    if not 1 <= days <= longest:
        raise ApplicationError(_("A token lives from 1 to %(days)d days.") % {"days": longest},
                               field="lifetime_days")
    name = name.strip()
    if not name or len(name) > 60:
        raise ApplicationError(_("Give the token a name of at most 60 characters."), field="name")
    token = new_token()
    ApiToken.objects.create(user=user, name=name, token_hash=token_digest(token),
                            expires_at=timezone.now() + timedelta(days=days))
    return token


@transaction.atomic
def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """The owner revokes one of their tokens; it is refused from the next request on."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound(_("You have no such token."), field="token")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, action="api_token_revoke", entity=token,
                     after={"name": token.name})
    return token


def api_token_user(token: str) -> User | None:
    """The active user a bearer token stands for; None for an unknown token. An expired or
    revoked token is refused with the reason (401)."""
    row = ApiToken.objects.select_related("user").filter(token_hash=token_digest(token)).first()
    if row is None or not row.user.is_active:
        return None
    if row.revoked_at is not None:
        raise NotAuthenticated(_("This API token was revoked on %(date)s.") % {
            "date": timezone.localtime(row.revoked_at).strftime("%Y-%m-%d %H:%M")})
    if row.expires_at <= timezone.now():
        raise NotAuthenticated(_("This API token expired on %(date)s; create a new one.") % {
            "date": timezone.localtime(row.expires_at).strftime("%Y-%m-%d %H:%M")})
    return row.user


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")


def api_token_status(token: ApiToken) -> str:
    """"revoked", "expired" or "active"."""
    if token.revoked_at is not None:
        return "revoked"
    return "expired" if token.expires_at <= timezone.now() else "active"


# Enterprise self-service: registration, administrators and invitations.

INVITATION_SALT = "portlab.accounts.invitation"
INVITATION_MAX_AGE = 7 * 24 * 3600  # seconds: an invitation link works for a week
PHONE = re.compile(r"[0-9+\-() ]{5,30}")


@dataclass
class Invitation:
    enterprise: Enterprise
    email: str


def _check_email(email: str, field: str) -> str:
    email = email.strip()
    try:
        validate_email(email)
    except ValidationError as error:
        raise ApplicationError(_("“%s” is not a valid email address.") % email,
                               field=field) from error
    return email


def _check_login(username: str, password: str, email: str) -> str:
    """A username that is free and well-formed, and a password Django's validators accept."""
    username = username.strip()
    if not username:
        raise ApplicationError(_("Choose a username."), field="username")
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError as error:
        raise ApplicationError(
            _("Username may contain only letters, digits and @ . + - _ (at most 150)."),
            field="username") from error
    if len(username) > 150:
        raise ApplicationError(
            _("Username may contain only letters, digits and @ . + - _ (at most 150)."),
            field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError(_("Username “%s” is already taken.") % username, field="username")
    try:
        password_validation.validate_password(password, User(username=username, email=email))
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), field="password") from error
    return username


def _check_contact(contact_name: str, contact_email: str, contact_phone: str) -> str:
    if not contact_name.strip():
        raise ApplicationError(_("Give the name of a contact person."), field="contact_name")
    email = _check_email(contact_email, "contact_email")
    if not PHONE.fullmatch(contact_phone.strip()):
        raise ApplicationError(
            _("Phone number “%s” should have 5 to 30 digits (+, -, spaces and brackets allowed).")
            % contact_phone, field="contact_phone")
    return email


@transaction.atomic
def enterprise_register(
    *, credit_code: str, name_zh: str, name_en: str = "", customs_code: str = "",
    contact_name: str, contact_email: str, contact_phone: str, username: str, password: str,
) -> User:
    """Public self-registration: the enterprise and its first administrator, all or nothing."""
    credit_code = credit_code.strip()
    credit_code_check(credit_code)
    if Enterprise.objects.filter(credit_code=credit_code).exists():
        # A second self-registration would split one company over two accounts; the way in is
        # an invitation from the existing account, whose administrator we do not reveal.
        raise ApplicationError(
            _("This credit code already has an account. Ask that account's administrator "
              "to invite you."), field="credit_code")
    if not name_zh.strip():
        raise ApplicationError(_("Give the company name in Chinese."), field="name_zh")
    email = _check_contact(contact_name, contact_email, contact_phone)
    username = _check_login(username, password, email)
    user = user_create(username=username, password=password, email=email,
                       display_name=contact_name.strip())
    enterprise = enterprise_create(
        actor=user, credit_code=credit_code, name_zh=name_zh.strip(), name_en=name_en.strip(),
        customs_code=customs_code.strip(), contact_name=contact_name.strip(),
        contact_email=email, contact_phone=contact_phone.strip(),
    )
    role_grant(user=user, role=Role.ENTERPRISE_USER, scope=enterprise)
    EnterpriseAdministrator.objects.create(user=user, enterprise=enterprise,
                                           granted_at=timezone.now())
    audit_record(actor=user, action="enterprise_register", entity=enterprise,
                 after={"credit_code": credit_code, "administrator": username})
    return user


def is_enterprise_admin(user, enterprise: Enterprise) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return EnterpriseAdministrator.objects.filter(user=user, enterprise=enterprise).exists()


def administered_enterprises(user) -> QuerySet[Enterprise]:
    if not getattr(user, "is_authenticated", False):
        return Enterprise.objects.none()
    return Enterprise.objects.filter(administrators__user=user).order_by("name_zh")


def enterprise_members(enterprise: Enterprise) -> QuerySet[User]:
    return User.objects.filter(roles__role=Role.ENTERPRISE_USER,
                               roles__enterprise=enterprise).distinct().order_by("username")


def _send_invitation(enterprise: Enterprise, email: str, link: str) -> None:
    context = {"enterprise": enterprise, "link": link, "days": INVITATION_MAX_AGE // 86400}
    parts = {}
    for language in ("zh-hans", "en"):
        with translation.override(language):
            parts[language] = (
                _("Invitation to %(enterprise)s on PortLab") % {"enterprise": enterprise.name},
                render_to_string("accounts/email/invitation.txt", context),
            )
    subject = f"{parts['zh-hans'][0]} / {parts['en'][0]}"
    body = f"{parts['zh-hans'][1].strip()}\n\n----\n\n{parts['en'][1].strip()}\n"
    EmailMessage(subject=subject, body=body, to=[email]).send()


def guard_enterprise_invite(*, actor, obj: Enterprise) -> None:
    """An administrator of the enterprise, among its own users, invites colleagues."""
    if not (access.may(actor, "enterprise.team", enterprise_id=obj.pk)
            and is_enterprise_admin(actor, obj)):
        raise PermissionDenied(_("Only an administrator of the enterprise may invite users."))


@transaction.atomic
def enterprise_invite(*, actor: User, enterprise: Enterprise, email: str, base_url: str) -> str:
    """An enterprise administrator invites a colleague by email; returns the signed token.

    The link carries the enterprise and address, signed with the site key, and expires after
    INVITATION_MAX_AGE; it can be used once (the address then belongs to a member).
    """
    guard_enterprise_invite(actor=actor, obj=enterprise)
    email = _check_email(email, "email")
    if enterprise_members(enterprise).filter(email__iexact=email).exists():
        raise ApplicationError(_("%s is already a user of this enterprise.") % email,
                               field="email")
    token = signing.dumps({"enterprise": enterprise.pk, "email": email}, salt=INVITATION_SALT)
    link = base_url.rstrip("/") + reverse("invitation_accept", args=[token])
    audit_record(actor=actor, action="enterprise_invite", entity=enterprise,
                 after={"email": email})
    transaction.on_commit(lambda: _send_invitation(enterprise, email, link), robust=True)
    return token


def invitation_read(token: str) -> Invitation:
    """The invitation a token stands for, or an error saying why the link no longer works."""
    try:
        data = signing.loads(token, salt=INVITATION_SALT, max_age=INVITATION_MAX_AGE)
    except signing.SignatureExpired as error:
        raise ApplicationError(_("This invitation has expired; ask your administrator for a "
                                 "new one."), field="token") from error
    except signing.BadSignature as error:
        raise ApplicationError(_("This invitation link is not valid."), field="token") from error
    enterprise = Enterprise.objects.filter(pk=data.get("enterprise")).first()
    if enterprise is None:
        raise ApplicationError(_("This invitation link is not valid."), field="token")
    return Invitation(enterprise=enterprise, email=data.get("email", ""))


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str,
                      display_name: str = "") -> User:
    """Create the invited user as an enterprise user of the inviting enterprise."""
    invitation = invitation_read(token)
    if enterprise_members(invitation.enterprise).filter(email__iexact=invitation.email).exists():
        raise ApplicationError(_("This invitation has already been used."), field="token")
    username = _check_login(username, password, invitation.email)
    user = user_create(username=username, password=password, email=invitation.email,
                       display_name=display_name.strip(),
                       roles=[(Role.ENTERPRISE_USER, invitation.enterprise)])
    audit_record(actor=user, action="invitation_accept", entity=invitation.enterprise,
                 after={"username": username, "email": invitation.email})
    return user
