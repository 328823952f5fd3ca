"""Working days (工作日) by the official PRC calendar, with 调休 make-up workdays.

The chinesecalendar package holds the State Council's arrangements for the
years it knows; CalendarDay rows entered by the administrator override it,
and a CalendarYear row vouches for a year the package does not know yet.
A date in a year neither covers raises WorkingDayCalendarMissing, never a
silent weekday guess.
"""

import datetime

import chinese_calendar

from .models import CalendarDay, CalendarYear

MAX_SPAN_DAYS = 400


class WorkingDayCalendarMissing(Exception):
    """No official calendar for the year: the administrator must enter it."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"{year}年的法定节假日安排尚未录入，无法计算工作日。请系统管理员在“系统管理 › 工作日历年度”中"
            f"登记{year}年（注明国务院办公厅通知），并在“工作日历调整”中录入该年的放假日和调休上班日。"
        )


class WorkingDayCalendar:
    """Answers is_working_day for a run of dates with one query per year for the overrides."""

    def __init__(self):
        self._overrides: dict[int, dict[datetime.date, bool]] = {}
        self._vouched: dict[int, bool] = {}

    def _load(self, year: int) -> dict[datetime.date, bool]:
        if year not in self._overrides:
            rows = CalendarDay.objects.filter(date__year=year).values_list("date", "is_workday")
            self._overrides[year] = dict(rows)
            self._vouched[year] = CalendarYear.objects.filter(year=year).exists()
        return self._overrides[year]

    def is_working_day(self, day: datetime.date) -> bool:
        overrides = self._load(day.year)
        if day in overrides:
            return overrides[day]
        try:
            return chinese_calendar.is_workday(day)
        except NotImplementedError:
            if self._vouched[day.year]:
                return day.weekday() < 5
            raise WorkingDayCalendarMissing(day.year) from None

    def period_end(self, first_day: datetime.date, working_days: int) -> datetime.date:
        """The last day of a period of ``working_days`` working days starting on ``first_day``.

        ``first_day`` counts when it is a working day; otherwise the period starts
        on the next working day.
        """
        if working_days < 1:
            raise ValueError("working_days must be at least 1")
        day, counted = first_day, 0
        for _ in range(MAX_SPAN_DAYS):
            if self.is_working_day(day):
                counted += 1
                if counted == working_days:
                    return day
            day += datetime.timedelta(days=1)
        raise ValueError(f"no {working_days} working days within {MAX_SPAN_DAYS} days of {first_day}")

    def add_working_days(self, day: datetime.date, working_days: int) -> datetime.date:
        """The ``working_days``-th working day after ``day`` (``day`` itself not counted)."""
        return self.period_end(day + datetime.timedelta(days=1), working_days)


def is_working_day(day: datetime.date) -> bool:
    return WorkingDayCalendar().is_working_day(day)


def period_end(first_day: datetime.date, working_days: int) -> datetime.date:
    return WorkingDayCalendar().period_end(first_day, working_days)


def add_working_days(day: datetime.date, working_days: int) -> datetime.date:
    return WorkingDayCalendar().add_working_days(day, working_days)
