"""Calendar use cases. Each takes the unit of work and the acting actor first, and checks permissions through
`access` before it reads or writes anything.

Reads load the listed days once per call (a few hundred rows) and compute in memory: no cache to go stale
between web workers when an administrator changes a day.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

from zhengshu.core.calendar import permissions as perms
from zhengshu.core.calendar import queries, repository
from zhengshu.core.calendar.domain import (
    WEEKDAY_TITLES,
    CalendarDay,
    DayKind,
    add_working_days,
    check_day,
    check_year,
    parse_kind,
    working_days_in_year,
)
from zhengshu.core.calendar.domain import working_days_between as _between
from zhengshu.core.calendar.events import CalendarDayRemoved, CalendarDaySet, CalendarSeeded
from zhengshu.core.calendar.schemas import CalendarDayView, DeadlineView, SeedResult, YearView
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork

MAX_WORKING_DAYS = 1000  # about four years: any deadline the platform sets is far shorter


def _packaged_days() -> tuple[list[int], list[CalendarDay]]:
    """The holidays and adjusted working days shipped with the platform (`seed/days.json`): the years it
    covers and its days.

    The file is data, written once from the `chinesecalendar` package (not needed at run time) by a few
    lines kept in `docs/modules/calendar.md` ("Extending the years"): for each day of the years, a
    holiday the package names becomes `holiday` with the Chinese name, a weekend day it calls a working day
    becomes `workday`, 调休上班（<festival>）. Check a new year against the State Council's notice.
    """
    text = resources.files("zhengshu.core.calendar").joinpath("seed/days.json").read_text("utf-8")
    data = json.loads(text)
    entries = [CalendarDay(date.fromisoformat(d["day"]), DayKind(d["kind"]), d["name"]) for d in data["days"]]
    return sorted(data["years"]), entries


def seed_calendar(uow: UnitOfWork, actor: Actor) -> SeedResult:
    """Write the packaged days of every year the calendar does not have yet (idempotent).

    A year already present is left as it is, so an administrator's corrections survive `zhengshu init`;
    a new platform release that ships a new year fills that year in."""
    access.require(actor, perms.MANAGE)
    years, entries = _packaged_days()
    with uow:
        present = repository.listed_years(uow.session)
        missing = [y for y in years if y not in present]
        written = repository.add_days(uow.session, (d for d in entries if d.day.year in missing))
        if written:
            uow.emit(CalendarSeeded(actor=actor, target="calendar", years=tuple(missing), days=written))
        uow.commit()
    return SeedResult(years=missing, days=written, covered_years=sorted(present | set(missing)))


def _view(entry: CalendarDay) -> CalendarDayView:
    return CalendarDayView(day=entry.day, weekday=WEEKDAY_TITLES[entry.day.weekday()], kind=entry.kind.value,
                           kind_title=entry.kind.title, name=entry.name)


def set_day(uow: UnitOfWork, actor: Actor, day: date, kind: str, name: str) -> CalendarDayView:
    """List a day as a holiday or an adjusted working day, or change a listed one (平台管理员). Setting a day
    to what it already is changes nothing and records nothing."""
    access.require(actor, perms.MANAGE)
    entry = check_day(day, parse_kind(kind), name)
    with uow:
        current = repository.get_day(uow.session, entry.day)
        if current == entry:
            return _view(entry)
        if current is None:
            repository.add_day(uow.session, entry)
        else:
            repository.change_day(uow.session, entry)
        uow.emit(CalendarDaySet(
            actor=actor, target=f"calendar_day:{entry.day.isoformat()}", day=entry.day.isoformat(),
            kind=entry.kind.value, name=entry.name,
            previous_kind=current.kind.value if current else "", previous_name=current.name if current else "",
        ))
        uow.commit()
    return _view(entry)


def remove_day(uow: UnitOfWork, actor: Actor, day: date) -> CalendarDayView:
    """Take a day off the list (平台管理员): it follows the weekend rule again. Returns what was removed."""
    access.require(actor, perms.MANAGE)
    with uow:
        current = repository.get_day(uow.session, day)
        if current is None:
            raise NotFound(f"工作日历中没有 {day.isoformat()} 这一天的安排。", field="day")
        repository.remove_day(uow.session, day)
        uow.emit(CalendarDayRemoved(actor=actor, target=f"calendar_day:{day.isoformat()}", day=day.isoformat(),
                                    kind=current.kind.value, name=current.name))
        uow.commit()
    return _view(current)


def _check_count(working_days: int) -> int:
    if not 0 <= working_days <= MAX_WORKING_DAYS:
        raise InvalidInput(f"工作日数须在 0–{MAX_WORKING_DAYS} 之间。", field="working_days")
    return working_days


def deadline(uow: UnitOfWork, actor: Actor, start: date, working_days: int) -> DeadlineView:
    """The date `working_days` working days after `start` (start not counted; 0 gives start). A year the
    calendar does not cover raises InvalidInput naming the year."""
    access.require(actor, perms.VIEW)
    _check_count(working_days)
    with uow.reading() as session:
        calendar = queries.working_calendar(session)
    due = add_working_days(start, working_days, calendar)
    return DeadlineView(start=start, working_days=working_days, deadline=due,
                        weekday=WEEKDAY_TITLES[due.weekday()], calendar_days=(due - start).days)


def working_days_between(uow: UnitOfWork, actor: Actor, start: date, end: date) -> int:
    """Working days d with start < d <= end (negative when end is before start): how many working days a
    deadline has left, or by how many it was missed."""
    access.require(actor, perms.VIEW)
    with uow.reading() as session:
        calendar = queries.working_calendar(session)
    return _between(start, end, calendar)


def list_days(uow: UnitOfWork, actor: Actor, year: int | None = None) -> YearView:
    """A year of the calendar (default: this year in Beijing time): its listed days, whether it is covered,
    and how many working days it has."""
    access.require(actor, perms.VIEW)
    year = check_year(year if year is not None else clock.now().astimezone(clock.DISPLAY_ZONE).year)
    with uow.reading() as session:
        calendar = queries.working_calendar(session)
    listed = sorted((d for d in calendar.days.values() if d.day.year == year), key=lambda d: d.day)
    covered = calendar.covers(year)
    return YearView(
        year=year, covered=covered,
        working_days=working_days_in_year(year, calendar) if covered else None,
        holidays=sum(d.kind is DayKind.HOLIDAY for d in listed),
        adjusted_workdays=sum(d.kind is DayKind.WORKDAY for d in listed),
        days=[_view(d) for d in listed], covered_years=sorted(calendar.years),
    )
