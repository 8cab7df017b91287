"""Calendar use cases on the real database (SQLite and PostgreSQL): the seed, deadlines, a year's days, and
administrators' changes. Every change leaves one audit record; a refusal reads as "not found"."""

from __future__ import annotations

import json
from datetime import date

import pytest
from conftest import make_actor

from zhengshu.core.calendar import service
from zhengshu.core.calendar.domain import UncoveredYear
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

D = date.fromisoformat
ANALYST = make_actor(Role.ANALYST)
OFFICER = make_actor(Role.DATA_OFFICER, department="130300003")
NOBODY = make_actor(None)


def test_seed_writes_the_packaged_years_once(platform: Platform, audit_trail, sql) -> None:
    system = system_actor("测试")
    first = service.seed_calendar(platform.uow(), system)
    assert first.years == list(range(2020, 2027)) and first.days == 256
    assert sql("SELECT count(*) FROM calendar_days") == [(256,)]
    assert audit_trail() == [("calendar.seeded", "system:system", "calendar", "success")]
    [(details,)] = sql("SELECT details FROM audit_records")
    assert json.loads(details)["days"] == 256

    again = service.seed_calendar(platform.uow(), system)
    assert again.years == [] and again.days == 0 and again.covered_years == list(range(2020, 2027))
    assert len(audit_trail()) == 1  # nothing changed, nothing recorded


def test_seed_fills_missing_years_and_keeps_administrators_changes(seeded: Platform, admin, sql) -> None:
    service.remove_day(seeded.uow(), admin, D("2026-10-10"))  # say the State Council cancelled it
    sql("DELETE FROM calendar_days WHERE day < :d", d=D("2021-01-01"))  # and 2020 was never loaded
    result = service.seed_calendar(seeded.uow(), system_actor("测试"))
    assert result.years == [2020] and result.days == 36
    assert sql("SELECT count(*) FROM calendar_days WHERE day = :d", d=D("2026-10-10")) == [(0,)]


def test_deadline_for_any_staff(seeded: Platform) -> None:
    view = service.deadline(seeded.uow(), ANALYST, D("2026-09-28"), 5)
    assert (view.deadline, view.weekday, view.calendar_days) == (D("2026-10-10"), "周六", 12)
    assert service.deadline(seeded.uow(), OFFICER, D("2026-09-30"), 2).deadline == D("2026-10-09")
    assert service.deadline(seeded.uow(), system_actor(), D("2026-10-01"), 0).deadline == D("2026-10-01")
    assert service.working_days_between(seeded.uow(), ANALYST, D("2026-09-28"), D("2026-10-12")) == 6


def test_deadline_refuses_uncovered_years_and_silly_counts(seeded: Platform) -> None:
    with pytest.raises(UncoveredYear, match="2027 年"):
        service.deadline(seeded.uow(), ANALYST, D("2026-12-30"), 10)
    with pytest.raises(InvalidInput) as refused:
        service.deadline(seeded.uow(), ANALYST, D("2026-09-28"), 1001)
    assert refused.value.field == "working_days"


def test_an_empty_calendar_knows_no_year(platform: Platform) -> None:
    with pytest.raises(UncoveredYear, match="2026 年"):
        service.deadline(platform.uow(), ANALYST, D("2026-09-28"), 1)


def test_list_days(seeded: Platform) -> None:
    year = service.list_days(seeded.uow(), ANALYST, 2026)
    assert year.covered and year.working_days == 248
    assert (year.holidays, year.adjusted_workdays, len(year.days)) == (33, 6, 39)
    assert year.days[0].day == D("2026-01-01") and year.days[0].kind_title == "节假日"
    national = next(d for d in year.days if d.day == D("2026-10-10"))
    assert (national.weekday, national.kind, national.name) == ("周六", "workday", "调休上班（国庆节）")
    assert year.covered_years == list(range(2020, 2027))

    future = service.list_days(seeded.uow(), ANALYST, 2030)
    assert not future.covered and future.working_days is None and future.days == []
    assert service.list_days(seeded.uow(), ANALYST).year >= 2026  # this year by default
    with pytest.raises(InvalidInput):
        service.list_days(seeded.uow(), ANALYST, 1066)


def test_an_administrator_sets_and_removes_days(seeded: Platform, admin, audit_trail) -> None:
    before = len(audit_trail())
    # 2027's schedule arrives: its first day makes the year covered
    added = service.set_day(seeded.uow(), admin, D("2027-01-01"), "holiday", "元旦")
    assert (added.weekday, added.kind_title) == ("周五", "节假日")
    assert service.deadline(seeded.uow(), ANALYST, D("2026-12-31"), 1).deadline == D("2027-01-04")
    assert audit_trail()[-1] == ("calendar.day_set", admin.label, "calendar_day:2027-01-01", "success")

    service.set_day(seeded.uow(), admin, D("2027-01-01"), "holiday", "元旦")  # the same again: nothing
    assert len(audit_trail()) == before + 1

    changed = service.set_day(seeded.uow(), admin, D("2026-10-10"), "holiday", "国庆节（补休）")
    assert changed.kind == "holiday"
    assert service.deadline(seeded.uow(), ANALYST, D("2026-09-28"), 5).deadline == D("2026-10-12")

    removed = service.remove_day(seeded.uow(), admin, D("2026-10-10"))
    assert removed.name == "国庆节（补休）"
    assert service.deadline(seeded.uow(), ANALYST, D("2026-09-28"), 5).deadline == D("2026-10-12")
    assert [a for a, *_ in audit_trail()[before:]] == [
        "calendar.day_set", "calendar.day_set", "calendar.day_removed"]

    with pytest.raises(NotFound, match="2026-10-10"):
        service.remove_day(seeded.uow(), admin, D("2026-10-10"))


def test_set_day_checks_what_is_entered(seeded: Platform, admin, audit_trail) -> None:
    before = audit_trail()
    with pytest.raises(InvalidInput, match="周一"):
        service.set_day(seeded.uow(), admin, D("2026-09-28"), "workday", "调休上班")
    with pytest.raises(InvalidInput) as refused:
        service.set_day(seeded.uow(), admin, D("2026-09-26"), "weekend", "周末")
    assert refused.value.field == "kind"
    assert audit_trail() == before


@pytest.mark.parametrize("actor", [ANALYST, OFFICER, NOBODY], ids=["analyst", "data_officer", "no_role"])
def test_only_administrators_change_the_calendar(seeded: Platform, actor, sql) -> None:
    for attempt in (
        lambda: service.set_day(seeded.uow(), actor, D("2026-10-12"), "holiday", "国庆节"),
        lambda: service.remove_day(seeded.uow(), actor, D("2026-10-01")),
        lambda: service.seed_calendar(seeded.uow(), actor),
    ):
        with pytest.raises(NotFound):
            attempt()
    assert sql("SELECT count(*) FROM calendar_days") == [(256,)]


def test_without_a_role_nothing_is_visible(seeded: Platform) -> None:
    with pytest.raises(NotFound):
        service.deadline(seeded.uow(), NOBODY, D("2026-09-28"), 5)
    with pytest.raises(NotFound):
        service.list_days(seeded.uow(), NOBODY, 2026)
    with pytest.raises(NotFound):
        service.working_days_between(seeded.uow(), NOBODY, D("2026-09-28"), D("2026-10-12"))
