from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from portlab.core.bilingual import Bilingual


class Enterprise(Bilingual):
    class CreditGrade(models.TextChoices):
        ADVANCED = "advanced", _("Advanced certified enterprise")
        GENERAL = "general", _("General credit enterprise")
        DISTRUSTED = "distrusted", _("Distrusted enterprise")

    credit_code = models.CharField(max_length=18, unique=True)
    customs_code = models.CharField(max_length=10, blank=True)
    credit_grade = models.CharField(
        max_length=12, choices=CreditGrade.choices, default=CreditGrade.GENERAL
    )
    contact_name = models.CharField(max_length=60, blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_email = models.EmailField(blank=True)
    address = models.CharField(max_length=200, blank=True)
    # A self-registered enterprise may file at once, but stays unverified until the customs
    # side has checked its business licence against the credit code.
    verified_at = models.DateTimeField(null=True, blank=True)
    verified_by = models.ForeignKey("User", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    @property
    def is_verified(self) -> bool:
        return self.verified_at is not None


class User(AbstractUser):
    display_name = models.CharField(max_length=60, blank=True)

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(models.TextChoices):
    RECEPTION_CLERK = "reception_clerk", _("Reception clerk")
    ANALYST = "analyst", _("Analyst")
    REVIEWER = "reviewer", _("Reviewer")
    SIGNATORY = "signatory", _("Authorized signatory")
    QUALITY_MANAGER = "quality_manager", _("Quality manager")
    LAB_MANAGER = "lab_manager", _("Lab manager")
    ENTERPRISE_USER = "enterprise_user", _("Enterprise user")
    RISK_OFFICER = "risk_officer", _("Risk officer")
    CREDIT_OFFICER = "credit_officer", _("Customs credit officer")
    EXTERNAL_USER = "external_user", _("External instrument user")
    ADMINISTRATOR = "administrator", _("Administrator")


class RoleAssignment(models.Model):
    """A role held in a scope: one lab, a whole district, one enterprise, or (none) the network."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)
    lab = models.ForeignKey("network.Lab", null=True, blank=True, on_delete=models.CASCADE)
    district = models.ForeignKey(
        "network.District", null=True, blank=True, on_delete=models.CASCADE
    )
    enterprise = models.ForeignKey(Enterprise, null=True, blank=True, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(lab__isnull=True, district__isnull=True)
                    | models.Q(lab__isnull=True, enterprise__isnull=True)
                    | models.Q(district__isnull=True, enterprise__isnull=True)
                ),
                name="role_has_at_most_one_scope",
            )
        ]

    def __str__(self) -> str:
        scope = self.lab or self.district or self.enterprise or _("network")
        return f"{self.user} {self.get_role_display()} @ {scope}"


class ApiToken(models.Model):
    """A bearer token for API clients; only its SHA-256 is stored. It works until it expires or
    its owner revokes it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=60)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.name}"


class EnterpriseAdministrator(models.Model):
    """An enterprise user who may invite colleagues to the enterprise (企业管理员)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="administered")
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="administrators"
    )
    granted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "enterprise"], name="unique_enterprise_admin")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.enterprise}"


class Signature(models.Model):
    """电子签名: a person re-authenticated and signed a record with a stated meaning (21 CFR
    Part 11 §11.50/§11.200: who, when, what it means, bound to the version signed)."""

    class Meaning(models.TextChoices):
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved")
        ISSUED = "issued", _("Issued")

    class Method(models.TextChoices):
        PASSWORD = "password", _("Password")
        TOTP = "totp", _("One-time code")

    signer = models.ForeignKey(User, on_delete=models.PROTECT, related_name="signatures")
    meaning = models.CharField(max_length=10, choices=Meaning.choices)
    at = models.DateTimeField()
    entity_type = models.CharField(max_length=40)
    entity_id = models.CharField(max_length=40)
    entity_version = models.PositiveIntegerField()
    method = models.CharField(max_length=10, choices=Method.choices)

    class Meta:
        indexes = [models.Index(fields=["entity_type", "entity_id"])]

    def __str__(self) -> str:
        return f"{self.signer_id} {self.meaning} {self.entity_type}:{self.entity_id}"
