"""Electronic signatures (电子签名): review, approval and report issue re-authenticate the person
and record what their signature means, bound to the version of the record they signed."""

from base64 import b32encode
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portlab.accounts.models import Signature, User
from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError, PermissionDenied
from portlab.core.ratelimit import hit_count
from portlab.core.rows import insert_row

T = TypeVar("T")

FAILURE_LIMIT = 5
FAILURE_WINDOW_SECONDS = 15 * 60


class TooManyFailures(PermissionDenied):
    status_code = 429


@dataclass(frozen=True)
class Credential:
    """What the person re-entered to sign: their password, or a code from their TOTP app."""

    password: str = ""
    totp: str = ""


@dataclass(frozen=True)
class Signed:
    """One record to sign and the version of it the person saw."""

    entity: Model
    version: int


def credential_posted(request) -> Credential:
    """The password or code a signing form posted (accounts/signature_fields.html)."""
    return Credential(password=request.POST.get("password", ""),
                      totp=request.POST.get("totp", ""))


def _failure_key(user: User) -> str:
    return f"signature-failures:{user.pk}"


def _confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def _verify(user: User, credential: Credential) -> str:
    """The method that proved the person's identity; raise if neither did."""
    if credential.totp.strip():
        device = _confirmed_device(user)
        if device is None:
            raise ApplicationError(_("You have no authenticator app enrolled; sign with your "
                                     "password or enrol one first."), field="totp")
        if device.verify_token(credential.totp.strip()):
            return Signature.Method.TOTP
        return ""
    if credential.password:
        return Signature.Method.PASSWORD if user.check_password(credential.password) else ""
    raise ApplicationError(_("Signing needs your password or a code from your authenticator "
                             "app."), field="password")


def reauthenticate(user: User, credential: Credential) -> str:
    """Check the person's password or TOTP code; failures are limited per user (five in
    fifteen minutes) so a signature cannot be guessed. Returns the method used."""
    if (cache.get(_failure_key(user)) or 0) >= FAILURE_LIMIT:
        raise TooManyFailures(_("Too many failed signature attempts; wait 15 minutes and try "
                                "again."), field="password")
    method = _verify(user, credential)
    if not method:
        field = "totp" if credential.totp.strip() else "password"
        raise SignatureRefused(_("The password or code is not correct; nothing was signed."),
                               field=field, extra={"_signer": user.pk})
    return method


class SignatureRefused(PermissionDenied):
    """A wrong password or code; counted by `signed` once the transaction has rolled back."""

    def as_dict(self) -> dict:
        return {key: value for key, value in super().as_dict().items() if key != "_signer"}


def signed(service: Callable[..., T]) -> Callable[..., T]:
    """Wrap a transactional service that re-authenticates its actor: a refused credential is
    counted after the service's transaction rolled back (counted inside it, in the database
    cache, the failure would be rolled back with everything else)."""

    @wraps(service)
    def wrapper(*args: Any, **kwargs: Any) -> T:
        try:
            return service(*args, **kwargs)
        except SignatureRefused as refused:
            hit_count(f"signature-failures:{refused.extra['_signer']}", FAILURE_WINDOW_SECONDS)
            raise

    return wrapper


def signatures_sign(*, signer: User, credential: Credential, meaning: str,
                    records: list[Signed]) -> list[Signature]:
    """Re-authenticate once and record one signature per record, inside the caller's
    transaction (a refused step leaves no signature behind)."""
    method = reauthenticate(signer, credential)
    return signatures_record(signer=signer, method=method, meaning=meaning, records=records)


def signatures_record(*, signer: User, method: str, meaning: str,
                      records: list[Signed]) -> list[Signature]:
    """Record signatures for a person `reauthenticate` has just checked (for a record that
    exists only after the check, such as a report)."""
    now = timezone.now()
    signatures = [Signature(signer=signer, meaning=meaning, at=now, method=method,
                            entity_type=record.entity._meta.label_lower,
                            entity_id=str(record.entity.pk), entity_version=record.version)
                  for record in records]
    if len(signatures) == 1:  # one test signed, the usual case: cheaper than bulk_create
        insert_row(signatures[0])
        return signatures
    return Signature.objects.bulk_create(signatures)


def totp_device_for_enrolment(*, user: User) -> TOTPDevice:
    """The person's authenticator device: the confirmed one, else one waiting for a first code."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "id").first()
    return device or TOTPDevice.objects.create(user=user, name="PortLab", confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The base32 secret an authenticator app asks for when the QR code cannot be scanned."""
    return b32encode(device.bin_key).decode()


@transaction.atomic
def totp_confirm(*, user: User, code: str) -> TOTPDevice:
    """Confirm enrolment with a first code from the app; until then the device cannot sign."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise ApplicationError(_("There is no authenticator waiting to be confirmed."),
                               field="totp")
    if not device.verify_token(code.strip()):
        raise ApplicationError(_("That code is not correct; check the time on your phone and "
                                 "enter the current code."), field="totp")
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


@signed
@transaction.atomic
def totp_remove(*, user: User, password: str) -> None:
    """Remove the person's authenticator app (a lost or replaced phone), confirmed with their
    password, never with a code from the app being removed; failures count like a refused
    signature. Signing with the password keeps working; a new app can be enrolled."""
    device = _confirmed_device(user)
    if device is None:
        raise ApplicationError(_("You have no authenticator app enrolled."), field="totp")
    if not password:
        raise ApplicationError(_("Enter your password to remove the authenticator app."),
                               field="password")
    reauthenticate(user, Credential(password=password))
    TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=user, action="authenticator_remove", entity=user,
                 before={"authenticator": "enrolled"}, after={"authenticator": None})
