"""The catalogue's JSON API through the real application: the happy path of a resource's life, and errors in
the one stable shape."""

from __future__ import annotations

from typing import Any

from httpx import Response

from zhengshu.core.catalog.tests.conftest import ANALYST, COLUMNS, MARKET_OFFICER, POLICE_OFFICER, entry_payload

API = "/api/v1/catalog/entries"


def ok(response: Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def assert_error(response: Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    assert "Traceback" not in response.text
    return body["error"]


def test_a_resource_from_registration_to_retirement(signed_in) -> None:
    client, who = signed_in
    created = ok(client.post(API, json=entry_payload()), 201)
    code = created["entry"]["code"]
    assert code == "101001-0001" and created["entry"]["status"] == {"value": "registered", "label": "已注册"}
    assert created["entry"]["sharing"]["mode"] == {"value": "api", "label": "接口"}
    changed = dict(entry_payload(), name="户籍人口信息")
    for key in ("classification", "provider_code"):
        changed.pop(key)
    assert ok(client.put(f"{API}/{code}", json=changed))["entry"]["name"] == "户籍人口信息"
    mount = {"kind": "dataset", "reference": "gongan.population", "columns": COLUMNS}
    assert ok(client.post(f"{API}/{code}/mount", json=mount))["entry"]["status"]["value"] == "mounted"
    published = ok(client.post(f"{API}/{code}/publish"))
    assert published["entry"]["published_on"] and published["versions"][0]["version"] == 1

    who["actor"] = ANALYST  # published: every staff member sees it
    page = ok(client.get(API, params={"sharing_type": "conditional", "text": "户籍"}))
    assert [e["code"] for e in page["entries"]] == [code] and page["total"] == 1 and not page["can_register"]
    assert page["facets"]["directory"] == [{"value": "base", "label": "基础信息资源目录", "count": 1}]
    exported = client.get(f"{API}/export.json")
    assert "attachment" in exported.headers["content-disposition"]
    body = ok(exported)
    assert body["count"] == 1 and [i["name"] for i in body["entries"][0]["items"]] == COLUMNS
    assert ok(client.get(f"{API}/{code}/versions/1"))["name"] == "户籍人口信息"

    who["actor"] = POLICE_OFFICER
    retired = ok(client.post(f"{API}/{code}/retire", json={"reason": "由新资源替代"}))
    assert [h["action"]["value"] for h in retired["history"]] == ["registered", "updated", "mounted", "published",
                                                                 "retired"]


def test_errors_have_one_shape(signed_in) -> None:
    client, who = signed_in
    sharing = {"type": "conditional", "condition": "核验", "mode": "api"}  # no legal basis
    error = assert_error(client.post(API, json=entry_payload(sharing=sharing)), 400, "invalid_input")
    assert error["field"] == "sharing_basis" and "依据" in error["message"]
    error = assert_error(client.post(API, json={"provider_code": "130300003"}), 422, "invalid_request")
    assert error["details"]["problems"]
    code = ok(client.post(API, json=entry_payload()), 201)["entry"]["code"]
    error = assert_error(client.post(f"{API}/{code}/publish"), 409, "conflict")
    assert "尚未挂接" in error["message"]
    bad_mount = {"kind": "dataset", "reference": "gongan.population", "columns": ["姓名"]}
    error = assert_error(client.post(f"{API}/{code}/mount", json=bad_mount), 400, "invalid_input")
    assert error["field"] == "columns" and error["details"]["extra"] == []
    assert_error(client.get(f"{API}/not-a-code"), 404, "not_found")
    who["actor"] = MARKET_OFFICER  # another department: the draft does not exist for them
    assert_error(client.get(f"{API}/{code}"), 404, "not_found")
    assert_error(client.post(f"{API}/{code}/mount", json=bad_mount), 404, "not_found")
    who["actor"] = None
    assert_error(client.get(API), 401, "not_authenticated")
