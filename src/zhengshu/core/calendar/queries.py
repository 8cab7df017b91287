"""Read-side SQL of the calendar module: the working calendar for computing, the days of a year for people."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengshu.core.calendar.domain import CalendarDay, DayKind, WorkingCalendar
from zhengshu.core.calendar.tables import days


def _day(row) -> CalendarDay:
    return CalendarDay(day=row["day"], kind=DayKind(row["kind"]), name=row["name"])


def working_calendar(session: Session) -> WorkingCalendar:
    """Every listed day (a few dozen a year: the whole table is small enough to read at once)."""
    rows = session.execute(select(days).order_by(days.c.day)).mappings()
    return WorkingCalendar.of(_day(r) for r in rows)

