"""The quality JSON API: the overview, a resource's loads and a load's detail, the rule set in force and saving
a new version with PUT (a bad one refused with its message, nothing saved); other departments get 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from zhengshu.core.quality import service
from zhengshu.core.quality.tests.conftest import ADMIN, MARKET, MARKET_OFFICER, POLICE, POLICE_OFFICER, City
from zhengshu.kernel.actor import Actor

Web = tuple[TestClient, dict[str, Actor | None]]


def test_reads(city: City, signed_in: Web) -> None:
    web, who = signed_in
    who["actor"] = ADMIN
    overview = web.get("/api/v1/quality/overview").json()
    assert [(d["rank"], d["code"]) for d in overview["departments"]] == [(1, POLICE), (2, MARKET)]
    assert [r["resource_code"] for r in overview["lowest"]] == [city.firms, city.people]
    department = web.get(f"/api/v1/quality/departments/{MARKET}").json()
    assert department["standing"]["rank"] == 2 and [r["load_id"] for r in department["resources"]] == ["f-1"]
    who["actor"] = POLICE_OFFICER
    loads = web.get(f"/api/v1/quality/resources/{city.people}/loads").json()
    assert [(x["load_id"], x["rows"], x["rejected"]) for x in loads] == [("p-2", 4, 2), ("p-1", 2, 1)]
    detail = web.get(f"/api/v1/quality/resources/{city.people}/loads/p-2").json()
    assert detail["scores"] == loads[0]["scores"] and detail["rules"][0]["failed"] > 0
    assert {"rule_id": "i01-valid", "row": 2, "field": "公民身份号码", "value": "130302199003071235",
            "message": "公民身份号码不是有效的公民身份号码（GB 11643）"} in detail["samples"]
    missing = web.get(f"/api/v1/quality/resources/{city.people}/loads/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"]
    rules = web.get(f"/api/v1/quality/resources/{city.people}/rules").json()
    assert rules["version"] is None and rules["can_manage"] and rules["rule_set"]["rules"]
    who["actor"] = MARKET_OFFICER
    for path in (f"/api/v1/quality/resources/{city.people}/loads", f"/api/v1/quality/resources/{city.people}/rules",
                 f"/api/v1/quality/resources/{city.people}/loads/p-2"):
        assert web.get(path).status_code == 404


def test_saving_a_rule_set(city: City, signed_in: Web) -> None:
    web, who = signed_in
    path = f"/api/v1/quality/resources/{city.people}/rules"
    bad = web.put(path, json={"rules": [{"id": "r1", "kind": "completeness", "message": "m"}]})
    assert bad.status_code == 400 and "规则 r1（第 1 条）字段 field：必填" in bad.json()["error"]["message"]
    assert service.get_rule_set(city.platform.uow(), POLICE_OFFICER, city.people) is None
    body = {"standardisers": {"姓名": "name"},
            "rules": [{"id": "name-required", "kind": "completeness", "field": "姓名", "message": "姓名不能为空"}]}
    saved = web.put(path, json=body)
    assert saved.status_code == 200 and saved.json()["version"] == 1
    assert web.get(path).json()["rule_set"]["rules"][0]["id"] == "name-required"
    who["actor"] = MARKET_OFFICER
    assert web.put(path, json=body).status_code == 404
