from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Instrument(models.Model):
    """An instrument (仪器设备) at a lab, with its calibration regime and sharing terms."""

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        OUT_OF_SERVICE = "out_of_service", _("Out of service")
        UNDER_CALIBRATION = "under_calibration", _("Under calibration")
        RETIRED = "retired", _("Retired")

    class ExportFormat(models.TextChoices):
        AUTO = "auto", _("Detect from the file")
        GENERIC_CSV = "generic_csv", _("Generic CSV (column mapping)")
        ICPMS = "icpms_masshunter", _("ICP-MS quantitative report (MassHunter-like)")
        CHROMATOGRAPHY = "chromatography_quant", _(
            "GC-MS / LC-MS: Agilent MassHunter Quantitative Analysis batch table (CSV)")
        XRF = "xrf_elements", _("XRF element report")
        ICPMS_SYNGISTIX = "icpms_syngistix", _("ICP-MS: PerkinElmer Syngistix CSV export")
        # Read through allotropy into the Allotrope Simple Model (parsers/allotrope.py).
        QUANTSTUDIO = "asm_quantstudio", _("qPCR: Applied Biosystems QuantStudio (ASM)")
        SOFTMAX_PRO = "asm_softmax_pro", _("Plate reader: Molecular Devices SoftMax Pro (ASM)")
        NANODROP = "asm_nanodrop", _("UV-Vis: Thermo NanoDrop 8000 (ASM)")
        OPENLAB_CDS = "asm_openlab_cds", _("Chromatography: Agilent OpenLab CDS (ASM)")

    asset_number = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    instrument_type = models.CharField(max_length=60)
    manufacturer = models.CharField(max_length=80, blank=True)
    model = models.CharField(max_length=80, blank=True)
    serial_number = models.CharField(max_length=80, blank=True)
    lab = models.ForeignKey("network.Lab", on_delete=models.PROTECT, related_name="instruments")
    location = models.CharField(max_length=120, blank=True)
    value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    is_large = models.BooleanField(default=False)
    shareable = models.BooleanField(default=False)
    hourly_rate = models.DecimalField(max_digits=10, decimal_places=2, default=0)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    calibration_interval_days = models.PositiveIntegerField(default=365)
    check_interval_days = models.PositiveIntegerField(default=0)
    export_format = models.CharField(max_length=24, choices=ExportFormat.choices,
                                     default=ExportFormat.AUTO)
    # Generic CSV: {"sample_id": "Sample", "analyte": "Item", "value": "Result", "unit": "Unit"}.
    column_map = models.JSONField(default=dict, blank=True)
    # Instrument analyte name -> test item code, e.g. {"208 Pb": "PB"}.
    analyte_map = models.JSONField(default=dict, blank=True)
    # Capacity: runs a working day, each of at most `samples_per_run` tests of one capability,
    # shared by the capabilities measured on it (0 runs: not scheduled by runs).
    runs_per_day = models.PositiveSmallIntegerField(_("runs per day"), default=0)
    samples_per_run = models.PositiveSmallIntegerField(_("samples per run"), default=1)
    capabilities = models.ManyToManyField("network.Capability", blank=True,
                                          related_name="instruments",
                                          verbose_name=_("capabilities measured on it"))
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["lab", "status"])]
        constraints = [models.CheckConstraint(condition=models.Q(samples_per_run__gte=1),
                                              name="instrument_run_holds_a_sample")]

    def __str__(self) -> str:
        return f"{self.asset_number} {self.name}"


