"""The audit trail in the JSON API (/api/v1/audit/...). Here rather than in audit: who may read
it is decided by roles, and accounts sits above audit (role grants are audited)."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema

from portlab.accounts.models import Role
from portlab.accounts.permissions import has_role
from portlab.audit.selectors import audit_events_for
from portlab.core.errors import PermissionDenied

router = Router()


class AuditEventOut(Schema):
    id: int
    at: datetime
    actor: str
    action: str
    before: dict | None
    after: dict | None
    reason: str
    hash: str


@router.get("/audit/{entity_type}/{entity_id}", response=list[AuditEventOut])
def audit_events(request: HttpRequest, entity_type: str, entity_id: str):
    allowed = (Role.QUALITY_MANAGER, Role.ADMINISTRATOR, Role.LAB_MANAGER)
    if not any(has_role(request.user, role) for role in allowed):
        raise PermissionDenied("Only quality managers, lab managers and administrators read "
                               "the audit trail.")
    return [AuditEventOut(id=e.id, at=e.at, actor=e.actor_name, action=e.action, before=e.before,
                          after=e.after, reason=e.reason, hash=e.hash)
            for e in audit_events_for(entity_type, [entity_id])]
