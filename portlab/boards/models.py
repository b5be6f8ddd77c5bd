"""Roll-ups of the quality board, rebuilt by `portlab board_rollup` (scheduled every 10
minutes) so that the board of a whole national network answers from a few thousand rows."""

from django.db import models


class TurnaroundDay(models.Model):
    """Tests of one lab approved on one local day, by calendar days since the local day of
    reception (the board counts working days from them)."""

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    days = models.PositiveSmallIntegerField()
    completed = models.PositiveIntegerField()
    on_time = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["lab", "day"])]

    def __str__(self) -> str:
        return f"{self.lab_id} {self.day} {self.days} d: {self.completed}"


class OpenWork(models.Model):
    """Open tests of one lab in one status, and those past their due date, at `RollupState`."""

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    open = models.PositiveIntegerField()
    overdue = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.lab_id} {self.status}: {self.open}"


class RollupState(models.Model):
    """When the roll-ups were last rebuilt (one row), and for which local day."""

    refreshed_at = models.DateTimeField()
    day = models.DateField()

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
