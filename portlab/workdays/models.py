from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OfficialYear(models.Model):
    """A year whose days off and worked weekends come from the State Council's notice."""

    class Source(models.TextChoices):
        PACKAGE = "package", _("chinesecalendar package")
        ADMINISTRATOR = "administrator", _("entered by an administrator")

    year = models.PositiveSmallIntegerField(_("year"), primary_key=True)
    notice = models.CharField(_("notice"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, verbose_name=_("entered by"))

    class Meta:
        ordering = ["year"]
        verbose_name = _("official calendar year")
        verbose_name_plural = _("official calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One day the notice changes: a weekday off, or a weekend day worked (调休)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("day off")
        WORKDAY = "workday", _("weekend working day")

    official_year = models.ForeignKey(OfficialYear, on_delete=models.CASCADE,
                                      related_name="days", verbose_name=_("year"))
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("holiday"), max_length=40, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"
