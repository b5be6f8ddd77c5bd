"""Custody inside a lab (留样与处置): where each sample is, every move and hand-over, its
aliquots, how long it is kept, and its disposal. Imported by intake.models."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StorageLocation(models.Model):
    """A place of a lab where samples are kept: a room, a fridge, a shelf; its code is printed
    as a barcode and scanned when a sample is put there."""

    class Kind(models.TextChoices):
        ROOM = "room", _("Room")
        FRIDGE = "fridge", _("Fridge")
        FREEZER = "freezer", _("Freezer")
        SHELF = "shelf", _("Shelf")
        CABINET = "cabinet", _("Cabinet")

    lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=30, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=100)
    within = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="contains")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lab", "name"],
                                               name="storage_location_name_per_lab")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Aliquot(models.Model):
    """A sub-sample taken from a sample, with its own number and label."""

    number = models.CharField(max_length=30, unique=True)
    sample = models.ForeignKey("intake.Sample", on_delete=models.PROTECT,
                               related_name="aliquots")
    quantity = models.CharField(max_length=60)
    purpose = models.CharField(max_length=200, blank=True)
    location = models.ForeignKey(StorageLocation, null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="aliquots")
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.number


class SampleMove(models.Model):
    """One move or hand-over of a sample (or of one of its aliquots) inside its lab: who, when,
    from where or whom, to where or whom."""

    sample = models.ForeignKey("intake.Sample", on_delete=models.PROTECT, related_name="moves")
    aliquot = models.ForeignKey(Aliquot, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="moves")
    from_location = models.ForeignKey(StorageLocation, null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    from_holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    to_location = models.ForeignKey(StorageLocation, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    to_holder = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    moved_at = models.DateTimeField()

    class Meta:
        ordering = ["moved_at", "id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(to_location__isnull=False) | models.Q(to_holder__isnull=False),
            name="sample_move_has_destination")]

    def __str__(self) -> str:
        return f"{self.sample_id} → {self.to_location_id or self.to_holder_id}"


class RetentionPeriod(models.Model):
    """How many days a lab keeps samples of a product category after the report (no category:
    the lab's default)."""

    lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="+")
    product_category = models.ForeignKey("network.ProductCategory", null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    days = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lab", "product_category"],
                                    name="retention_per_lab_category"),
            models.UniqueConstraint(fields=["lab"], condition=models.Q(
                product_category__isnull=True), name="retention_default_per_lab"),
        ]

    def __str__(self) -> str:
        return f"{self.lab_id}:{self.product_category_id or '*'} {self.days} d"


class Disposal(models.Model):
    """The disposal of a sample past retention (with its aliquots): proposed with a method by
    one person, approved by another; approved means disposed."""

    class Method(models.TextChoices):
        RETURNED = "returned", _("Returned to the applicant")
        DESTROYED = "destroyed", _("Destroyed in the lab")
        HAZARDOUS = "hazardous", _("Handed to a hazardous-waste contractor")
        INCINERATED = "incinerated", _("Incinerated")

    sample = models.OneToOneField("intake.Sample", on_delete=models.PROTECT,
                                  related_name="disposal")
    method = models.CharField(max_length=12, choices=Method.choices)
    note = models.CharField(max_length=200, blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.sample_id} {self.method}"