class Calibration(models.Model):
    class Outcome(models.TextChoices):
        PASS = "pass", _("Pass")
        FAIL = "fail", _("Fail")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE,
                                   related_name="calibrations")
    date = models.DateField()
    due_date = models.DateField()
    certificate_number = models.CharField(max_length=60)
    provider = models.CharField(max_length=120)
    result = models.CharField(max_length=4, choices=Outcome.choices)
    certificate_file = models.FileField(upload_to="calibration_certificates/", blank=True)
    certificate = models.ForeignKey("files.RawFile", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        indexes = [models.Index(fields=["instrument", "-date"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.date} {self.result}"


class IntermediateCheck(models.Model):
    """期间核查: a check between calibrations that the instrument still holds its calibration."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="checks")
    date = models.DateField()
    result = models.CharField(max_length=4, choices=Calibration.Outcome.choices)
    note = models.CharField(max_length=200, blank=True)
    certificate = models.ForeignKey("files.RawFile", null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.date} {self.result}"


class InstrumentToken(models.Model):
    """The agent's credential for one instrument; only its SHA-256 is stored."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.instrument_id} token"


class AgentState(models.TextChoices):
    IDLE = "idle", _("Idle")
    RUNNING = "running", _("Running")
    PAUSED = "paused", _("Paused")
    ERROR = "error", _("Error")
    OFFLINE = "offline", _("Offline")


class Telemetry(models.Model):
    """The instrument's last reported state; one row per instrument, updated by heartbeats."""

    instrument = models.OneToOneField(Instrument, on_delete=models.CASCADE,
                                      related_name="telemetry")
    state = models.CharField(max_length=10, choices=AgentState.choices,
                             default=AgentState.OFFLINE)
    current_run = models.CharField(max_length=80, blank=True)
    counters = models.JSONField(default=dict, blank=True)
    last_sequence = models.BigIntegerField(default=0)
    last_seen = models.DateTimeField(null=True, blank=True)
    agent_version = models.CharField(max_length=40, blank=True)

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.state}"


class StateInterval(models.Model):
    """A span during which the instrument was in one state; `ended_at` is empty while it lasts."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE,
                                   related_name="intervals")
    state = models.CharField(max_length=10, choices=AgentState.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["instrument", "started_at"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.state} {self.started_at:%Y-%m-%d %H:%M}"


class Command(models.Model):
    class Kind(models.TextChoices):
        START = "start", _("Start sequence")
        STOP = "stop", _("Stop sequence")
        PAUSE = "pause", _("Pause sequence")
        STATUS = "status", _("Report status")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the agent")
        DELIVERED = "delivered", _("Delivered")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="commands")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sequence_name = models.CharField(max_length=120, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    response = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [models.Index(fields=["instrument", "status"])]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.kind} {self.status}"


class ResultFile(models.Model):
    """A result file an instrument exported; the same content (SHA-256) is imported once."""

    class Status(models.TextChoices):
        STAGING = "staging", _("Being imported")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", pgettext_lazy("result file", "Refused")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE,
                                   related_name="result_files")
    filename = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.TextField(blank=True)
    results_imported = models.PositiveIntegerField(default=0)
    uploaded_by = models.CharField(max_length=150)
    uploaded_at = models.DateTimeField()
    # The user who sent it (None when the instrument's agent did): the result's producer.
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    raw_file = models.ForeignKey("files.RawFile", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    # The Allotrope Simple Model document allotropy made of it, stored beside the original.
    asm_file = models.ForeignKey("files.RawFile", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    rows_total = models.PositiveIntegerField(default=0)
    rows_staged = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["instrument", "sha256"], name="unique_result_file")
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.status})"


class ImportRow(models.Model):
    """One value of a result file (原始记录的一行), staged before anyone enters it: matched to
    its test and waiting for the analyst's confirmation, held with the reason it could not be
    matched (HeldRow in DESIGN.md), entered as its test's result, or rejected with a reason."""

    class Status(models.TextChoices):
        MATCHED = "matched", _("Awaiting confirmation")
        HELD = "held", _("Held")
        ENTERED = "entered", _("Entered")
        REJECTED = "rejected", pgettext_lazy("import row", "Rejected")

    class Reason(models.TextChoices):
        UNKNOWN_SAMPLE = "unknown_sample", _("Unknown sample")
        TEST_NOT_ASSIGNED = "test_not_assigned", _("Test not assigned")
        NOT_CALIBRATED = "not_calibrated", _("Instrument not calibrated")
        UNIT_UNKNOWN = "unit_unknown", _("Unit unknown")
        SECOND_VALUE = "second_value", _("Second value for the same test")
        VALUE_REFUSED = "value_refused", _("Value refused")

    result_file = models.ForeignKey(ResultFile, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField()  # index in the parsed file: staging's key
    line = models.PositiveIntegerField()
    sample_code = models.CharField(max_length=80)
    analyte = models.CharField(max_length=80)
    kind = models.CharField(max_length=12)
    value = models.CharField(max_length=40, blank=True)
    unit = models.CharField(max_length=20, blank=True)
    uncertainty = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    reason = models.CharField(max_length=20, choices=Reason.choices, blank=True)
    test = models.ForeignKey("testing.Test", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    rejection = models.CharField(max_length=200, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["result_file", "position"],
                                               name="unique_import_row_position")]
        indexes = [models.Index(fields=["result_file", "status"], name="import_row_status")]

    def __str__(self) -> str:
        return f"{self.result_file_id}:{self.line} {self.sample_code} {self.analyte}"


class InstrumentUse(models.Model):
    """Which instrument produced a test's result, when, and from which file if imported."""

    test = models.ForeignKey("testing.Test", on_delete=models.CASCADE, related_name="+")
    result = models.ForeignKey("testing.Result", on_delete=models.CASCADE, related_name="+")
    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="uses")
    at = models.DateTimeField()
    result_file = models.ForeignKey(ResultFile, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="uses")

    def __str__(self) -> str:
        return f"{self.instrument_id} -> {self.test_id}"


class Booking(models.Model):
    """A time slot on a shared instrument (仪器开放共享); active slots never overlap.

    PostgreSQL enforces that with an exclusion constraint (migration 0002); SQLite relies on
    the check inside an IMMEDIATE transaction in `booking_request`.
    """

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", pgettext_lazy("booking", "Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    ACTIVE = (Status.REQUESTED, Status.APPROVED)

    instrument = models.ForeignKey(Instrument, on_delete=models.PROTECT, related_name="bookings")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="instrument_bookings")
    organisation = models.CharField(max_length=200, blank=True)
    purpose = models.CharField(max_length=300, blank=True)
    start = models.DateTimeField()
    end = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    fee = models.DecimalField(max_digits=12, decimal_places=2)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decision_note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField()
    version = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["instrument", "start"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")),
                                   name="booking_ends_after_start")
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.start:%Y-%m-%d %H:%M} {self.status}"


