from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portlab.accounts.models import Role
from portlab.quality.models.pt import Evaluation


class MethodValidation(models.Model):
    """Evidence that a lab verified a standard method or validated its own (§7.2)."""

    class Kind(models.TextChoices):
        VERIFICATION = "verification", _("Verification")
        VALIDATION = "validation", _("Validation")

    method = models.ForeignKey("network.Method", on_delete=models.PROTECT, related_name="+")
    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    date = models.DateField()
    summary = models.TextField()
    evidence = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.lab_id} {self.method_id} {self.kind} {self.date}"


class Alert(models.Model):
    """Something the quality manager must act on; the message is worded when it is shown."""

    class Kind(models.TextChoices):
        STANDARD_WITHDRAWN = "standard_withdrawn", _("Standard withdrawn")
        QC_REJECTED = "qc_rejected", _("QC run rejected")
        PT_UNSATISFACTORY = "pt_unsatisfactory", _("Unsatisfactory PT result")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=200)
    capability = models.ForeignKey("network.Capability", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    responsible_role = models.CharField(max_length=20, choices=Role.choices,
                                        default=Role.QUALITY_MANAGER)
    created_at = models.DateTimeField()
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["lab", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.subject}"

    @property
    def message(self) -> str:
        """The alert in the active language, from its kind and data."""
        data = {"subject": self.subject, **self.data}
        if self.kind == self.Kind.STANDARD_WITHDRAWN:
            return gettext("Standard %(standard)s was withdrawn (replaced by %(replaced_by)s): "
                            "re-verify the method of %(subject)s and update the capability.") % {
                "standard": data.get("standard", ""), "replaced_by": data.get("replaced_by", "-"),
                "subject": self.subject}
        if self.kind == self.Kind.QC_REJECTED:
            return gettext("QC run %(subject)s was rejected (%(rules)s): hold the results and "
                            "record a corrective action.") % {
                "subject": self.subject, "rules": data.get("rules", "")}
        return gettext("PT round %(subject)s: %(evaluation)s result (z = %(z)s). Investigate "
                        "and record a corrective action.") % {
            "subject": self.subject,
            "evaluation": Evaluation(data.get("evaluation", "unsatisfactory")).label,
            "z": data.get("z", "")}
