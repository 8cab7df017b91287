"""The audit pages and JSON routes: thin handlers over the same services, admins only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.clock import for_display
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

ANALYST = Actor(kind=ActorKind.USER, id="zhaoliu", name="赵六", roles=frozenset({Role.ANALYST.value}))


@pytest.fixture
def signed_in(platform: Platform, admin: Actor) -> Iterator[tuple[TestClient, dict]]:
    """A client and a switch saying who is signed in (`who["actor"]`, None for nobody)."""
    app = create_app(platform)
    who: dict = {"actor": admin}
    app.state.authenticate = lambda request: who["actor"]
    with TestClient(app) as client:
        yield client, who


def test_the_log_page_lists_filters_and_pages(signed_in, append) -> None:
    client, _ = signed_in
    append(55)
    page = client.get("/audit")
    assert page.status_code == 200
    assert "审计日志" in page.text and "<td>thing:54</td>" in page.text
    assert "<td>thing:4</td>" not in page.text  # 50 a page
    assert 'href="/audit?before=6"' in page.text
    newest = client.get("/api/v1/audit/records", params={"limit": 1}).json()["records"][0]
    assert for_display(datetime.fromisoformat(newest["occurred_at"])) in page.text  # Asia/Shanghai
    older = client.get("/audit", params={"before": 6})
    assert "<td>thing:4</td>" in older.text and "<td>thing:5</td>" not in older.text
    filtered = client.get("/audit", params={"action": "identity.*"})
    assert "没有符合条件的审计记录" in filtered.text
    assert 'href="/audit/export.csv?action=identity.%2A"' in filtered.text


def test_a_bad_time_is_shown_on_the_page(signed_in) -> None:
    client, _ = signed_in
    page = client.get("/audit", params={"from": "上周"})
    assert page.status_code == 400 and "时间格式应为" in page.text


def test_export_streams_csv_and_is_recorded(signed_in, append) -> None:
    client, _ = signed_in
    append(3)
    response = client.get("/audit/export.csv", params={"action": "test.*"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff序号,") and text.count("test.something_happened") == 3
    newest = client.get("/api/v1/audit/records", params={"limit": 1}).json()["records"][0]
    assert newest["action"] == "audit.exported"


def test_verify_page_shows_the_result(signed_in, append, sql) -> None:
    client, _ = signed_in
    append(3)
    assert "审计链完整" in client.get("/audit/verify").text
    sql("DELETE FROM audit_records WHERE seq = 2")
    page = client.get("/audit/verify").text
    assert "审计链异常" in page and "<td>2</td>" in page


def test_api_records_and_verify(signed_in, append) -> None:
    client, _ = signed_in
    append(5)
    body = client.get("/api/v1/audit/records", params={"limit": 2, "actor": "平台管理员"}).json()
    assert [r["seq"] for r in body["records"]] == [5, 4] and body["next_before"] == 4
    assert body["records"][0]["occurred_at"].endswith("Z") or "+00:00" in body["records"][0]["occurred_at"]
    verified = client.get("/api/v1/audit/verify").json()
    assert verified["ok"] is True and verified["records_checked"] == 5
    bad = client.get("/api/v1/audit/records", params={"to": "tomorrow"})
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "to"


@pytest.mark.parametrize("path", ["/audit", "/audit/verify", "/audit/export.csv", "/api/v1/audit/records",
                                  "/api/v1/audit/verify"])
def test_only_admins_see_the_log(signed_in, path: str) -> None:
    client, who = signed_in
    who["actor"] = ANALYST
    assert client.get(path).status_code == 404
    who["actor"] = None
    response = client.get(path, follow_redirects=False)
    assert response.status_code == (401 if path.startswith("/api/") else 303)
