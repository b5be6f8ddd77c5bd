from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedRecord(models.Model):
    """A record someone owns until it is closed with evidence (§7.9, §7.10, §8.7, §8.8)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+",
                            verbose_name=_("lab"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.OPEN)
    closure_evidence = models.TextField(_("closure evidence"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("closed by"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"))
    version = models.PositiveIntegerField(_("version"), default=1)

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

    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    test = models.ForeignKey("testing.Test", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", verbose_name=_("test"))

    class Meta(TrackedRecord.Meta):
        verbose_name = _("nonconformity")
        verbose_name_plural = _("nonconformities")
        indexes = [models.Index(fields=["lab", "status", "due_date"], name="nc_lab_status_due")]


class Complaint(TrackedRecord):
    """A complaint from a customer or another party (§7.9)."""

    complainant = models.CharField(_("complainant"), max_length=200)
    received_on = models.DateField(_("received on"))

    class Meta(TrackedRecord.Meta):
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [models.Index(fields=["lab", "status", "due_date"],
                                name="complaint_lab_status_due")]


class InternalAudit(TrackedRecord):
    """An internal audit (§8.8): the owner is the lead auditor, the due date the audit date."""

    scope = models.CharField(_("audit scope"), max_length=200)
    findings = models.TextField(_("findings"), blank=True)

    class Meta(TrackedRecord.Meta):
        verbose_name = _("internal audit")
        verbose_name_plural = _("internal audits")
        indexes = [models.Index(fields=["lab", "status", "due_date"],
                                name="audit_lab_status_due")]


class CorrectiveAction(TrackedRecord):
    """A corrective action (§8.7) for a nonconformity, a complaint, an audit or a QC run."""

    root_cause = models.TextField(_("root cause"), blank=True)
    nonconformity = models.ForeignKey(Nonconformity, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="actions",
                                      verbose_name=_("nonconformity"))
    complaint = models.ForeignKey(Complaint, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="actions", verbose_name=_("complaint"))
    audit = models.ForeignKey(InternalAudit, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="actions", verbose_name=_("internal audit"))
    qc_run = models.ForeignKey("quality.QCRun", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="actions", verbose_name=_("QC run"))

    class Meta(TrackedRecord.Meta):
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        indexes = [models.Index(fields=["lab", "status", "due_date"],
                                name="action_lab_status_due")]
