from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Test(models.Model):
    """A test item on a sample at a lab with a method (SENAITE's "analysis")."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for assignment")
        ASSIGNED = "assigned", _("Assigned")
        RESULTED = "resulted", _("Result submitted")
        REVIEWED = "reviewed", _("Reviewed")
        APPROVED = "approved", _("Approved")
        RETRACTED = "retracted", _("Retracted (retested)")
        CANCELLED = "cancelled", _("Cancelled")

    sample = models.ForeignKey("intake.Sample", on_delete=models.CASCADE, related_name="tests")
    test_item = models.ForeignKey("network.TestItem", on_delete=models.PROTECT)
    capability = models.ForeignKey("network.Capability", on_delete=models.PROTECT)
    lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="tests")
    analyst = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    due_date = models.DateField()
    created_at = models.DateTimeField()
    completed_at = models.DateTimeField(null=True, blank=True)
    retest_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [
            models.Index(fields=["lab", "status"]),
            models.Index(fields=["analyst", "status"]),
            # The quality board's overdue and turnaround queries (bench_quality_board).
            models.Index(fields=["lab", "status", "due_date"], name="test_lab_status_due"),
            models.Index(fields=["lab", "completed_at", "created_at", "due_date"],
                         name="test_lab_completed"),
        ]

    def __str__(self) -> str:
        return f"{self.sample_id}/{self.test_item_id}"


# A test still to be finished: waiting for an analyst, in testing, or in review.
OPEN_TEST_STATUSES = (Test.Status.PENDING, Test.Status.ASSIGNED, Test.Status.RESULTED,
                      Test.Status.REVIEWED)
# Tests that no longer count for their sample: retracted for a retest, or cancelled.
DROPPED_TEST_STATUSES = (Test.Status.RETRACTED, Test.Status.CANCELLED)
# Tests that count for their sample's status: open ones and approved ones.
LIVE_TEST_STATUSES = (*OPEN_TEST_STATUSES, Test.Status.APPROVED)


class Result(models.Model):
    class Kind(models.TextChoices):
        NUMERIC = "numeric", _("Numeric")
        BELOW_LOD = "below_lod", _("< LOD")
        NOT_DETECTED = "not_detected", _("Not detected")
        TEXT = "text", _("Text")

    class Conformity(models.TextChoices):
        PASS = "pass", _("Conforms")
        CONDITIONAL_PASS = "conditional_pass", _("Conditional pass")
        CONDITIONAL_FAIL = "conditional_fail", _("Conditional fail")
        FAIL = "fail", _("Does not conform")
        INCONCLUSIVE = "inconclusive", _("No statement possible")
        NOT_JUDGED = "not_judged", _("Not judged")

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        INSTRUMENT_FILE = "instrument_file", _("Instrument file")

    test = models.OneToOneField(Test, on_delete=models.CASCADE, related_name="result")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    entered_value = models.CharField(max_length=40, blank=True)
    entered_unit = models.CharField(max_length=20, blank=True)
    value = models.FloatField(null=True, blank=True)
    # The value as reported: converted to `unit` and rounded by GB/T 8170 in decimal.
    reported_value = models.CharField(max_length=40, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    uncertainty = models.FloatField(null=True, blank=True)
    # k of the expanded uncertainty U = k·u (GUM, JCGM 100:2008 §6.2); 2 when the analyst gave
    # U without k, as most methods state U at about 95 % coverage.
    coverage_factor = models.FloatField(null=True, blank=True)
    text = models.CharField(max_length=200, blank=True)
    conformity = models.CharField(
        max_length=16, choices=Conformity.choices, default=Conformity.NOT_JUDGED
    )
    decision_rule = models.CharField(max_length=12, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField()
    # Provenance (ISO/IEC 17025 §7.5): what produced the value and who made it this result.
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    produced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    produced_by_agent = models.CharField(max_length=60, blank=True)  # instrument asset number
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    raw_file = models.ForeignKey("files.RawFile", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"{self.test_id}: {self.entered_value or self.text} {self.unit}"


class Review(models.Model):
    """One reviewer's or approver's decision on a test (复核 / 批准)."""

    class Stage(models.TextChoices):
        REVIEW = "review", _("Review")
        APPROVAL = "approval", _("Approval")

    class Decision(models.TextChoices):
        ACCEPT = "accept", _("Accept")
        RETURN = "return", _("Return to analyst")
        RETEST = "retest", _("Retest")

    test = models.ForeignKey(Test, on_delete=models.CASCADE, related_name="reviews")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    at = models.DateTimeField()
    comment = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.test_id} {self.stage} {self.decision}"


class StandingAssignment(models.Model):
    """The analyst who takes a capability's tests by default: each test created at reception
    for the capability is assigned to this analyst at once, if still authorized."""

    capability = models.OneToOneField("network.Capability", on_delete=models.CASCADE,
                                      related_name="standing_assignment")
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="+")
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    set_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.capability} → {self.analyst}"
