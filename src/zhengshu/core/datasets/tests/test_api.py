"""The dataset JSON routes through the real application: staff only, one error shape, filters in the URL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.core.datasets.schemas import VersionView
from zhengshu.core.datasets.tests.conftest import HUKOU, MARKET_OFFICER, POLICE_OFFICER, people
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.modules import Platform

BASE = "/api/v1/datasets"


@pytest.fixture
def signed_in(seeded: Platform, hukou: VersionView) -> Iterator[tuple[TestClient, dict]]:
    """A client and a switch saying who is signed in (`who["actor"]`, None for nobody)."""
    app = create_app(seeded)
    who: dict = {"actor": POLICE_OFFICER}
    app.state.authenticate = lambda request: who["actor"]
    with TestClient(app) as client:
        yield client, who


def test_list_versions_and_records(signed_in) -> None:
    client, _ = signed_in
    [listed] = client.get(BASE).json()
    assert (listed["code"], listed["current_version"], listed["current_row_count"]) == (HUKOU, 1, 60)
    [version] = client.get(f"{BASE}/{HUKOU}/versions").json()
    assert (version["version"], version["status"], version["current"]) == (1, "ready", True)

    params = {"columns": "身份证号,电话,出生日期", "sort": "-出生日期", "limit": 5, "区划": "130303",
              "年龄[ge]": "25"}
    body = client.get(f"{BASE}/{HUKOU}/records", params=params).json()
    assert [c["name"] for c in body["columns"]] == ["身份证号", "电话", "出生日期"]
    assert len(body["rows"]) == 5 and body["next"]
    first = body["rows"][0]
    assert isinstance(first["身份证号"], str) and first["电话"].startswith("0")
    expected = (people().filter((people()["区划"] == "130303") & (people()["年龄"] >= 25))
                .sort("出生日期", descending=True, maintain_order=True))
    seen = [r["身份证号"] for r in body["rows"]]
    while body["next"]:
        body = client.get(f"{BASE}/{HUKOU}/records", params=params | {"after": body["next"]}).json()
        seen += [r["身份证号"] for r in body["rows"]]
    assert seen == expected["身份证号"].to_list()

    in_body = client.get(f"{BASE}/{HUKOU}/records?columns=区划&区划[in]=130302&区划[in]=130304&limit=1000").json()
    assert {r["区划"] for r in in_body["rows"]} == {"130302", "130304"} and len(in_body["rows"]) == 30


@pytest.mark.parametrize(("query", "status", "field"), [
    ("columns=学历", 400, "学历"),
    ("学历=本科", 400, "学历"),
    ("姓名[like]=张%25", 400, "姓名"),
    ("limit=5000", 400, "limit"),
    ("limit=many", 422, None),
    ("after=nonsense", 400, "after"),
    ("年龄=十八", 400, "年龄"),
])
def test_bad_requests_name_the_problem(signed_in, query: str, status: int, field: str | None) -> None:
    client, _ = signed_in
    response = client.get(f"{BASE}/{HUKOU}/records?{query}")
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert set(error) == {"code", "message", "field", "details"} and error["message"]
    if field is not None:
        assert error["field"] == field


def test_only_staff_of_the_owning_department_read(signed_in) -> None:
    client, who = signed_in
    who["actor"] = MARKET_OFFICER
    assert client.get(BASE).json() == []
    for path in (f"{BASE}/{HUKOU}/versions", f"{BASE}/{HUKOU}/records"):
        response = client.get(path)
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    who["actor"] = Actor(kind=ActorKind.CLIENT, id="ak-police", name="公安系统", department_code="130300003")
    assert client.get(f"{BASE}/{HUKOU}/records").status_code == 404  # systems read through the exchange
    who["actor"] = None
    assert client.get(f"{BASE}/{HUKOU}/records").status_code == 401
