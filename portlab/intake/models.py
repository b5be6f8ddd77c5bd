import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    """The sample workflow, shared by applications (whose status follows their samples)."""

    SUBMITTED = "submitted", _("Submitted")
    RECEIVED = "received", _("Received")
    REJECTED = "rejected", _("Rejected")
    IN_TESTING = "in_testing", _("In testing")
    IN_REVIEW = "in_review", _("In review")
    APPROVED = "approved", _("Approved")
    REPORTED = "reported", _("Reported")
    CANCELLED = "cancelled", _("Cancelled")


# Applications and samples still to be finished: filed, received, in testing or in review.
OPEN_STATUSES = (Status.SUBMITTED, Status.RECEIVED, Status.IN_TESTING, Status.IN_REVIEW)
# Samples that no longer count for their application: refused at reception, or withdrawn.
DROPPED_STATUSES = (Status.REJECTED, Status.CANCELLED)


def new_query_code() -> str:
    return secrets.token_hex(8)  # 64 bits, printed on the receipt


class Application(models.Model):
    """An inspection application (报验申请/委托) filed by or for an enterprise."""

    class Priority(models.IntegerChoices):
        """Urgent tests start before normal ones in each lab queue (first come, first
        served within a priority)."""

        NORMAL = 0, _("Normal")
        URGENT = 1, _("Urgent")

    class Purpose(models.TextChoices):
        IMPORT = "import", _("Import inspection")
        EXPORT = "export", _("Export inspection")
        SURVEILLANCE = "surveillance", _("Risk monitoring")
        COMMISSIONED = "commissioned", _("Commissioned testing")

    number = models.CharField(max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "accounts.Enterprise", on_delete=models.PROTECT, related_name="applications"
    )
    lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="applications")
    goods_description = models.CharField(max_length=300)
    hs_code = models.CharField(max_length=10)
    declaration_number = models.CharField(max_length=18, blank=True)
    purpose = models.CharField(max_length=15, choices=Purpose.choices)
    product_category = models.ForeignKey(
        "network.ProductCategory", null=True, blank=True, on_delete=models.PROTECT
    )
    requires_accreditation = models.BooleanField(default=True)
    decision_rule = models.CharField(max_length=12, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices,
                                                default=Priority.NORMAL)
    query_code = models.CharField(max_length=16, default=new_query_code)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    submitted_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["enterprise", "status"]),
            models.Index(fields=["lab", "status"]),
        ]

    def __str__(self) -> str:
        return self.number


class ApplicationItem(models.Model):
    """A test item the applicant asked for, done on every sample of the application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="items")
    test_item = models.ForeignKey("network.TestItem", on_delete=models.PROTECT)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "test_item"], name="unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.test_item_id}"


class Condition(models.TextChoices):
    """A sample's condition on receipt, recorded by the reception clerk."""

    INTACT = "intact", _("Intact")
    PACKAGING_DAMAGED = "damaged", _("Packaging damaged")
    SEAL_BROKEN = "seal_broken", _("Seal broken")
    LEAKING = "leaking", _("Leaking")
    TEMPERATURE = "temperature", _("Cold chain not kept")
    SHORT = "short", _("Quantity short")


class Sample(models.Model):
    number = models.CharField(max_length=20, unique=True)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="samples")
    description = models.CharField(max_length=200)
    quantity = models.CharField(max_length=60, blank=True)
    barcode = models.CharField(max_length=40, null=True, blank=True, unique=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    received_at = models.DateTimeField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rejection_reason = models.TextField(blank=True)
    condition = models.CharField(max_length=12, choices=Condition.choices, blank=True)
    condition_note = models.CharField(max_length=200, blank=True)
    # Where the sample is now (a storage location) or who holds it (a hand-over): custody.
    location = models.ForeignKey("intake.StorageLocation", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="samples")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    # Set when its report is issued (intake.retention); the disposal list reads it.
    retain_until = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["status"]), models.Index(fields=["retain_until"])]

    def __str__(self) -> str:
        return self.number


from portlab.intake.custody_models import (  # noqa: E402,F401  (one models module for Django)
    Aliquot,
    Disposal,
    RetentionPeriod,
    SampleMove,
    StorageLocation,
)
