"""Events of the calendar module (past tense; the audit log records each one)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class CalendarSeeded(DomainEvent):
    """The packaged holiday data was written for years the calendar did not have yet."""

    action = "calendar.seeded"
    years: tuple[int, ...]
    days: int


@dataclass(frozen=True, kw_only=True)
class CalendarDaySet(DomainEvent):
    """An administrator listed a day, or changed a listed one (`previous_kind` is "" for a new day)."""

    action = "calendar.day_set"
    day: str
    kind: str
    name: str
    previous_kind: str = ""
    previous_name: str = ""


@dataclass(frozen=True, kw_only=True)
class CalendarDayRemoved(DomainEvent):
    """An administrator took a day off the list: it follows the weekend rule again."""

    action = "calendar.day_removed"
    day: str
    kind: str
    name: str
