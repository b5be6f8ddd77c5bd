from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portlab.accounts.models import Enterprise


class Declaration(models.Model):
    """A customs declaration (报关单) as received from the customs system."""

    class TransportMode(models.TextChoices):
        SEA = "sea", _("Waterway")
        RAIL = "rail", _("Rail")
        ROAD = "road", _("Road")
        AIR = "air", _("Air")
        MAIL = "mail", _("Mail")
        OTHER = "other", _("Other")

    number = models.CharField(max_length=18, unique=True)
    declared_on = models.DateField()
    office = models.CharField(max_length=4)
    declarant = models.CharField(max_length=40, blank=True)
    importer = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="declarations")
    importer_code = models.CharField(max_length=18)
    importer_name = models.CharField(max_length=200, blank=True)
    seller = models.CharField(max_length=60, blank=True)
    hs_code = models.CharField(max_length=10)
    goods_description = models.CharField(max_length=300, blank=True)
    origin_country = models.CharField(max_length=2)
    departure_country = models.CharField(max_length=2)
    transport_mode = models.CharField(max_length=5, choices=TransportMode.choices)
    tax_type = models.CharField(max_length=10, blank=True)
    tax_rate = models.DecimalField(max_digits=6, decimal_places=3)
    net_mass_kg = models.DecimalField(max_digits=15, decimal_places=3)
    value = models.DecimalField(max_digits=15, decimal_places=2)
    currency = models.CharField(max_length=3)
    # The value in yuan at the customs rate of the declaration's date (portlab.risk.currency),
    # fixed when the declaration arrives; rules and the model read this, never `value`.
    value_cny = models.DecimalField(max_digits=17, decimal_places=2, null=True, blank=True)
    exchange_rate = models.DecimalField(max_digits=11, decimal_places=6, null=True, blank=True)
    # Copied from the enterprise record when the declaration arrives: a later change of grade
    # must not change how an earlier decision reads.
    credit_grade = models.CharField(max_length=12, choices=Enterprise.CreditGrade.choices)
    received_at = models.DateTimeField()
    # The outcome once known: True when the lab or inspection found the goods nonconforming.
    nonconforming = models.BooleanField(null=True, blank=True)
    labelled_at = models.DateTimeField(null=True, blank=True)
    label_source = models.CharField(max_length=40, blank=True)
    # An application a risk officer tied to this declaration by hand (the engine's own sample
    # is Selection.application); its lab outcome may then label the declaration.
    linked_application = models.ForeignKey("intake.Application", null=True, blank=True,
                                           on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["hs_code"]),
            models.Index(fields=["credit_grade", "received_at"]),
            models.Index(fields=["nonconforming"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def hs_chapter(self) -> str:
        return self.hs_code[:2]


class ModelVersion(models.Model):
    """A model trained on the labelled declarations, with its hold-out figures."""

    version = models.CharField(max_length=60, unique=True)
    trained_at = models.DateTimeField()
    trained_rows = models.PositiveIntegerField()
    positives = models.PositiveIntegerField()
    holdout_metrics = models.JSONField(default=dict)
    file_path = models.CharField(max_length=300)
    active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.version


class RiskScore(models.Model):
    """The combined score of one declaration and the reasons behind it."""

    declaration = models.OneToOneField(Declaration, on_delete=models.CASCADE,
                                       related_name="risk_score")
    model_version = models.ForeignKey(ModelVersion, null=True, blank=True,
                                      on_delete=models.PROTECT)
    model_probability = models.FloatField()
    rule_weight = models.FloatField()
    score = models.FloatField()
    # [{"kind": "rule"|"model", "text": ..., "weight": float | None, "rule": id | None}]
    reasons = models.JSONField(default=list)
    scored_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.declaration_id}: {self.score:.3f}"


class Selection(models.Model):
    """The lane chosen for a declaration, with everything needed to replay the choice."""

    class Lane(models.TextChoices):
        RELEASE = "release", _("Release after document review")
        SAMPLE = "sample", _("Sample for the lab")
        PHYSICAL = "physical", _("Physical inspection")

    class Basis(models.TextChoices):
        RANDOM = "random", _("Random (exploration)")
        RISK = "risk", _("Score above threshold")
        COLD_START = "cold_start", _("Random (too little history)")
        RELEASED = "released", _("Below threshold")

    declaration = models.OneToOneField(Declaration, on_delete=models.CASCADE,
                                       related_name="selection")
    lane = models.CharField(max_length=10, choices=Lane.choices)
    basis = models.CharField(max_length=10, choices=Basis.choices)
    target_rate = models.FloatField()
    exploration_rate = models.FloatField()
    threshold = models.FloatField(null=True, blank=True)
    seed = models.CharField(max_length=60)
    draw = models.FloatField()
    application = models.ForeignKey("intake.Application", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    note = models.CharField(max_length=300, blank=True)
    decided_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["lane"])]

    def __str__(self) -> str:
        return f"{self.declaration_id}: {self.lane}"


class RiskRule(models.Model):
    """An officer's rule; see portlab.risk.rules for how conditions and weights work."""

    explanation = models.CharField(max_length=300)
    weight = models.FloatField()
    hs_prefixes = models.JSONField(default=list, blank=True)
    countries = models.JSONField(default=list, blank=True)
    importers = models.JSONField(default=list, blank=True)
    unit_value_min = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    unit_value_max = models.DecimalField(max_digits=15, decimal_places=2, null=True, blank=True)
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.explanation


class RiskProfile(models.Model):
    """The lab tests that goods under an HS code prefix call for (e.g. 1006 rice: Pb, Cd...)."""

    hs_prefix = models.CharField(max_length=10, unique=True)
    test_items = models.ManyToManyField("network.TestItem", related_name="+")
    product_category = models.ForeignKey("network.ProductCategory", null=True, blank=True,
                                         on_delete=models.PROTECT)
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return self.hs_prefix


class SamplingRate(models.Model):
    """Target inspection rate for an HS chapter ("" = every chapter) and credit grade."""

    hs_chapter = models.CharField(max_length=2, blank=True)
    credit_grade = models.CharField(max_length=12, choices=Enterprise.CreditGrade.choices)
    rate = models.FloatField()
    updated_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hs_chapter", "credit_grade"],
                                    name="unique_sampling_rate"),
            models.CheckConstraint(condition=models.Q(rate__gte=0, rate__lte=1),
                                   name="sampling_rate_is_a_share"),
        ]

    def __str__(self) -> str:
        return f"{self.hs_chapter or '*'} {self.credit_grade}: {self.rate}"


class ExchangeRate(models.Model):
    """Customs' monthly rate (海关汇率) of one currency: yuan per unit, from `valid_from` to the
    end of that month unless a later row of the month replaces it (portlab.risk.currency)."""

    currency = models.CharField(max_length=3)
    valid_from = models.DateField()
    rate = models.DecimalField(max_digits=11, decimal_places=6)
    source = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["currency", "valid_from"],
                                    name="one_exchange_rate_per_currency_and_day"),
            models.CheckConstraint(condition=models.Q(rate__gt=0),
                                   name="exchange_rate_is_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.currency} {self.valid_from}: {self.rate}"
