from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ControlMaterial(models.Model):
    """A control material (one level) with its target mean and standard deviation (§7.7.1)."""

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    test_item = models.ForeignKey("network.TestItem", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=40)
    name = models.CharField(max_length=200)
    instrument_label = models.CharField(max_length=100, blank=True)
    level = models.CharField(max_length=20)
    target_mean = models.FloatField()
    target_sd = models.FloatField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lab", "code"], name="unique_control_material"),
            models.CheckConstraint(condition=models.Q(target_sd__gt=0),
                                   name="control_material_sd_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.level}"


class QCRun(models.Model):
    """One analytical run of a lab for a test item, judged by its control results."""

    class Status(models.TextChoices):
        PENDING = "pending", _("No results yet")
        ACCEPTED = "accepted", _("Accepted")
        WARNING = "warning", _("Warning")
        REJECTED = "rejected", pgettext_lazy("qc", "Rejected")

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    test_item = models.ForeignKey("network.TestItem", on_delete=models.PROTECT, related_name="+")
    run_code = models.CharField(max_length=40)
    date = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lab", "test_item", "run_code"],
                                               name="unique_qc_run")]
        indexes = [models.Index(fields=["lab", "date"])]

    def __str__(self) -> str:
        return self.run_code


class QCResult(models.Model):
    """One control measurement in a run, with its z value and the Westgard rules it broke."""

    class Status(models.TextChoices):
        ACCEPT = "accept", _("Accepted")
        WARNING = "warning", _("Warning")
        REJECT = "reject", pgettext_lazy("qc", "Rejected")

    run = models.ForeignKey(QCRun, on_delete=models.CASCADE, related_name="results")
    material = models.ForeignKey(ControlMaterial, on_delete=models.PROTECT,
                                 related_name="results")
    value = models.FloatField()
    z = models.FloatField()
    rules = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "material"],
                                               name="unique_qc_result")]

    def __str__(self) -> str:
        return f"{self.run_id}/{self.material_id}: {self.value}"


class QCRunTest(models.Model):
    """A test whose result was produced in a QC run: its approval depends on the run."""

    run = models.ForeignKey(QCRun, on_delete=models.CASCADE, related_name="links")
    test = models.ForeignKey("testing.Test", on_delete=models.CASCADE, related_name="+")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    linked_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "test"], name="unique_qc_run_test")]

    def __str__(self) -> str:
        return f"{self.run_id}↔{self.test_id}"