class TelemetrySample(models.Model):
    """What an instrument reported, at most once per 5 minutes: the history behind the
    current row (Telemetry). On PostgreSQL a table partitioned by day (UTC), made ahead and
    dropped after the retention by `portlab telemetry_partitions`; on SQLite one plain table.
    No foreign-key constraint, so a day's partition is loaded with COPY and dropped at once."""

    pk = models.CompositePrimaryKey("instrument_id", "at")
    instrument = models.ForeignKey(Instrument, on_delete=models.DO_NOTHING, db_constraint=False,
                                   related_name="+")
    at = models.DateTimeField(help_text="start of the 5-minute slot (UTC)")
    state = models.CharField(max_length=10, choices=AgentState.choices)
    counters = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.at:%Y-%m-%d %H:%M} {self.state}"


class TelemetryHour(models.Model):
    """An hour of one instrument's samples, rolled up by `portlab telemetry_rollup`; kept
    after the samples' partitions are dropped."""

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    samples = models.PositiveIntegerField()
    running = models.PositiveIntegerField(help_text="samples in the running state")
    error = models.PositiveIntegerField(help_text="samples in the error state")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["instrument", "hour"],
                                               name="telemetry_hour_once")]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.hour:%Y-%m-%d %H}:00 {self.samples}"
