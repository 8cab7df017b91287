"""The calendar JSON API through the real application: a year's days, deadlines, the stable error shape."""

from __future__ import annotations

from conftest import make_actor
from fastapi.testclient import TestClient
from httpx import Response

from zhengshu.kernel.permissions import Role

API = "/api/v1/calendar"


def assert_error(response: Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    assert "Traceback" not in response.text
    return body["error"]


def test_days_of_a_year(signed_in: tuple[TestClient, dict]) -> None:
    client, who = signed_in
    who["actor"] = make_actor(Role.APPROVER, department="130300005")
    body = client.get(f"{API}/days", params={"year": 2026}).json()
    assert body["year"] == 2026 and body["covered"] and body["working_days"] == 248
    assert body["days"][0] == {"day": "2026-01-01", "weekday": "周四", "kind": "holiday", "kind_title": "节假日",
                               "name": "元旦"}
    assert {"day": "2026-09-20", "weekday": "周日", "kind": "workday", "kind_title": "调休上班",
            "name": "调休上班（国庆节）"} in body["days"]
    uncovered = client.get(f"{API}/days", params={"year": 2031}).json()
    assert uncovered["covered"] is False and uncovered["working_days"] is None


def test_deadline(signed_in: tuple[TestClient, dict]) -> None:
    client, who = signed_in
    who["actor"] = make_actor(Role.DATA_OFFICER, department="130300003")
    response = client.get(f"{API}/deadline", params={"start": "2026-09-28", "working_days": 5})
    assert response.status_code == 200, response.text
    assert response.json() == {"start": "2026-09-28", "working_days": 5, "deadline": "2026-10-10",
                               "weekday": "周六", "calendar_days": 12}


def test_deadline_errors(signed_in: tuple[TestClient, dict]) -> None:
    client, _ = signed_in
    error = assert_error(client.get(f"{API}/deadline", params={"start": "2026-12-30", "working_days": 10}),
                         400, "invalid_input")
    assert "2027 年" in error["message"] and error["details"] == {"year": 2027}
    error = assert_error(client.get(f"{API}/deadline", params={"start": "2026-12-30", "working_days": -1}),
                         400, "invalid_input")
    assert error["field"] == "working_days"
    assert_error(client.get(f"{API}/deadline", params={"start": "明天", "working_days": 1}), 422,
                 "invalid_request")


def test_who_may_ask(signed_in: tuple[TestClient, dict]) -> None:
    client, who = signed_in
    who["actor"] = make_actor(None)  # signed in, but no role: a department's system, say
    assert_error(client.get(f"{API}/days", params={"year": 2026}), 404, "not_found")
    who["actor"] = None
    assert_error(client.get(f"{API}/deadline", params={"start": "2026-09-28", "working_days": 5}), 401,
                 "not_authenticated")


def test_the_routes_are_described(signed_in: tuple[TestClient, dict]) -> None:
    client, _ = signed_in
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {f"{API}/days", f"{API}/deadline"} <= set(paths)
