from django.conf import settings
from django.db import models


class AuditChain(models.Model):
    """One hash chain of the audit trail: one per lab, one for network-wide definitions.

    Its row holds the chain's head (length and last hash); a writer locks only the row of the
    chain it appends to, so labs never wait on each other.
    """

    key = models.CharField(max_length=40, unique=True)
    # No foreign key: the audit app sits below network in the dependency order.
    lab_id = models.BigIntegerField(null=True, blank=True, unique=True)
    length = models.PositiveBigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    def __str__(self) -> str:
        return f"{self.key} ({self.length})"


class AuditEvent(models.Model):
    """One state or result change: who, when, what before and after, and why."""

    chain = models.ForeignKey(AuditChain, on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveBigIntegerField()
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
    hash = models.CharField(max_length=64)

    class Meta:
        indexes = [models.Index(fields=["entity_type", "entity_id"])]
        constraints = [models.UniqueConstraint(fields=["chain", "sequence"],
                                               name="audit_event_one_per_chain_position")]
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


class Checkpoint(models.Model):
    """A signed Merkle tree head over every chain's head, published for anyone to keep."""

    number = models.PositiveIntegerField(unique=True)
    issued_at = models.DateTimeField()
    tree_size = models.PositiveIntegerField()
    root_hash = models.CharField(max_length=64)
    # The signed JSON exactly as published; the other fields repeat it for queries.
    document = models.TextField()

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return f"checkpoint {self.number} ({self.root_hash[:12]})"
