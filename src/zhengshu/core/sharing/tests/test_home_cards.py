"""The sharing cards on the signed-in home page (工作台), through the real application: what waits on my
review (the data authority's compliance queue, a provider approver's queue), overdue requests in red, grants
due for 复核 — each for the people it concerns only. A failing card leaves the page standing."""

from __future__ import annotations

import logging
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import ComplianceReview
from zhengshu.core.sharing.tests.conftest import (
    ADMIN,
    ANALYST,
    HEALTH_APPROVER,
    HEALTH_OFFICER,
    MARKET_OFFICER,
    POLICE_APPROVER,
    City,
    Clock,
)
from zhengshu.kernel.actor import Actor
from zhengshu.modules import Card

Web = tuple[TestClient, dict[str, Actor | None]]
CARD = re.compile(r'data-testid="card" data-tone="(\w+)"[^>]*>\s*<div class="stat">(\d+)</div>\s*'
                  r'<div class="stat-label">([^<]+)</div>')
REVIEW = "待我审核的共享申请"


def cards(web: TestClient, who: dict[str, Actor | None], actor: Actor) -> dict[str, tuple[int, str]]:
    """The home page's sharing cards as the actor sees them: title → (figure, tone) (other modules' cards,
    such as ingestion's, are left out)."""
    who["actor"] = actor
    response = web.get("/")
    assert response.status_code == 200, response.text[:500]
    return {title: (int(value), tone) for tone, value, title in CARD.findall(response.text)
            if "共享" in title or "授权" in title}


def test_each_sees_what_waits_on_them(city: City, signed_in: Web, today: Clock) -> None:
    web, who = signed_in
    request_id = city.ask(city.entry()).request.id  # 市市场监管局 asks 市公安局; compliance due 10-09
    assert cards(web, who, ADMIN) == {REVIEW: (1, "warning"), "全市超期的共享申请": (0, "normal"),
                                      "全市即将到期待复核的授权": (0, "normal")}
    assert cards(web, who, POLICE_APPROVER)[REVIEW] == (0, "normal")  # not at the provider yet
    market = cards(web, who, MARKET_OFFICER)
    assert market == {"本部门超期的共享申请": (0, "normal"), "本部门即将到期待复核的授权": (0, "normal")}

    service.review_compliance(city.platform.uow(), ADMIN, request_id, ComplianceReview(approve=True),
                              city.platform.settings)  # the provider's answer is due 10-13
    assert cards(web, who, ADMIN)[REVIEW] == (0, "normal")
    assert cards(web, who, POLICE_APPROVER)[REVIEW] == (1, "warning")
    assert cards(web, who, HEALTH_APPROVER)[REVIEW] == (0, "normal")  # another department's approver

    today.day = date(2026, 10, 14)
    assert cards(web, who, POLICE_APPROVER) == {REVIEW: (1, "alert"), "本部门超期的共享申请": (1, "alert"),
                                                "本部门即将到期待复核的授权": (0, "normal")}
    assert cards(web, who, MARKET_OFFICER)["本部门超期的共享申请"] == (1, "alert")
    assert cards(web, who, ADMIN)["全市超期的共享申请"] == (1, "alert")
    assert cards(web, who, HEALTH_OFFICER)["本部门超期的共享申请"] == (0, "normal")  # not involved
    who["actor"] = POLICE_APPROVER
    html = web.get("/").text  # red: the class the style sheet colours, linking to the list behind it
    assert 'class="card tone-alert" data-testid="card" data-tone="alert" href="/sharing?scope=overdue"' in html


def test_grants_due_for_recertification_are_counted_for_both_departments(city: City, signed_in: Web) -> None:
    web, who = signed_in
    city.granted(city.entry(), expires_on="2026-10-20")  # 20 days away: inside the 30-day window
    for actor in (MARKET_OFFICER, POLICE_APPROVER):
        assert cards(web, who, actor)["本部门即将到期待复核的授权"] == (1, "warning")
    assert cards(web, who, HEALTH_OFFICER)["本部门即将到期待复核的授权"] == (0, "normal")
    assert cards(web, who, ADMIN)["全市即将到期待复核的授权"] == (1, "warning")
    assert REVIEW not in cards(web, who, ANALYST)  # analysts review nothing


def test_a_failing_card_is_logged_and_left_out(city: City, signed_in: Web, caplog: pytest.LogCaptureFixture) -> None:
    web, who = signed_in
    city.ask(city.entry())

    def broken(uow, actor):
        raise RuntimeError("卡片出错")

    web.app.state.card_providers.insert(0, ("broken", broken))
    with caplog.at_level(logging.ERROR, logger="zhengshu.web.cards"):
        shown = cards(web, who, ADMIN)
    assert shown[REVIEW] == (1, "warning")  # the other modules' cards are still there
    assert any("broken" in r.getMessage() for r in caplog.records)
    assert "卡片出错" not in web.get("/").text


def test_a_card_has_one_of_three_tones() -> None:
    assert Card("超期", 1, "/sharing", "alert").tone == "alert"
    with pytest.raises(ValueError, match="tone"):
        Card("超期", 1, "/sharing", "red")
