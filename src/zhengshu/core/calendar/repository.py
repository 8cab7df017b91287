"""Write-side SQL of the calendar module. Functions take the unit of work's session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from zhengshu.core.calendar.domain import CalendarDay, DayKind
from zhengshu.core.calendar.tables import days


def get_day(session: Session, day: date) -> CalendarDay | None:
    """The listed day, locked for update (PostgreSQL) so that two administrators' changes queue."""
    row = session.execute(select(days).where(days.c.day == day).with_for_update()).mappings().first()
    return None if row is None else CalendarDay(row["day"], DayKind(row["kind"]), row["name"])


def listed_years(session: Session) -> set[int]:
    """The years with at least one listed day (the covered years)."""
    return {d.year for d in session.execute(select(days.c.day)).scalars()}


def add_days(session: Session, entries: Iterable[CalendarDay]) -> int:
    """Insert days in one round trip; returns how many."""
    rows = [{"day": d.day, "kind": d.kind.value, "name": d.name} for d in entries]
    if rows:
        session.execute(insert(days), rows)
    return len(rows)


def add_day(session: Session, entry: CalendarDay) -> None:
    session.execute(insert(days).values(day=entry.day, kind=entry.kind.value, name=entry.name))


def change_day(session: Session, entry: CalendarDay) -> None:
    session.execute(update(days).where(days.c.day == entry.day).values(kind=entry.kind.value, name=entry.name))


def remove_day(session: Session, day: date) -> None:
    session.execute(delete(days).where(days.c.day == day))
