"""The sharing JSON API through the real application: the whole flow as each party, the client's own grant,
and refusals in the one error shape (404 for the wrong department, 409 for four eyes, 400 for a broken rule)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from zhengshu.core.sharing.tests.conftest import (
    ADMIN,
    HEALTH_OFFICER,
    MARKET_ADMIN,
    MARKET_OFFICER,
    POLICE_APPROVER,
    City,
)
from zhengshu.kernel.actor import Actor

API = "/api/v1/sharing"


def body(code: str, client_key: str, **changes: object) -> dict:
    payload = {"resource_code": code, "client_key": client_key, "fields": ["姓名", "户籍地址"],
               "purpose": "企业开办核验", "legal_basis": "《市场主体登记管理条例》", "ends_on": "2027-09-29"}
    payload.update(changes)
    return payload


def test_the_whole_flow_through_the_api(city: City, signed_in: tuple[TestClient, dict[str, Actor | None]]) -> None:
    web, who = signed_in
    code = city.entry()
    form = web.get(f"{API}/requests/form", params={"resource_code": code}).json()
    assert form["items"] == ["公民身份号码", "姓名", "出生日期", "户籍地址"]
    assert [c["client_key"] for c in form["clients"]] == [city.client_key]
    created = web.post(f"{API}/requests", json=body(code, city.client_key))
    assert created.status_code == 201, created.text
    request_id = created.json()["request"]["id"]
    assert created.json()["request"]["due_on"] == "2026-10-09"

    who["actor"] = MARKET_ADMIN
    refused = web.post(f"{API}/requests/{request_id}/compliance", json={"approve": True})
    assert refused.status_code == 409 and "四眼原则" in refused.json()["error"]["message"]
    who["actor"] = ADMIN
    assert [r["id"] for r in web.get(f"{API}/requests", params={"scope": "review"}).json()] == [request_id]
    passed = web.post(f"{API}/requests/{request_id}/compliance", json={"approve": True})
    assert passed.status_code == 200 and passed.json()["request"]["status"]["value"] == "provider_review"

    who["actor"] = POLICE_APPROVER
    detail = web.get(f"{API}/requests/{request_id}").json()
    assert detail["actions"] == ["review_provider"] and detail["available_fields"] == ["姓名", "户籍地址"]
    granted = web.post(f"{API}/requests/{request_id}/provider",
                       json={"approve": True, "grant": {"fields": ["姓名"], "daily_quota": 100}})
    assert granted.status_code == 200, granted.text
    grant = granted.json()["grant"]["grant"]
    assert grant["fields"] == ["姓名"] and grant["daily_quota"] == 100 and grant["status"] == "active"

    who["actor"] = city.client()
    mine = web.get(f"{API}/grants/active", params={"resource_code": code})
    assert mine.status_code == 200 and mine.json() == grant
    who["actor"] = POLICE_APPROVER
    revoked = web.post(f"{API}/grants/{grant['id']}/revoke", json={"reason": "停止使用"})
    assert revoked.status_code == 200 and revoked.json()["state"]["value"] == "revoked"
    who["actor"] = city.client()
    gone = web.get(f"{API}/grants/active", params={"resource_code": code})
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "not_found"


def test_refusals_in_the_one_error_shape(city: City, signed_in: tuple[TestClient, dict[str, Actor | None]]) -> None:
    web, who = signed_in
    code = city.entry()
    bad = web.post(f"{API}/requests", json=body(code, city.client_key, fields=["婚姻状况"]))
    assert bad.status_code == 400 and bad.json()["error"]["field"] == "fields"
    assert web.post(f"{API}/requests", json={"resource_code": code}).status_code == 422
    request_id = web.post(f"{API}/requests", json=body(code, city.client_key)).json()["request"]["id"]
    who["actor"] = HEALTH_OFFICER
    hidden = web.get(f"{API}/requests/{request_id}")
    assert hidden.status_code == 404 and hidden.json()["error"]["message"] == "未找到，或您无权访问。"
    who["actor"] = ADMIN
    no_reason = web.post(f"{API}/requests/{request_id}/compliance", json={"approve": False})
    assert no_reason.status_code == 400 and no_reason.json()["error"]["field"] == "reason"
    who["actor"] = None
    assert web.get(f"{API}/requests").status_code == 401
    who["actor"] = MARKET_OFFICER
    assert web.get(f"{API}/digest").status_code == 404
    who["actor"] = ADMIN
    assert web.get(f"{API}/digest").json()["overdue"] == []
    assert web.get(f"{API}/summary").json()["to_review"] == 1


def test_the_board_through_the_api(city: City, signed_in: tuple[TestClient, dict[str, Actor | None]]) -> None:
    web, who = signed_in
    from zhengshu.core.sharing.tests.conftest import POLICE_OFFICER

    posted = web.post(f"{API}/needs", json={"title": "身份核验", "description": "需要姓名"})
    assert posted.status_code == 201
    need_id = posted.json()["id"]
    who["actor"] = POLICE_OFFICER
    answered = web.post(f"{API}/needs/{need_id}/answers", json={"resource_code": city.entry()})
    assert answered.status_code == 201 and len(answered.json()["answers"]) == 1
    assert web.post(f"{API}/needs/{need_id}/close").status_code == 404
    who["actor"] = MARKET_OFFICER
    assert web.post(f"{API}/needs/{need_id}/close").json()["status"]["value"] == "closed"
    assert web.get(f"{API}/needs", params={"status": ""}).json()[0]["id"] == need_id
