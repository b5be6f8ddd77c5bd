from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ControlMaterial(models.Model):
    """A control material (one level) with its target mean and standard deviation (§7.7.1)."""

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+",
                            verbose_name=_("lab"))
    test_item = models.ForeignKey("network.TestItem", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("test item"))
    code = models.CharField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    instrument_label = models.CharField(_("instrument"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20)
    target_mean = models.FloatField(_("target mean"))
    target_sd = models.FloatField(_("target SD"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("control material")
        verbose_name_plural = _("control materials")
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

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+",
                            verbose_name=_("lab"))
    test_item = models.ForeignKey("network.TestItem", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("test item"))
    run_code = models.CharField(_("run id"), max_length=40)
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        verbose_name = _("QC run")
        verbose_name_plural = _("QC runs")
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

    run = models.ForeignKey(QCRun, on_delete=models.CASCADE, related_name="results",
                            verbose_name=_("QC run"))
    material = models.ForeignKey(ControlMaterial, on_delete=models.PROTECT,
                                 related_name="results", verbose_name=_("control material"))
    value = models.FloatField(_("value"))
    z = models.FloatField(_("z value"))
    rules = models.JSONField(_("Westgard rules broken"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices)

    class Meta:
        verbose_name = _("QC result")
        verbose_name_plural = _("QC results")
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
