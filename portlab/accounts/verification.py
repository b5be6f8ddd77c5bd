"""Business licence checks: a self-registered enterprise files at once but stays unverified
until a customs credit officer (or an administrator) has checked its licence."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portlab.accounts import access
from portlab.accounts.models import Enterprise, User
from portlab.audit.services import audit_record
from portlab.core.errors import ConflictError, NotFound


def guard_enterprise_verify(*, actor, obj: Enterprise) -> None:
    """Customs credit officers and administrators check business licences, once."""
    access.require(actor, "enterprise.verify")
    if obj.is_verified:
        raise ConflictError(_("%(name)s was already verified on %(date)s.") % {
            "name": obj.name, "date": timezone.localdate(obj.verified_at).isoformat()})


@transaction.atomic
def enterprise_verify(*, actor: User, enterprise: Enterprise, note: str = "") -> Enterprise:
    """Record that the enterprise's business licence was checked against its credit code."""
    enterprise = Enterprise.objects.select_for_update().get(pk=enterprise.pk)
    guard_enterprise_verify(actor=actor, obj=enterprise)
    enterprise.verified_at, enterprise.verified_by = timezone.now(), actor
    enterprise.save(update_fields=["verified_at", "verified_by"])
    audit_record(actor=actor, action="enterprise_verify", entity=enterprise,
                 after={"credit_code": enterprise.credit_code}, reason=note.strip())
    return enterprise


def enterprise_get(credit_code: str) -> Enterprise:
    enterprise = Enterprise.objects.filter(credit_code=credit_code.strip()).first()
    if enterprise is None:
        raise NotFound(_("No enterprise has the credit code “%s”.") % credit_code,
                       field="credit_code")
    return enterprise



def enterprises_to_verify() -> list[Enterprise]:
    """Unverified enterprises, oldest registration first (the queue of licence checks)."""
    return list(Enterprise.objects.filter(verified_at__isnull=True).order_by("id"))


def enterprises_verified_recently(limit: int = 20) -> list[Enterprise]:
    return list(Enterprise.objects.filter(verified_at__isnull=False)
                .select_related("verified_by").order_by("-verified_at")[:limit])
