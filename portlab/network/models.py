import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from portlab.core.bilingual import Bilingual


class District(Bilingual):
    """A customs district (直属海关) that owns labs."""

    code = models.CharField(max_length=10, unique=True)
    city = models.CharField(max_length=60)


class Lab(Bilingual):
    class Kind(models.TextChoices):
        KEY = "key", _("Key lab")
        REGIONAL = "regional", _("Regional lab")
        ROUTINE = "routine", _("Routine lab")

    code = models.CharField(max_length=20, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="labs")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ROUTINE)
    cnas_number = models.CharField(max_length=20, blank=True)
    # 检验检测机构资质认定 (CMA) certificate number, printed with the CMA mark on reports.
    cma_number = models.CharField(max_length=30, blank=True)
    city = models.CharField(max_length=60)
    address = models.CharField(max_length=200, blank=True)
    # Four-eyes: the person who reviewed a result may not also approve it (on by default; a
    # one-person lab may turn it off, the analyst still never checks their own result).
    distinct_reviewer_and_approver = models.BooleanField(
        _("reviewer and approver must differ"), default=True)
    # Working hours (local time) on each working day of the network's calendar: the
    # predicted completion counts today's capacity for the hours left of the working day, and
    # a test filed after it ends from the next working day.
    workday_start = models.TimeField(_("working day starts"), default=datetime.time(8, 30))
    workday_end = models.TimeField(_("working day ends"), default=datetime.time(17, 30))

    class Meta:
        constraints = [models.CheckConstraint(
            condition=models.Q(workday_end__gt=models.F("workday_start")),
            name="lab_working_day_ends_after_it_starts")]

    def clean(self) -> None:
        super().clean()
        if (self.workday_start is not None and self.workday_end is not None
                and self.workday_end <= self.workday_start):
            raise ValidationError({"workday_end": _(
                "The working day must end after it starts (%(start)s); a working day past "
                "midnight is not supported.") % {"start": self.workday_start.strftime("%H:%M")}})


class Alliance(Bilingual):
    """A lab alliance (实验室联盟) with a lead lab, e.g. for unified methods and PT."""

    code = models.CharField(max_length=20, unique=True)
    lead_lab = models.ForeignKey(Lab, on_delete=models.PROTECT, related_name="led_alliances")
    members = models.ManyToManyField(Lab, related_name="alliances")


class Standard(Bilingual):
    class Status(models.TextChoices):
        CURRENT = "current", _("Current")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    code = models.CharField(max_length=60, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CURRENT)
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)
    # When it was withdrawn here (None for standards withdrawn before this was recorded): a
    # method verification must come after it before new tests are placed on the method.
    withdrawn_at = models.DateTimeField(null=True, blank=True)


class Method(models.Model):
    """A test method: a clause of a standard with its technique (e.g. GB 5009.12-2023 §1 GFAAS)."""

    code = models.CharField(max_length=80, unique=True)
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="methods")
    clause = models.CharField(max_length=40, blank=True)
    technique = models.CharField(max_length=80)

    def __str__(self) -> str:
        return self.code


class TestItem(Bilingual):
    """An analyte or parameter (检测项目), with the unit results are reported in."""

    class ResultKind(models.TextChoices):
        NUMERIC = "numeric", _("Numeric")
        TEXT = "text", _("Text")

    code = models.CharField(max_length=40, unique=True)
    unit = models.CharField(max_length=20, blank=True)
    result_kind = models.CharField(
        max_length=10, choices=ResultKind.choices, default=ResultKind.NUMERIC
    )


