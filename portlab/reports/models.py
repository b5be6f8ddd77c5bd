import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Crockford's base32 without the letters people misread (I, L, O, U): 5 bits per character.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 80 bits


def new_verification_code() -> str:
    """A code printed on the report; with the number it proves the holder has seen the report."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[start:start + 4] for start in range(0, CODE_LENGTH, 4))


class ReportManager(models.Manager):
    def get_queryset(self) -> models.QuerySet:
        # The signed PDF (about 100 kB) is read only when it is served.
        return super().get_queryset().defer("pdf")


class Report(models.Model):
    """One version of a signed test report (检测报告). Amending adds a version, never edits one.

    The signed PDF is kept in the database (BinaryField) rather than under MEDIA_ROOT: it is
    written in the same transaction as its row, so a failed issue leaves no orphan file and a
    rollback no row without its file; it is backed up with the data it certifies; and the app
    servers stay stateless with no shared volume. The manager defers the column. At national
    scale the column moves to object storage behind a FileField without changing the services.
    """

    class Status(models.TextChoices):
        ISSUED = "issued", _("Issued")
        SUPERSEDED = "superseded", _("Superseded")
        REVOKED = "revoked", _("Revoked")

    class Language(models.TextChoices):
        CHINESE = "zh-hans", _("Chinese")
        ENGLISH = "en", _("English")
        BILINGUAL = "zh-en", _("Chinese and English")

    number = models.CharField(max_length=30)
    version = models.PositiveSmallIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ISSUED)
    application = models.ForeignKey(
        "intake.Application", on_delete=models.PROTECT, related_name="reports"
    )
    lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="reports")
    language = models.CharField(max_length=7, choices=Language.choices, default=Language.CHINESE)
    issued_at = models.DateTimeField()
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    key_id = models.CharField(max_length=16)
    payload = models.TextField()
    verification_code = models.CharField(max_length=19, default=new_verification_code)
    conclusion = models.TextField()  # a bilingual report states it in both languages
    pdf_sha256 = models.CharField(max_length=64)
    pdf = models.BinaryField()
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    amendment_reason = models.TextField(blank=True)
    revocation_reason = models.TextField(blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ReportManager()

    class Meta:
        ordering = ["-issued_at", "-id"]
        constraints = [
            # The number embeds the lab code (unique), so it is unique per lab and network-wide.
            models.UniqueConstraint(fields=["number", "version"], name="unique_report_version"),
        ]

    def __str__(self) -> str:
        return f"{self.number} v{self.version}"

    @property
    def filename(self) -> str:
        return f"{self.number}-v{self.version}.pdf"


class Amendment(models.Model):
    """A correction of an issued report (更正): the tests reopened for re-entry and the data
    corrected, with the reason. The corrected work goes through review and approval again;
    issuing the application's report then publishes the next version, which states the changes.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Being corrected")
        ISSUED = "issued", _("Issued")

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="amendments")
    reason = models.TextField()
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField()
    # [{"subject": "application" or a sample number, "field": ..., "before": ..., "after": ...}]
    corrections = models.JSONField(default=list)
    # [{"sample": number, "test_item": name, "before": value as printed on the report}]
    reopened = models.JSONField(default=list)
    # The lines the new version prints under "changed", in its language.
    changes = models.JSONField(default=list)
    issued = models.OneToOneField(Report, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="amendment")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report"], condition=models.Q(status="open"),
                                    name="one_open_amendment_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.report} amendment {self.pk}"
