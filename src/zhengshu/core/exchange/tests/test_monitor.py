"""数据传输统一监测: the unusual-volume rule, the summary over real and logged calls on both databases, who may
see it, and the page with its chart."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta

import pytest
from conftest import make_actor
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.core.exchange import domain, repository, service
from zhengshu.core.exchange.domain import FieldFilter
from zhengshu.core.exchange.tests.conftest import AUTHORITY, RENSHE, City
from zhengshu.core.exchange.tests.test_service import read
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import UserCreate
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind, system_actor
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

PASSWORD = "Qhd-2024-Test"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


# --- the rules (pure) ---------------------------------------------------------------------------------------

def test_unusual_volume_flags_a_client_well_above_its_own_average() -> None:
    history = {"a": 14 * 100, "b": 14 * 200, "c": 14 * 10}
    today = {"a": 600, "b": 500, "c": 400, "new": 800, "small": 20}
    flagged = domain.unusual_volume(today, history)
    assert [(u.client_key, u.rows, u.average, u.factor) for u in flagged] == [
        ("new", 800, 0.0, None),  # no history: flagged once it reaches the minimum
        ("a", 600, 100.0, 6.0),
    ]  # b: 500 is not above 3 × 200; c: 40× its average but below the 500-row minimum


def test_unusual_volume_threshold_is_strictly_above_the_factor() -> None:
    assert domain.unusual_volume({"a": 600}, {"a": 14 * 200}) == []
    assert [u.client_key for u in domain.unusual_volume({"a": 601}, {"a": 14 * 200})] == ["a"]
    assert domain.unusual_volume({"a": 10}, {}, minimum=5)[0].factor is None


def test_percentile_positions_by_nearest_rank() -> None:
    assert [domain.percentile(n, 0.5) for n in (1, 2, 3, 4, 10)] == [0, 0, 1, 1, 4]
    assert [domain.percentile(n, 0.95) for n in (1, 10, 20, 100)] == [0, 9, 18, 94]


def test_period_must_be_whole_days_in_order_and_not_too_long() -> None:
    today = date(2025, 6, 30)
    assert domain.check_period(date(2025, 6, 24), today, today) == (date(2025, 6, 24), today)
    for since, until in [(today, today - timedelta(days=1)), (today, today + timedelta(days=1)),
                         (today - timedelta(days=domain.MAX_MONITOR_DAYS), today)]:
        with pytest.raises(InvalidInput) as refused:
            domain.check_period(since, until, today)
        assert refused.value.details["reason"] == "invalid_period"


# --- the summary on the real databases ----------------------------------------------------------------------

def test_summary_counts_real_calls_and_a_denial(city: City) -> None:
    read(city, limit=2)
    read(city, limit=3)
    with pytest.raises(InvalidInput):
        read(city, filters=[FieldFilter("姓名", "prefix", "张")])  # masked field as a filter: denied
    summary = service.monitor_summary(city.platform.uow(), AUTHORITY)
    today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
    assert (summary.since, summary.until) == (today - timedelta(days=6), today)
    assert (summary.calls, summary.rows, summary.denied, summary.failures) == (3, 5, 1, 0)
    assert summary.median_latency_ms <= summary.p95_latency_ms
    assert summary.chart["days"][-1] == today.isoformat() and len(summary.chart["days"]) == 7
    assert summary.chart["calls"] == [0] * 6 + [3] and summary.chart["rows"] == [0] * 6 + [5]
    [resource] = summary.resources
    assert (resource.key, resource.calls, resource.rows, resource.denied) == (city.resource, 3, 5, 1)
    [client] = summary.clients
    assert (client.key, client.consumer_code, client.calls) == (city.client_key, RENSHE, 3)
    [consumer] = summary.top_consumers
    assert (consumer.key, consumer.name, consumer.rows) == (RENSHE, "市人社局", 5)
    assert summary.unusual == []
    json.dumps(summary.chart)  # plain JSON for the page


def log_call(platform: Platform, days_ago: int, client: str, rows: int, latency: int = 10,
             outcome: str = "success", resource: str = "R1") -> None:
    with platform.uow() as uow:
        repository.add_call(uow.session, occurred_at=clock.now() - timedelta(days=days_ago), client_key=client,
                            consumer_code="130300005", resource_code=resource, grant_id=1, operation="read",
                            rows=rows, latency_ms=latency, outcome=outcome, reason="" if outcome == "success"
                            else "quota_exceeded")
        uow.commit()


def test_summary_over_days_latency_percentiles_and_unusual_volume(platform: Platform) -> None:
    for days_ago in range(1, 15):
        log_call(platform, days_ago, "steady", 100)
        log_call(platform, days_ago, "busy", 200)
    log_call(platform, 0, "steady", 700, latency=100)  # 7× its average: unusual
    log_call(platform, 0, "busy", 500, latency=90)  # 2.5×: not
    log_call(platform, 0, "busy", 0, latency=80, outcome="denied", resource="R2")
    admin = make_actor(Role.PLATFORM_ADMIN, department="130300002")
    summary = service.monitor_summary(platform.uow(), admin)
    assert (summary.calls, summary.rows, summary.denied) == (6 * 2 + 3, 6 * 300 + 1200, 1)
    assert summary.chart["calls"] == [2] * 6 + [3]
    assert summary.chart["rows"] == [300] * 6 + [1200]
    assert (summary.median_latency_ms, summary.p95_latency_ms) == (10, 100)  # 12 × 10, then 80, 90, 100
    assert [(u.client_key, u.rows, u.average, u.factor) for u in summary.unusual] == [("steady", 700, 100.0, 7.0)]
    assert [(c.key, c.rows) for c in summary.clients] == [("busy", 1700), ("steady", 1300)]
    assert [(r.key, r.calls, r.denied) for r in summary.resources] == [("R1", 14, 0), ("R2", 1, 1)]
    earlier = service.monitor_summary(platform.uow(), admin, clock.now().astimezone(clock.DISPLAY_ZONE).date()
                                      - timedelta(days=13), clock.now().astimezone(clock.DISPLAY_ZONE).date()
                                      - timedelta(days=1))
    assert (earlier.calls, earlier.rows, len(earlier.chart["days"])) == (26, 3900, 13)
    assert earlier.unusual == []


def test_only_the_data_authority_sees_the_monitor(platform: Platform) -> None:
    for actor in (make_actor(Role.DATA_OFFICER, department=RENSHE), make_actor(Role.ANALYST), as_actor_stub()):
        with pytest.raises(NotFound):
            service.monitor_summary(platform.uow(), actor)


def as_actor_stub() -> Actor:
    """A client system (its grants are rights to read, not to watch)."""
    return Actor(kind=ActorKind.CLIENT, id="zs_client", name="接入系统", department_code=RENSHE)


# --- the page -----------------------------------------------------------------------------------------------

@pytest.fixture
def web(platform: Platform):
    identity.seed_city(platform.uow(), system_actor("测试"))
    with TestClient(create_app(platform), follow_redirects=False) as client:
        yield client


def sign_in(web: TestClient, platform: Platform, username: str, role: str, department: str) -> None:
    identity.create_user(platform.uow(), system_actor("测试"), UserCreate(
        username=username, display_name=f"{username}测试", organisation_code=department, roles=[role],
        password=PASSWORD))
    token = CSRF_FIELD.search(web.get("/login").text).group(1)
    response = web.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token,
                                        "next": "/"})
    assert response.status_code == 303, response.text


def test_the_page_shows_totals_and_the_chart(web: TestClient, platform: Platform) -> None:
    log_call(platform, 0, "steady", 700, latency=40)
    log_call(platform, 1, "steady", 30, latency=20, outcome="denied")
    sign_in(web, platform, "guanliyuan", "platform_admin", "130300002")
    response = web.get("/exchange/monitor")
    assert response.status_code == 200, response.text[:500]
    html = response.text
    assert "数据传输统一监测" in html and 'href="/exchange/monitor"' in html  # the nav item
    assert 'id="exchange-chart"' in html and "/static/vendor/echarts-6.1.0.min.js" in html
    assert re.search(r'data-testid="total-calls">2<', html) and re.search(r'data-testid="total-denied">1<', html)
    chart = json.loads(re.search(r'id="exchange-chart-data" type="application/json">([^<]+)<', html).group(1))
    assert chart["calls"][-2:] == [1, 1] and chart["rows"][-2:] == [30, 700] and len(chart["days"]) == 7
    assert "steady" in html  # unusual: a new client past the minimum
    bad = web.get("/exchange/monitor?since=2020-01-01&until=2020-01-02x")
    assert bad.status_code == 400 and "日期格式" in bad.text


def test_the_page_is_not_found_for_others(web: TestClient, platform: Platform) -> None:
    sign_in(web, platform, "shujuguan", "data_officer", "130300003")
    response = web.get("/exchange/monitor")
    assert response.status_code == 404 and "未找到，或您无权访问" in response.text
    assert "数据传输统一监测" not in response.text
    assert 'href="/exchange/monitor"' not in web.get("/").text
