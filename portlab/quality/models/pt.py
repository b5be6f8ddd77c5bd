from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portlab.core.bilingual import Bilingual


class Evaluation(models.TextChoices):
    SATISFACTORY = "satisfactory", _("Satisfactory")
    QUESTIONABLE = "questionable", _("Questionable")
    UNSATISFACTORY = "unsatisfactory", _("Unsatisfactory")


class PTScheme(Bilingual):
    """A proficiency-testing scheme run by an alliance for one test item (§7.7.2)."""

    code = models.CharField(max_length=40, unique=True)
    alliance = models.ForeignKey("network.Alliance", on_delete=models.PROTECT,
                                 related_name="pt_schemes")
    test_item = models.ForeignKey("network.TestItem", on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(max_length=20)


class PTRound(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for results")
        CLOSED = "closed", _("Closed")
        SCORED = "scored", _("Scored")

    class Method(models.TextChoices):
        ALGORITHM_A = "algorithm-a", _("ISO 13528 Algorithm A")
        Q_HAMPEL = "q-hampel", _("ISO 13528 Q/Hampel")

    scheme = models.ForeignKey(PTScheme, on_delete=models.PROTECT, related_name="rounds")
    code = models.CharField(max_length=40, unique=True)
    deadline = models.DateField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    method = models.CharField(max_length=12, choices=Method.choices, default=Method.ALGORITHM_A)
    sigma_pt = models.FloatField(null=True, blank=True)
    assigned_value = models.FloatField(null=True, blank=True)
    assigned_value_u = models.FloatField(null=True, blank=True)
    robust_mean = models.FloatField(null=True, blank=True)
    robust_sd = models.FloatField(null=True, blank=True)
    x_pt = models.FloatField(null=True, blank=True)
    u_x_pt = models.FloatField(null=True, blank=True)
    sigma_pt_used = models.FloatField(null=True, blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.code


class PTParticipant(models.Model):
    """A lab in a round, known to the others only by its coded id."""

    round = models.ForeignKey(PTRound, on_delete=models.CASCADE, related_name="participants")
    lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="+")
    coded_id = models.CharField(max_length=10)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "lab"], name="unique_pt_participant"),
            models.UniqueConstraint(fields=["round", "coded_id"], name="unique_pt_coded_id"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id} {self.coded_id}"


class PTResult(models.Model):
    participant = models.OneToOneField(PTParticipant, on_delete=models.CASCADE,
                                       related_name="result")
    value = models.FloatField()
    u = models.FloatField(null=True, blank=True)
    expanded_u = models.FloatField(null=True, blank=True)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    z = models.FloatField(null=True, blank=True)
    z_prime = models.FloatField(null=True, blank=True)
    zeta = models.FloatField(null=True, blank=True)
    en = models.FloatField(null=True, blank=True)
    evaluation = models.CharField(max_length=16, choices=Evaluation.choices, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.participant}: {self.value}"
