"""Working-day rules (工作日规则), pure Python.

A day is a working day (工作日) unless it is listed as a holiday (节假日); a Saturday or Sunday is not, unless
it is listed as an adjusted working day (调休上班). Which days are listed is data (the `calendar_days` table),
never code.

A year the data does not cover is refused, not guessed: `UncoveredYear` (an `InvalidInput`) names the year.
China publishes each year's schedule in the November before, and a deadline computed from weekends alone
would be wrong by up to a week around 春节 and 国庆 — so the platform says it does not know instead. A year
counts as covered once any day of it is listed (every real year has at least 元旦).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from zhengshu.kernel.errors import InvalidInput

WEEKDAY_TITLES = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
MAX_NAME_LENGTH = 50
FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a day may be entered for at all


class DayKind(StrEnum):
    HOLIDAY = "holiday"  # 节假日: no work, even on a weekday
    WORKDAY = "workday"  # 调休上班: work, though it is a weekend day

    @property
    def title(self) -> str:
        return {"holiday": "节假日", "workday": "调休上班"}[self]


@dataclass(frozen=True)
class CalendarDay:
    """A listed day (日历条目): a holiday, or a weekend day made a working day, with its name (国庆节)."""

    day: date
    kind: DayKind
    name: str


class UncoveredYear(InvalidInput):
    """The calendar has no holiday data for a year, so working days in it cannot be told."""

    def __init__(self, year: int, field: str | None = None) -> None:
        super().__init__(
            f"工作日历尚未录入 {year} 年的节假日与调休安排，无法计算工作日；请平台管理员先录入该年安排。",
            field=field, details={"year": year},
        )
        self.year = year


@dataclass(frozen=True)
class WorkingCalendar:
    """The listed days, by date, and the years they cover."""

    days: Mapping[date, CalendarDay] = field(default_factory=dict)
    years: frozenset[int] = frozenset()

    @classmethod
    def of(cls, days: Iterable[CalendarDay]) -> WorkingCalendar:
        by_day = {d.day: d for d in days}
        return cls(days=by_day, years=frozenset(d.year for d in by_day))

    def covers(self, year: int) -> bool:
        return year in self.years


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def is_working_day(day: date, calendar: WorkingCalendar) -> bool:
    """Whether people work on `day`; raises UncoveredYear when the calendar has no data for its year."""
    if not calendar.covers(day.year):
        raise UncoveredYear(day.year)
    listed = calendar.days.get(day)
    if listed is not None:
        return listed.kind is DayKind.WORKDAY
    return not is_weekend(day)


def add_working_days(start: date, n: int, calendar: WorkingCalendar) -> date:
    """The deadline n working days after `start` (期限): the n-th working day after it. `start` itself never
    counts, whatever it is, so n = 0 gives `start`. Raises UncoveredYear for the first day walked over whose
    year the calendar does not cover."""
    if n < 0:
        raise InvalidInput("工作日数不能为负数。", field="working_days")
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        if is_working_day(day, calendar):
            counted += 1
    return day


def working_days_between(a: date, b: date, calendar: WorkingCalendar) -> int:
    """How many working days d there are with a < d <= b, so that
    `working_days_between(a, add_working_days(a, n)) == n`; negative (the same count) when b is before a."""
    if b < a:
        return -working_days_between(b, a, calendar)
    return sum(is_working_day(a + timedelta(days=i), calendar) for i in range(1, (b - a).days + 1))


def working_days_in_year(year: int, calendar: WorkingCalendar) -> int:
    """The number of working days in a covered year (about 250)."""
    first = date(year, 1, 1)
    return sum(is_working_day(first + timedelta(days=i), calendar) for i in range((date(year + 1, 1, 1) - first).days))


# --- checking what an administrator enters -----------------------------------------------------------------

def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput(f"年份须在 {FIRST_YEAR}–{LAST_YEAR} 之间。", field="year")
    return year


def parse_day(text: str, field: str = "day") -> date:
    """A date typed as YYYY-MM-DD (2026-10-01)."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInput(f"日期格式应为 YYYY-MM-DD，如 2026-10-01：{text!r}", field=field) from None
    check_year(day.year)
    return day


def parse_kind(text: str) -> DayKind:
    try:
        return DayKind(text.strip())
    except ValueError:
        raise InvalidInput("类型须为 holiday（节假日）或 workday（调休上班）。", field="kind") from None


def check_day(day: date, kind: DayKind, name: str) -> CalendarDay:
    """A day an administrator lists: a named holiday on any day, or an adjusted working day on a weekend
    (listing a weekday as a working day would change nothing, so it is a mistake)."""
    check_year(day.year)
    name = name.strip()
    if not name:
        raise InvalidInput("名称不能为空，如 国庆节、调休上班。", field="name")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"名称最多 {MAX_NAME_LENGTH} 个字符。", field="name")
    if kind is DayKind.WORKDAY and not is_weekend(day):
        raise InvalidInput(f"{day.isoformat()} 是{WEEKDAY_TITLES[day.weekday()]}，本来就是工作日；"
                           "调休上班只能设在周六或周日。", field="day")
    return CalendarDay(day=day, kind=kind, name=name)
