from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedRecord(models.Model):
    """A record someone owns until it is closed with evidence (§7.9, §7.10, §8.7, §8.8)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+")
    due_date = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    closure_evidence = models.TextField(blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["lab", "status", "due_date"])]

    def __str__(self) -> str:
        return self.title


class Nonconformity(TrackedRecord):
    """Nonconforming work (§7.10): a test, a QC run, a PT result or anything else."""

    class Source(models.TextChoices):
        TESTING = "testing", _("Testing work")
        QC = "qc", _("Internal QC")
        PT = "pt", _("Proficiency testing")
        COMPLAINT = "complaint", _("Complaint")
        AUDIT = "audit", _("Internal audit")
        OTHER = "other", _("Other")

    source = models.CharField(max_length=10, choices=Source.choices)
    test = models.ForeignKey("testing.Test", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta(TrackedRecord.Meta):
        indexes = [models.Index(fields=["lab", "status", "due_date"], name="nc_lab_status_due")]


class Complaint(TrackedRecord):
    """A complaint from a customer or another party (§7.9)."""

    complainant = models.CharField(max_length=200)
    received_on = models.DateField()

    class Meta(TrackedRecord.Meta):
        indexes = [models.Index(fields=["lab", "status", "due_date"],
                                name="complaint_lab_status_due")]


class InternalAudit(TrackedRecord):
    """An internal audit (§8.8): the owner is the lead auditor, the due date the audit date."""

    scope = models.CharField(max_length=200)
    findings = models.TextField(blank=True)

    class Meta(TrackedRecord.Meta):
        indexes = [models.Index(fields=["lab", "status", "due_date"],
                                name="audit_lab_status_due")]


class CorrectiveAction(TrackedRecord):
    """A corrective action (§8.7) for a nonconformity, a complaint, an audit or a QC run."""

    root_cause = models.TextField(blank=True)
    nonconformity = models.ForeignKey(Nonconformity, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="actions")
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="actions")
    audit = models.ForeignKey(InternalAudit, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="actions")
    qc_run = models.ForeignKey("quality.QCRun", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="actions")

    class Meta(TrackedRecord.Meta):
        indexes = [models.Index(fields=["lab", "status", "due_date"],
                                name="action_lab_status_due")]
