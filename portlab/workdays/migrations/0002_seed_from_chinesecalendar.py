"""Seed the official years 2004 onwards from the chinesecalendar package's notices."""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    OfficialYear = apps.get_model("workdays", "OfficialYear")
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    days = [(day, "day_off", name) for day, name in chinese_calendar.holidays.items()]
    days += [(day, "workday", name) for day, name in chinese_calendar.workdays.items()
             if day.weekday() >= 5]
    years = {}
    for year in sorted({day.year for day, _kind, _name in days}):
        years[year] = OfficialYear.objects.create(year=year, notice="chinesecalendar",
                                                  source="package")
    CalendarDay.objects.bulk_create(
        CalendarDay(official_year=years[day.year], date=day, kind=kind, name=name)
        for day, kind, name in sorted(days))


def unseed(apps, schema_editor):
    apps.get_model("workdays", "OfficialYear").objects.filter(source="package").delete()


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_official_years_and_days")]
    operations = [migrations.RunPython(seed, unseed)]
