"""Working-day rules on the packaged data (no database): deadlines across 国庆 and 春节 and their 调休
weekends, n = 0, a start on a holiday, years without data, and what an administrator may enter."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengshu.core.calendar.domain import (
    CalendarDay,
    DayKind,
    UncoveredYear,
    WorkingCalendar,
    add_working_days,
    check_day,
    is_working_day,
    parse_day,
    parse_kind,
    working_days_between,
    working_days_in_year,
)
from zhengshu.core.calendar.tests.conftest import packaged_days
from zhengshu.kernel.errors import InvalidInput

D = date.fromisoformat
PACKAGED = WorkingCalendar.of(packaged_days()[1])  # for the property test (fixtures don't mix)


# --- the data ---------------------------------------------------------------------------------------------

def test_the_seed_covers_2020_to_2026_with_known_days(packaged: WorkingCalendar) -> None:
    assert packaged.years == frozenset(range(2020, 2027))
    assert packaged.days[D("2026-10-01")] == CalendarDay(D("2026-10-01"), DayKind.HOLIDAY, "国庆节")
    assert packaged.days[D("2026-02-17")].name == "春节"
    # 2026: 国庆 10-01..07 with Sunday 09-20 and Saturday 10-10 worked; 中秋 09-25..27 (Friday to Sunday)
    assert packaged.days[D("2026-09-20")] == CalendarDay(D("2026-09-20"), DayKind.WORKDAY, "调休上班（国庆节）")
    assert packaged.days[D("2026-10-10")].kind is DayKind.WORKDAY
    assert packaged.days[D("2026-09-27")] == CalendarDay(D("2026-09-27"), DayKind.HOLIDAY, "中秋节")
    assert packaged.days[D("2026-02-14")].kind is packaged.days[D("2026-02-28")].kind is DayKind.WORKDAY


def test_the_seed_is_consistent() -> None:
    years, days = packaged_days()
    assert years == list(range(2020, 2027))
    assert len({d.day for d in days}) == len(days) == 256
    assert {d.day.year for d in days} == set(years)
    assert all(d.day.weekday() >= 5 for d in days if d.kind is DayKind.WORKDAY)  # 调休 falls on weekends
    for year in years:
        names = {d.name for d in days if d.day.year == year and d.kind is DayKind.HOLIDAY}
        assert names >= {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节"}, year


def test_working_days_per_year_match_the_published_schedules(packaged: WorkingCalendar) -> None:
    counts = {y: working_days_in_year(y, packaged) for y in range(2020, 2027)}
    assert counts == {2020: 249, 2021: 250, 2022: 249, 2023: 249, 2024: 251, 2025: 248, 2026: 248}


def test_is_working_day(packaged: WorkingCalendar) -> None:
    assert is_working_day(D("2026-09-29"), packaged)  # an ordinary Tuesday
    assert not is_working_day(D("2026-03-07"), packaged)  # an ordinary Saturday
    assert not is_working_day(D("2026-10-05"), packaged)  # a Monday in 国庆
    assert is_working_day(D("2026-10-10"), packaged)  # a Saturday, 调休上班


# --- deadlines ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("start", "n", "due"), [
    ("2026-09-28", 5, "2026-10-10"),  # Tue 29, Wed 30, 国庆 1–7, Thu 8, Fri 9, and Saturday 10 is worked
    ("2026-09-28", 2, "2026-09-30"),  # compliance review (2 working days) just before 国庆
    ("2026-09-30", 1, "2026-10-08"),  # over the whole week of 国庆
    ("2026-09-25", 10, "2026-10-15"),  # data not yet published (10): from 中秋 across 国庆 and its Saturday
    ("2026-09-18", 2, "2026-09-21"),  # Sunday 09-20 is worked: Sun 20, Mon 21
    ("2026-02-13", 1, "2026-02-14"),  # Saturday 02-14 is worked before 春节
    ("2026-02-13", 2, "2026-02-24"),  # then 春节 02-15..23
    ("2026-02-12", 5, "2026-02-26"),  # Fri 13, Sat 14, Tue 24, Wed 25, Thu 26
    ("2025-12-31", 1, "2026-01-04"),  # across the year end: 元旦 01-01..03, Sunday 01-04 worked
    ("2025-12-31", 2, "2026-01-05"),
    ("2020-01-20", 5, "2020-02-04"),  # 2020's 春节, lengthened to 02-02: 21 22 23, Feb 3 4
])
def test_deadline(packaged: WorkingCalendar, start: str, n: int, due: str) -> None:
    assert add_working_days(D(start), n, packaged) == D(due)


def test_zero_working_days_is_the_start_itself(packaged: WorkingCalendar) -> None:
    assert add_working_days(D("2026-09-29"), 0, packaged) == D("2026-09-29")
    assert add_working_days(D("2026-10-01"), 0, packaged) == D("2026-10-01")  # even on a holiday
    assert add_working_days(D("2031-05-01"), 0, packaged) == D("2031-05-01")  # nothing to know about


def test_a_start_on_a_holiday_does_not_count(packaged: WorkingCalendar) -> None:
    assert add_working_days(D("2026-10-03"), 1, packaged) == D("2026-10-08")
    assert add_working_days(D("2026-10-03"), 2, packaged) == D("2026-10-09")
    assert add_working_days(D("2026-02-16"), 5, packaged) == D("2026-02-28")  # 24 25 26 27, Saturday 28


def test_negative_working_days_are_refused(packaged: WorkingCalendar) -> None:
    with pytest.raises(InvalidInput) as refused:
        add_working_days(D("2026-09-28"), -1, packaged)
    assert refused.value.field == "working_days"


def test_a_year_without_data_is_named_not_guessed(packaged: WorkingCalendar) -> None:
    assert add_working_days(D("2026-12-28"), 3, packaged) == D("2026-12-31")
    with pytest.raises(UncoveredYear) as refused:
        add_working_days(D("2026-12-28"), 4, packaged)  # 2027-01-01 cannot be told
    assert isinstance(refused.value, InvalidInput)
    assert refused.value.year == 2027 and refused.value.details == {"year": 2027}
    assert "2027 年" in refused.value.message
    with pytest.raises(UncoveredYear, match="2019 年"):
        is_working_day(D("2019-10-01"), packaged)
    with pytest.raises(UncoveredYear):
        add_working_days(D("2026-10-01"), 1, WorkingCalendar())  # an empty calendar covers nothing


def test_working_days_between(packaged: WorkingCalendar) -> None:
    assert working_days_between(D("2026-09-28"), D("2026-10-10"), packaged) == 5
    assert working_days_between(D("2026-10-10"), D("2026-09-28"), packaged) == -5  # missed by five
    assert working_days_between(D("2026-10-01"), D("2026-10-07"), packaged) == 0
    assert working_days_between(D("2026-10-01"), D("2026-10-01"), packaged) == 0


@given(start=st.dates(D("2020-01-01"), D("2026-11-30")), n=st.integers(0, 15))
def test_between_undoes_add(start: date, n: int) -> None:
    due = add_working_days(start, n, PACKAGED)
    assert working_days_between(start, due, PACKAGED) == n
    assert n == 0 or is_working_day(due, PACKAGED)  # a deadline always falls on a working day


def test_a_listed_day_overrides_the_weekend_rule() -> None:
    calendar = WorkingCalendar.of([CalendarDay(D("2030-01-01"), DayKind.HOLIDAY, "元旦"),
                                   CalendarDay(D("2030-01-05"), DayKind.WORKDAY, "调休上班")])
    # from Tue 01-01 (a holiday): Wed 2, Thu 3, Fri 4, Sat 5 (worked), Mon 7
    assert add_working_days(D("2030-01-01"), 5, calendar) == D("2030-01-07")
    assert working_days_in_year(2030, calendar) == 261  # 261 weekdays, less 元旦, plus Saturday 01-05


# --- what an administrator enters ---------------------------------------------------------------------------

def test_check_day() -> None:
    assert check_day(D("2027-10-01"), DayKind.HOLIDAY, " 国庆节 ") == CalendarDay(D("2027-10-01"),
                                                                                DayKind.HOLIDAY, "国庆节")
    assert check_day(D("2027-09-26"), DayKind.WORKDAY, "调休上班").kind is DayKind.WORKDAY  # a Sunday
    assert check_day(D("2027-10-04"), DayKind.HOLIDAY, "国庆节").day.weekday() == 0  # a holiday on a Monday


@pytest.mark.parametrize(("day", "kind", "name", "field", "says"), [
    ("2027-09-27", DayKind.WORKDAY, "调休上班", "day", "周一"),  # a Monday is a working day already
    ("2027-10-01", DayKind.HOLIDAY, "  ", "name", "名称不能为空"),
    ("2027-10-01", DayKind.HOLIDAY, "节" * 51, "name", "最多 50"),
    ("1999-10-01", DayKind.HOLIDAY, "国庆节", "year", "2000–2100"),
])
def test_check_day_refuses(day: str, kind: DayKind, name: str, field: str, says: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_day(D(day), kind, name)
    assert refused.value.field == field and says in refused.value.message


def test_parse_day_and_kind() -> None:
    assert parse_day(" 2026-10-01 ") == D("2026-10-01")
    with pytest.raises(InvalidInput, match="YYYY-MM-DD") as refused:
        parse_day("2026/10/01", field="start")
    assert refused.value.field == "start"
    with pytest.raises(InvalidInput):
        parse_day("2026-02-30")
    assert parse_kind("workday") is DayKind.WORKDAY
    with pytest.raises(InvalidInput) as refused:
        parse_kind("weekend")
    assert refused.value.field == "kind"
