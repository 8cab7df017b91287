"""The calendar page through the real application: a year view for staff, and for administrators the
CSRF-protected forms that set and remove a day."""

from __future__ import annotations

from collections.abc import Callable

from conftest import make_actor
from fastapi.testclient import TestClient

from zhengshu.kernel.permissions import Role

Client = tuple[TestClient, dict]


def test_staff_see_the_year_without_forms(signed_in: Client) -> None:
    client, who = signed_in
    who["actor"] = make_actor(Role.ANALYST, name="赵六")
    page = client.get("/calendar", params={"year": 2026})
    assert page.status_code == 200 and '<html lang="zh-CN">' in page.text
    html = page.text
    assert "工作日历 · 2026 年" in html and 'data-testid="working-days">248<' in html
    assert "<td>2026-10-01</td><td>周四</td>" in html and "调休上班（国庆节）" in html
    assert 'href="/calendar"' in html  # in the navigation
    assert 'action="/calendar/days"' not in html and "删除" not in html


def test_a_year_without_data_says_so(signed_in: Client) -> None:
    client, who = signed_in
    who["actor"] = make_actor(Role.ANALYST)
    html = client.get("/calendar", params={"year": 2028}).text
    assert "尚未录入 2028 年的节假日与调休安排" in html and "请联系平台管理员录入" in html


def test_an_administrator_sets_and_removes_a_day(signed_in: Client, csrf_of: Callable[[str], str]) -> None:
    client, _ = signed_in  # the platform admin
    page = client.get("/calendar", params={"year": 2027})
    assert 'action="/calendar/days"' in page.text
    token = csrf_of(page.text)
    saved = client.post("/calendar/days", data={"csrf_token": token, "day": "2027-10-01", "kind": "holiday",
                                                "name": "国庆节", "year": "2027"})
    assert saved.status_code == 200, saved.text
    assert "已设置 2027-10-01（周五）为节假日：国庆节" in saved.text and "<td>2027-10-01</td>" in saved.text

    refused = client.post("/calendar/days", data={"csrf_token": token, "day": "2027-10-04", "kind": "workday",
                                                  "name": "调休上班", "year": "2027"})
    assert refused.status_code == 400 and "只能设在周六或周日" in refused.text
    assert 'value="调休上班"' in refused.text  # the form keeps what was typed

    removed = client.post("/calendar/days/remove", data={"csrf_token": token, "day": "2027-10-01"})
    assert removed.status_code == 200 and "已删除 2027-10-01 的安排" in removed.text
    assert "<td>2027-10-01</td>" not in removed.text


def test_forms_need_the_csrf_token(signed_in: Client) -> None:
    client, _ = signed_in
    client.get("/calendar")
    response = client.post("/calendar/days/remove", data={"day": "2026-10-01"})
    assert response.status_code == 400 and "表单已过期" in response.text
    response = client.post("/calendar/days", data={"csrf_token": "forged", "day": "2026-10-12",
                                                   "kind": "holiday", "name": "国庆节"})
    assert response.status_code == 400
    assert "<td>2026-10-01</td>" in client.get("/calendar", params={"year": 2026}).text  # still there


def test_staff_cannot_post_changes(signed_in: Client, csrf_of: Callable[[str], str]) -> None:
    client, who = signed_in
    who["actor"] = make_actor(Role.DATA_OFFICER, department="130300003")
    token = csrf_of(client.get("/calendar").text)
    response = client.post("/calendar/days/remove", data={"csrf_token": token, "day": "2026-10-01"})
    assert response.status_code == 404 and "未找到" in response.text
    assert "<td>2026-10-01</td>" in client.get("/calendar", params={"year": 2026}).text
