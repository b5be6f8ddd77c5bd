"""Roll-ups of the quality board, refreshed by `portlab board_rollup` (scheduled every 10
minutes) so that the board of a whole national network reads a few dozen rows, whatever the
number of tests."""

from django.db import models


class BoardDay(models.Model):
    """Tests approved on one local day, for one lab (`lab` set), one whole district
    (`district` set) or the whole network (neither): how many, how many on time, and
    `by_days[n]`, how many were received n calendar days earlier (the last entry counts
    `rollup.DAYS_CAP` days or more; the board turns days into working days)."""

    lab = models.ForeignKey("network.Lab", null=True, on_delete=models.CASCADE,
                            related_name="+")
    district = models.ForeignKey("network.District", null=True, on_delete=models.CASCADE,
                                 related_name="+")
    day = models.DateField()
    completed = models.PositiveIntegerField()
    on_time = models.PositiveIntegerField()
    by_days = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["lab", "day"]), models.Index(fields=["district", "day"]),
                   models.Index(fields=["day"])]

    def __str__(self) -> str:
        return f"{self.lab_id or self.district_id or 'network'} {self.day}: {self.completed}"


class OpenWork(models.Model):
    """Open tests of one lab in one status, and those past their due date, at `RollupState`."""

    lab = models.ForeignKey("network.Lab", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20)
    open = models.PositiveIntegerField()
    overdue = models.PositiveIntegerField()

    def __str__(self) -> str:
        return f"{self.lab_id} {self.status}: {self.open}"


class RollupState(models.Model):
    """When the roll-ups were last refreshed (one row), for which local day, and from which
    moment the last refresh recounted approvals (`recounted_from`: the start of a local day)."""

    refreshed_at = models.DateTimeField()
    day = models.DateField()
    recounted_from = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"{self.refreshed_at:%Y-%m-%d %H:%M}"
