from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RawFile(models.Model):
    """A stored file (原始记录), named by the SHA-256 of its content: stored once, never
    rewritten, read back only when its content still has that hash."""

    sha256 = models.CharField(max_length=64, unique=True)
    size = models.PositiveBigIntegerField()
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    stored_at = models.DateTimeField(auto_now_add=True)
    stored_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("raw data file")

    def __str__(self) -> str:
        return f"{self.name} ({self.sha256[:12]})"

    @property
    def path(self) -> str:
        return f"{self.sha256[:2]}/{self.sha256[2:4]}/{self.sha256}"
