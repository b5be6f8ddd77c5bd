from django.conf import settings
from django.db import models


class AuditEvent(models.Model):
    """One state or result change: who, when, what before and after, and why."""

    at = models.DateTimeField()
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=60)
    entity_type = models.CharField(max_length=40)
    entity_id = models.CharField(max_length=40)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    previous_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        indexes = [models.Index(fields=["entity_type", "entity_id"])]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.entity_type}"

    def content(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "actor": self.actor_name,
            "action": self.action,
            "entity": f"{self.entity_type}:{self.entity_id}",
            "before": self.before,
            "after": self.after,
            "reason": self.reason,
        }


class AuditHead(models.Model):
    """The chain's last hash, in one row that writers lock so the chain stays linear."""

    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.last_hash
