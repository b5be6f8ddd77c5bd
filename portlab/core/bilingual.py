from django.db import models
from django.utils.translation import get_language


class Bilingual(models.Model):
    """A record named in Chinese and English; `name` follows the active language."""

    name_zh = models.CharField(max_length=200)
    name_en = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if (get_language() or "zh-hans").startswith("en") and self.name_en:
            return self.name_en
        return self.name_zh