class Capability(models.Model):
    """What a lab can test: Lab × TestItem × Method, with its accreditation and economics."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="capabilities")
    test_item = models.ForeignKey(TestItem, on_delete=models.PROTECT, related_name="capabilities")
    method = models.ForeignKey(Method, on_delete=models.PROTECT, related_name="capabilities")
    accredited = models.BooleanField(default=False)
    lod = models.FloatField(null=True, blank=True)
    loq = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=20)
    price = models.DecimalField(max_digits=10, decimal_places=2)
    turnaround_days = models.PositiveSmallIntegerField()
    # Tests this capability's analysts can start a working day (0: none, the capability takes
    # no work); an instrument it uses may limit it further (Instrument.runs_per_day).
    daily_capacity = models.PositiveIntegerField()
    # Results of this capability are measured on an instrument: a manual entry must name it,
    # and the instrument's status and calibration are checked as for a file import.
    requires_instrument = models.BooleanField(_("measured on an instrument"), default=False)
    # How reported values are rounded (GB/T 8170): to decimals or to significant figures.
    reported_decimals = models.PositiveSmallIntegerField(null=True, blank=True)
    reported_significant_figures = models.PositiveSmallIntegerField(null=True, blank=True)
    # The latest verification of the method at this lab recorded by the quality manager (the
    # record itself is quality.MethodValidation); placement reads it when the standard is
    # withdrawn (network.placement).
    method_verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["lab", "test_item", "method"], name="unique_capability"
            ),
            models.CheckConstraint(
                condition=models.Q(reported_decimals__isnull=True)
                | models.Q(reported_significant_figures__isnull=True),
                name="capability_rounds_one_way",
            ),
        ]
        indexes = [
            models.Index(fields=["test_item", "lab"]),
            # "which labs can test lead, accredited?" reads one index range per item.
            models.Index(fields=["test_item", "accredited", "lab"],
                         name="capability_item_accredited"),
        ]
        verbose_name_plural = "capabilities"

    def __str__(self) -> str:
        return f"{self.lab.code} {self.test_item.code} {self.method.code}"


class ProductCategory(Bilingual):
    code = models.CharField(max_length=40, unique=True)

    class Meta:
        verbose_name_plural = "product categories"


class Specification(models.Model):
    """A limit (判定依据/限量) for a test item in a product category, from a source standard."""

    class DecisionRule(models.TextChoices):
        SIMPLE = "simple", _("Simple acceptance (ILAC G8, w = 0)")
        GUARDED = "guarded", _("Guarded acceptance (ILAC G8, w = U)")
        NON_BINARY = "non_binary", _("Non-binary statement (ILAC G8)")

    product_category = models.ForeignKey(
        ProductCategory, on_delete=models.PROTECT, related_name="specifications"
    )
    test_item = models.ForeignKey(TestItem, on_delete=models.PROTECT, related_name="specifications")
    limit_low = models.FloatField(null=True, blank=True)
    limit_high = models.FloatField(null=True, blank=True)
    unit = models.CharField(max_length=20)
    source_standard = models.ForeignKey(Standard, on_delete=models.PROTECT)
    decision_rule = models.CharField(
        max_length=12, choices=DecisionRule.choices, default=DecisionRule.SIMPLE
    )

    class Comparison(models.TextChoices):
        # GB/T 8170-2008 §4.3.1: the full value unless the specification says otherwise.
        FULL_VALUE = "full_value", _("Full-value comparison (GB/T 8170 §4.3.2)")
        ROUNDED_VALUE = "rounded_value", _("Rounded-value comparison (GB/T 8170 §4.3.3)")

    comparison = models.CharField(max_length=14, choices=Comparison.choices,
                                  default=Comparison.FULL_VALUE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["product_category", "test_item"], name="unique_specification"
            ),
            models.CheckConstraint(
                condition=models.Q(limit_low__isnull=False) | models.Q(limit_high__isnull=False),
                name="specification_has_a_limit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product_category.code} {self.test_item.code}"


class RecognitionAgreement(models.Model):
    """结果互认: the accepting party accepts the results of the performing party.

    Each party is one lab or one whole district (both parties of the same kind). The scope is
    either the listed test items or every item the performing lab is accredited for.
    """

    class Scope(models.TextChoices):
        LISTED = "listed", _("Listed test items")
        ALL_ACCREDITED = "all_accredited", _("All accredited capabilities")

    code = models.CharField(max_length=40, unique=True)
    accepting_district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepting_lab = models.ForeignKey(
        Lab, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    performing_district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    performing_lab = models.ForeignKey(
        Lab, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    scope = models.CharField(max_length=16, choices=Scope.choices)
    test_items = models.ManyToManyField(TestItem, blank=True, related_name="+")
    valid_from = models.DateField()
    valid_to = models.DateField()
    document_reference = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(accepting_district__isnull=True)
                ^ models.Q(accepting_lab__isnull=True),
                name="agreement_one_accepting_party",
            ),
            models.CheckConstraint(
                condition=models.Q(performing_district__isnull=True)
                ^ models.Q(performing_lab__isnull=True),
                name="agreement_one_performing_party",
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__gte=models.F("valid_from")),
                name="agreement_valid_to_after_valid_from",
            ),
        ]
        indexes = [models.Index(fields=["valid_from", "valid_to"])]

    def __str__(self) -> str:
        return self.code

    @property
    def accepting_party(self) -> District | Lab:
        return self.accepting_lab or self.accepting_district

    @property
    def performing_party(self) -> District | Lab:
        return self.performing_lab or self.performing_district


class AccreditationScopeEntry(models.Model):
    """One line of a lab's CNAS accreditation scope (认可范围): the test item and method that
    the accreditation body recognised, recorded by the lab's quality manager. A capability is
    marked accredited only where such an entry covers it."""

    lab = models.ForeignKey(Lab, on_delete=models.CASCADE, related_name="accreditation_scope")
    test_item = models.ForeignKey(TestItem, on_delete=models.PROTECT, related_name="+")
    method = models.ForeignKey(Method, on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=80)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["lab", "test_item", "method"],
                                    name="unique_accreditation_scope_entry")
        ]

    def __str__(self) -> str:
        return f"{self.lab.code} {self.reference}"
