"""Entering a year's official holiday notice."""

import csv
import io
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from portlab.audit.services import audit_record
from portlab.core.errors import ApplicationError
from portlab.workdays.models import CalendarDay, OfficialYear

KIND_WORDS = {
    "休": CalendarDay.Kind.DAY_OFF, "off": CalendarDay.Kind.DAY_OFF,
    "day_off": CalendarDay.Kind.DAY_OFF,
    "班": CalendarDay.Kind.WORKDAY, "work": CalendarDay.Kind.WORKDAY,
    "workday": CalendarDay.Kind.WORKDAY,
}


@dataclass(frozen=True)
class NoticeDay:
    date: date
    kind: str
    name: str = ""


def notice_rows_parse(text: str) -> list[NoticeDay]:
    """Lines of `date,kind,name` (kind 休/off or 班/work); every bad line is named."""
    days, errors = [], []
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not "".join(row).strip() or row[0].strip().startswith("#"):
            continue
        try:
            day = date.fromisoformat(row[0].strip())
        except ValueError:
            errors.append(_("line %(line)d: “%(value)s” is not a date (YYYY-MM-DD)")
                          % {"line": number, "value": row[0].strip()})
            continue
        kind = KIND_WORDS.get(row[1].strip().lower() if len(row) > 1 else "")
        if kind is None:
            errors.append(_("line %(line)d: the kind must be 休 (day off) or 班 (working day)")
                          % {"line": number})
            continue
        days.append(NoticeDay(day, kind, row[2].strip() if len(row) > 2 else ""))
    if errors:
        raise ApplicationError("; ".join(errors), field="file")
    return days


def _check(year: int, days: list[NoticeDay]) -> None:
    errors, seen = [], set()
    for day in days:
        if day.date.year != year:
            errors.append(_("%(date)s is not in %(year)d") % {"date": day.date, "year": year})
        elif day.date in seen:
            errors.append(_("%(date)s is listed twice") % {"date": day.date})
        elif day.kind == CalendarDay.Kind.WORKDAY and day.date.weekday() < 5:
            errors.append(_("%(date)s is a weekday: only a Saturday or Sunday can be made a "
                            "working day") % {"date": day.date})
        seen.add(day.date)
    if not any(day.kind == CalendarDay.Kind.DAY_OFF for day in days):
        errors.append(_("the notice lists no day off"))
    if errors:
        raise ApplicationError("; ".join(errors), field="file")


@transaction.atomic
def official_year_record(*, year: int, notice: str, days: list[NoticeDay], actor,
                         source: str = OfficialYear.Source.ADMINISTRATOR) -> OfficialYear:
    """Replace `year`'s days with those of its official notice; the year stops being
    provisional. Nothing changes when any day is refused."""
    _check(year, days)
    existing = OfficialYear.objects.filter(year=year).first()
    before = ({"notice": existing.notice, "days": existing.days.count()}
              if existing else None)
    official, _created = OfficialYear.objects.update_or_create(
        year=year, defaults={"notice": notice, "source": source,
                             "entered_by": actor if getattr(actor, "pk", None) else None})
    official.days.all().delete()
    CalendarDay.objects.bulk_create(
        CalendarDay(official_year=official, date=d.date, kind=d.kind, name=d.name)
        for d in days)
    audit_record(actor=actor, action="official_year_record", entity=official, before=before,
                 after={"notice": notice, "days": len(days)})
    return official


def package_years() -> dict[int, list[NoticeDay]]:
    """The notices the chinesecalendar package carries (2004 to its last year)."""
    import chinese_calendar

    years: dict[int, list[NoticeDay]] = {}
    for day, name in chinese_calendar.holidays.items():
        years.setdefault(day.year, []).append(NoticeDay(day, CalendarDay.Kind.DAY_OFF, name))
    for day, name in chinese_calendar.workdays.items():
        if day.weekday() >= 5:  # the package also lists every ordinary weekday
            years.setdefault(day.year, []).append(NoticeDay(day, CalendarDay.Kind.WORKDAY, name))
    return {year: sorted(days, key=lambda d: d.date) for year, days in years.items()}


def official_years_sync(*, actor=None) -> list[int]:
    """Add the package's years that have no notice yet; never overwrites an entered year."""
    known = set(OfficialYear.objects.values_list("year", flat=True))
    added = []
    for year, days in sorted(package_years().items()):
        if year not in known:
            official_year_record(year=year, notice="chinesecalendar", days=days, actor=actor,
                                 source=OfficialYear.Source.PACKAGE)
            added.append(year)
    return added
