"""Official years in the database: seeded from chinesecalendar, notices entered by an
administrator, bad notices refused whole."""

from datetime import date

import pytest

from portlab.audit.models import AuditEvent
from portlab.core.errors import ApplicationError
from portlab.workdays.models import CalendarDay, OfficialYear
from portlab.workdays.selectors import work_calendar
from portlab.workdays.services import NoticeDay, notice_rows_parse, official_year_record

# A notice as an administrator would type it (illustrative dates, not the real 2027 notice).
NOTICE_2027 = """# 2027
2027-01-01,休,元旦
2027-02-05,休,春节
2027-02-08,休,春节
2027-02-09,休,春节
2027-02-10,休,春节
2027-02-11,休,春节
2027-02-20,班,春节
"""


def test_the_migration_seeds_2004_to_2026(db) -> None:
    years = list(OfficialYear.objects.values_list("year", flat=True))
    assert (years[0], years[-1], len(years)) == (2004, 2026, 23)
    assert CalendarDay.objects.get(date=date(2026, 10, 10)).kind == CalendarDay.Kind.WORKDAY


def test_a_notice_makes_its_year_official(db, admin_user) -> None:
    before = work_calendar().add_working_days(date(2027, 2, 4), 1)
    assert before.provisional
    official_year_record(year=2027, notice="国办发明电〔2026〕X号", actor=admin_user,
                         days=notice_rows_parse(NOTICE_2027))
    after = work_calendar().add_working_days(date(2027, 2, 4), 1)
    assert (after.date, after.provisional) == (date(2027, 2, 12), False)
    assert work_calendar().is_working_day(date(2027, 2, 20))  # the worked Saturday
    event = AuditEvent.objects.get(action="official_year_record")
    assert event.after == {"notice": "国办发明电〔2026〕X号", "days": 7}


def test_bad_lines_are_named_and_nothing_is_stored(db, admin_user) -> None:
    text = "2027-01-01,休,元旦\n2027-13-01,休,x\n2027-02-20,放,春节\n"
    with pytest.raises(ApplicationError) as refused:
        notice_rows_parse(text)
    assert refused.value.message == (
        "line 2: “2027-13-01” is not a date (YYYY-MM-DD); "
        "line 3: the kind must be 休 (day off) or 班 (working day)")
    assert not OfficialYear.objects.filter(year=2027).exists()


def test_a_weekday_cannot_be_made_a_working_day(db, admin_user) -> None:
    days = [NoticeDay(date(2027, 1, 1), CalendarDay.Kind.DAY_OFF, "元旦"),
            NoticeDay(date(2027, 2, 17), CalendarDay.Kind.WORKDAY, ""),
            NoticeDay(date(2028, 1, 1), CalendarDay.Kind.DAY_OFF, ""),
            NoticeDay(date(2027, 1, 1), CalendarDay.Kind.DAY_OFF, "")]
    with pytest.raises(ApplicationError) as refused:
        official_year_record(year=2027, notice="x", days=days, actor=admin_user)
    assert refused.value.message == (
        "2027-02-17 is a weekday: only a Saturday or Sunday can be made a working day; "
        "2028-01-01 is not in 2027; 2027-01-01 is listed twice")
    assert not OfficialYear.objects.filter(year=2027).exists()


def test_re_entering_a_year_replaces_its_days(db, admin_user) -> None:
    official_year_record(year=2027, notice="first", actor=admin_user,
                         days=notice_rows_parse(NOTICE_2027))
    official_year_record(year=2027, notice="corrected", actor=admin_user,
                         days=[NoticeDay(date(2027, 1, 1), CalendarDay.Kind.DAY_OFF, "元旦")])
    assert list(CalendarDay.objects.filter(official_year=2027).values_list("date", flat=True)) \
        == [date(2027, 1, 1)]


def test_the_command_enters_a_notice_and_names_a_bad_line(db, tmp_path) -> None:
    from django.core.management import CommandError, call_command

    good = tmp_path / "2027.csv"
    good.write_text(NOTICE_2027, encoding="utf-8")
    call_command("calendar_notice", "2027", str(good), notice="国办发明电〔2026〕X号")
    assert OfficialYear.objects.get(year=2027).days.count() == 7
    bad = tmp_path / "bad.csv"
    bad.write_text("2027-01-01,holiday\n", encoding="utf-8")
    with pytest.raises(CommandError, match="line 1: the kind must be"):
        call_command("calendar_notice", "2027", str(bad))
    assert OfficialYear.objects.get(year=2027).days.count() == 7
