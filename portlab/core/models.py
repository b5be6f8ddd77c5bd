from django.db import models


class NumberSequence(models.Model):
    """A named counter (per year) from which sample and application numbers are drawn."""

    name = models.CharField(max_length=40)
    year = models.PositiveIntegerField()
    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["name", "year"], name="unique_sequence_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.name}/{self.year}: {self.last}"
