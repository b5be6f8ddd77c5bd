"""Reading the working-day calendar."""

from django.db.models import Count, Max

from portlab.workdays.models import CalendarDay, OfficialYear
from portlab.workdays.rules import WorkCalendar, calendar_from

_cached: tuple[tuple, WorkCalendar] | None = None


def work_calendar() -> WorkCalendar:
    """The network's calendar, rebuilt only when a year was added or changed."""
    global _cached
    stamp = tuple(OfficialYear.objects.aggregate(n=Count("year"), at=Max("entered_at")).values())
    if _cached is None or _cached[0] != stamp:
        days = CalendarDay.objects.values_list("date", "kind")
        _cached = (stamp, calendar_from(
            (day for day, kind in days if kind == CalendarDay.Kind.DAY_OFF),
            (day for day, kind in days if kind == CalendarDay.Kind.WORKDAY),
            OfficialYear.objects.values_list("year", flat=True)))
    return _cached[1]


def official_years() -> list[OfficialYear]:
    return list(OfficialYear.objects.annotate(day_count=Count("days")))
