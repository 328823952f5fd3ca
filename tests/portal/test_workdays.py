"""Working days by the official calendar, 调休 included, and a loud failure for unknown years."""

import datetime

import pytest

from portal.models import CalendarDay, CalendarYear
from portal.workdays import WorkingDayCalendarMissing, add_working_days, is_working_day, period_end

pytestmark = pytest.mark.django_db
D = datetime.date


def test_national_day_2026_holidays_and_make_up_saturday():
    assert not is_working_day(D(2026, 10, 1))
    assert not is_working_day(D(2026, 10, 7))
    assert is_working_day(D(2026, 10, 10))  # Saturday, 调休上班
    assert not is_working_day(D(2026, 10, 11))


def test_notice_published_before_the_holiday_spans_twelve_calendar_days():
    """5 working days from 29 September 2026 end on Saturday 10 October (a make-up workday)."""
    end = period_end(D(2026, 9, 29), 5)
    assert end == D(2026, 10, 10)
    assert (end - D(2026, 9, 29)).days + 1 == 12


def test_ordinary_week():
    assert period_end(D(2026, 11, 23), 5) == D(2026, 11, 27)
    assert period_end(D(2026, 11, 21), 5) == D(2026, 11, 27)  # published on a Saturday: starts Monday
    assert add_working_days(D(2026, 11, 27), 1) == D(2026, 11, 30)


def test_year_without_data_fails_loudly_with_instructions():
    with pytest.raises(WorkingDayCalendarMissing) as missing:
        period_end(D(2026, 12, 28), 10)
    assert "2027年的法定节假日安排尚未录入" in str(missing.value)
    assert "工作日历" in str(missing.value)


def test_administrator_table_covers_a_new_year():
    CalendarYear.objects.create(year=2027, source="国务院办公厅关于2027年部分节假日安排的通知")
    CalendarDay.objects.bulk_create([
        CalendarDay(date=D(2027, 1, 1), is_workday=False, note="元旦"),
        CalendarDay(date=D(2027, 1, 2), is_workday=False, note="元旦"),
        CalendarDay(date=D(2027, 1, 3), is_workday=False, note="元旦"),
    ])
    # 28–31 Dec 2026 are working days (package), 1–3 Jan 2027 holidays (table), 4 Jan Monday.
    assert period_end(D(2026, 12, 28), 5) == D(2027, 1, 4)
    assert is_working_day(D(2027, 1, 9)) is False  # a Saturday without a row follows the weekday rule


def test_administrator_row_overrides_the_package():
    CalendarDay.objects.create(date=D(2026, 11, 25), is_workday=False, note="更正示例")
    assert not is_working_day(D(2026, 11, 25))
    assert period_end(D(2026, 11, 23), 5) == D(2026, 11, 30)


def test_zero_working_days_is_refused():
    with pytest.raises(ValueError):
        period_end(D(2026, 11, 23), 0)


def test_spring_festival_2025_with_make_up_sunday_and_saturday():
    """2025 春节: 28 Jan–4 Feb off; Sunday 26 Jan and Saturday 8 Feb are 调休 workdays."""
    assert is_working_day(D(2025, 1, 26)) and is_working_day(D(2025, 2, 8))
    assert not is_working_day(D(2025, 1, 28)) and not is_working_day(D(2025, 2, 4))
    # Published Monday 27 Jan: 27 Jan, 5, 6, 7 Feb, then Saturday 8 Feb completes five working days.
    assert period_end(D(2025, 1, 27), 5) == D(2025, 2, 8)
    # Published Sunday 26 Jan (a workday): 26, 27 Jan, 5, 6, 7 Feb.
    assert period_end(D(2025, 1, 26), 5) == D(2025, 2, 7)


def test_national_day_2025_with_make_up_days():
    """2025 国庆中秋: 1–8 Oct off; Sunday 28 Sep and Saturday 11 Oct are 调休 workdays."""
    assert is_working_day(D(2025, 9, 28)) and is_working_day(D(2025, 10, 11))
    assert not is_working_day(D(2025, 10, 8))
    # Published Tuesday 30 Sep: 30 Sep, 9, 10, 11 (Sat), 13 Oct.
    assert period_end(D(2025, 9, 30), 5) == D(2025, 10, 13)
