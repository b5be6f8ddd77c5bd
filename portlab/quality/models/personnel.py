from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Duty(models.TextChoices):
    TESTING = "testing", _("Testing")
    REVIEW = "review", _("Review")
    SIGNING = "signing", _("Signing reports")
    CONFORMITY_STATEMENT = "conformity_statement", _("Statements of conformity")


class CompetenceRecord(models.Model):
    """Training received or competence demonstrated by a person (ISO/IEC 17025 §6.2.5)."""

    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        COMPETENCE = "competence", _("Competence assessment")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="competence_records")
    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    topic = models.CharField(max_length=200)
    date = models.DateField()
    evidence = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "date"])]

    def __str__(self) -> str:
        return f"{self.user} {self.topic} {self.date}"


class Authorization(models.Model):
    """A person authorized for a duty on one capability or on every use of a method (§6.2.6)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="authorizations", verbose_name=_("holder"))
    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+",
                            verbose_name=_("lab"))
    capability = models.ForeignKey("network.Capability", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+",
                                   verbose_name=_("capability"))
    method = models.ForeignKey("network.Method", null=True, blank=True,
                               on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("method"))
    duty = models.CharField(_("duty"), max_length=20, choices=Duty.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    renews = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="renewal", verbose_name=_("renews"))
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("authorization")
        verbose_name_plural = _("authorizations")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(capability__isnull=False, method__isnull=True)
                           | models.Q(capability__isnull=True, method__isnull=False)),
                name="authorization_for_capability_or_method",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="authorization_ends_after_it_starts",
            ),
        ]
        indexes = [models.Index(fields=["user", "duty"]), models.Index(fields=["lab", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.user} {self.duty} {self.capability or self.method}"
