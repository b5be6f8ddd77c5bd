"""Cross-lab work: a test sent to another lab of the network and its chain of custody; the
forecast kept at filing, the lateness tables learned from it, and the downtime learned from the
instruments' status record."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Transfer(models.Model):
    """分包/转检: a test sent, with a portion of its sample, to another lab of the network."""

    class Status(models.TextChoices):
        DISPATCHED = "dispatched", _("Dispatched")
        IN_TRANSIT = "in_transit", _("In transit")
        RECEIVED = "received", _("Received")
        REJECTED = "rejected", _("Rejected")

    test = models.ForeignKey("testing.Test", on_delete=models.PROTECT, related_name="transfers")
    from_lab = models.ForeignKey(
        "network.Lab", on_delete=models.PROTECT, related_name="transfers_out"
    )
    to_lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="transfers_in")
    agreement = models.ForeignKey(
        "network.RecognitionAgreement", on_delete=models.PROTECT, related_name="transfers"
    )
    sample_portion = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DISPATCHED)
    dispatched_at = models.DateTimeField()
    rejection_reason = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["test"], condition=models.Q(status__in=["dispatched", "in_transit"]),
                name="one_open_transfer_per_test",
            )
        ]
        # The names these indexes got when the table belonged to network, kept so that moving
        # the model rebuilt nothing.
        indexes = [
            models.Index(fields=["to_lab", "status"], name="network_tra_to_lab__2d761a_idx"),
            models.Index(fields=["from_lab", "status"], name="network_tra_from_la_f8b76e_idx"),
            models.Index(fields=["dispatched_at"], name="network_tra_dispatc_72d284_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.test_id}: {self.from_lab_id} → {self.to_lab_id}"


class CustodyEvent(models.Model):
    """One link of a transferred portion's chain of custody: who, when, where."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="custody")
    status = models.CharField(max_length=10, choices=Transfer.Status.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()
    place = models.CharField(max_length=200)
    note = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.transfer_id} {self.status} {self.at:%Y-%m-%d %H:%M}"


class Forecast(models.Model):
    """The predicted completion shown when the application was filed, kept to learn from: the
    application's date and 80 % interval (none when an item could not be predicted)."""

    application = models.OneToOneField("intake.Application", on_delete=models.CASCADE,
                                       related_name="forecast")
    made_on = models.DateField()
    predicted_on = models.DateField(null=True, blank=True)
    low = models.DateField(null=True, blank=True)
    high = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.application_id} {self.made_on}: {self.predicted_on}"


class ForecastedTest(models.Model):
    """One requested test's simulated day at filing: the working day the lab's queue, played
    forward, finished it, before any lateness. A test that could not be predicted has none."""

    forecast = models.ForeignKey(Forecast, on_delete=models.CASCADE, related_name="tests")
    sample = models.ForeignKey("intake.Sample", on_delete=models.CASCADE, related_name="+")
    test_item = models.ForeignKey("network.TestItem", on_delete=models.PROTECT, related_name="+")
    lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="+")
    simulated_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sample", "test_item"],
                                               name="one_forecast_per_requested_test")]

    def __str__(self) -> str:
        return f"{self.sample_id} {self.test_item_id}: {self.simulated_on}"


class LatenessFit(models.Model):
    """A lateness table learned from completed tests with a recorded forecast: a lab's, or the
    network's (no lab). `shares[i]`: the share completing `first + i` working days after their
    simulated day (the last: that many or more); `low`/`high`: the interval's levels,
    calibrated on the last `applications` completed (`covered`: the share of them inside the
    interval), or the default table's (`covered` empty)."""

    lab = models.ForeignKey("network.Lab", null=True, blank=True, on_delete=models.CASCADE,
                            related_name="lateness_fits")
    fitted_at = models.DateTimeField()
    tests = models.PositiveIntegerField()
    first = models.SmallIntegerField()
    shares = models.JSONField()
    low = models.FloatField()
    high = models.FloatField()
    applications = models.PositiveIntegerField(default=0)
    covered = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["lab", "-fitted_at"], name="lateness_fit_newest")]

    def __str__(self) -> str:
        return f"{self.lab_id or 'network'} {self.fitted_at:%Y-%m-%d}: {self.tests} tests"


class DowntimeFit(models.Model):
    """The working days a down instrument is expected to stay down, learned from the
    instruments' status record (`instruments.downtime`): a lab's, or the network's (no lab);
    `episodes` out of service or under calibration, `days` working days down counted."""

    lab = models.ForeignKey("network.Lab", null=True, blank=True, on_delete=models.CASCADE,
                            related_name="downtime_fits")
    fitted_at = models.DateTimeField()
    episodes = models.PositiveIntegerField()
    days = models.PositiveIntegerField()
    return_days = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["lab", "-fitted_at"], name="downtime_fit_newest")]

    def __str__(self) -> str:
        return f"{self.lab_id or 'network'} {self.fitted_at:%Y-%m-%d}: {self.return_days} days"
