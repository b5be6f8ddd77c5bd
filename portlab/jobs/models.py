import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a long job around its queued task: state, progress, heartbeat and a cancel
    flag, which the task framework's backends do not all keep (a killed worker's task stays
    "running" in the database backend; this record lets the recovery job notice)."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    FINISHED = (State.SUCCEEDED, State.FAILED, State.CANCELLED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("job"), max_length=60)
    params = models.JSONField(default=dict)
    state = models.CharField(_("state"), max_length=10, choices=State.choices,
                             default=State.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    message = models.CharField(max_length=300, blank=True)
    outcome = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)  # [{"line": n, "reason": "..."}]
    cancel_requested = models.BooleanField(default=False)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=2)
    worker = models.CharField(max_length=80, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    language = models.CharField(max_length=10, blank=True)  # the messages' language
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"])]
        verbose_name = _("job run")

    def __str__(self) -> str:
        return f"{self.kind} {self.id} {self.state}"

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))


class SchedulerLease(models.Model):
    """Who runs the scheduler: one active instance at a time, renewed while it lives."""

    name = models.CharField(max_length=40, primary_key=True)
    holder = models.CharField(max_length=80)
    expires_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.holder} until {self.expires_at:%H:%M:%S}"


class ScheduledRun(models.Model):
    """One run of a scheduled job, shown with the schedule to administrators."""

    job = models.CharField(_("job"), max_length=60)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), default=False)
    detail = models.TextField(_("detail"), blank=True)
    attempt = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["job", "-started_at"])]
        verbose_name = _("scheduled run")

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%Y-%m-%d %H:%M} {'ok' if self.ok else 'failed'}"


class JobSchedule(models.Model):
    """A scheduled job whose timing a person sets (e.g. model retraining, by the risk officer):
    a cron expression (minute hour day month weekday) or an interval in hours. The scheduler
    reads it every minute, so a change holds without restarting it."""

    class Trigger(models.TextChoices):
        CRON = "cron", _("At set times (cron)")
        INTERVAL = "interval", _("Every so many hours")

    name = models.CharField(max_length=40, primary_key=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    trigger = models.CharField(_("repeat"), max_length=10, choices=Trigger.choices,
                               default=Trigger.CRON)
    cron = models.CharField(_("cron expression"), max_length=100, blank=True)
    hours = models.PositiveIntegerField(_("every (hours)"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.name}: {self.cron or self.hours} ({'on' if self.enabled else 'off'})"


class AlertSent(models.Model):
    """A lab's daily alert e-mail for one day, once: a retried run sends only what is missing."""

    lab_code = models.CharField(max_length=40)
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)
    lines = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lab_code", "day"],
                                               name="jobs_alert_once_per_lab_day")]

    def __str__(self) -> str:
        return f"{self.lab_code} {self.day}"
