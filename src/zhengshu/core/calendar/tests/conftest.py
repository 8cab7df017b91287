"""Fixtures of the calendar tests: the packaged calendar in memory, a seeded platform, the audit trail read
back with SQL, and a web client whose signed-in actor a test chooses."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date
from importlib import resources

import pytest
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.core.calendar import service
from zhengshu.core.calendar.domain import CalendarDay, DayKind, WorkingCalendar
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def packaged_days() -> tuple[list[int], list[CalendarDay]]:
    """The years and days shipped in seed/days.json, read here on their own (not through the service)."""
    data = json.loads(resources.files("zhengshu.core.calendar").joinpath("seed/days.json").read_text("utf-8"))
    days = [CalendarDay(date.fromisoformat(d["day"]), DayKind(d["kind"]), d["name"]) for d in data["days"]]
    return data["years"], days


@pytest.fixture(scope="session")
def packaged() -> WorkingCalendar:
    """The holidays and adjusted working days shipped in seed/days.json, 2020–2026."""
    return WorkingCalendar.of(packaged_days()[1])


@pytest.fixture
def seeded(platform: Platform) -> Platform:
    service.seed_calendar(platform.uow(), system_actor("测试"))
    return platform


@pytest.fixture
def signed_in(seeded: Platform, admin) -> Iterator[tuple[TestClient, dict]]:
    """A client on the real application and a switch saying who is signed in (`who["actor"]`, None: nobody).
    Signing in itself is the identity module's business and tested there."""
    app = create_app(seeded)
    who: dict = {"actor": admin}
    app.state.authenticate = lambda request: who["actor"]
    with TestClient(app, follow_redirects=False) as client:
        yield client, who


@pytest.fixture
def csrf_of() -> Callable[[str], str]:
    def find(html: str) -> str:
        match = CSRF_FIELD.search(html)
        assert match, "the page has no CSRF field"
        return match.group(1)

    return find
