"""The catalogue's pages through the real application, as a browser uses them: browse with facets, register
with item rows through a CSRF-protected form, the entry page and its lifecycle forms, edits, refusals."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from httpx import Response

from zhengshu.core.catalog.tests.conftest import ANALYST, MARKET_OFFICER, POLICE

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def page(response: Response, status: int = 200) -> str:
    assert response.status_code == status, response.text[:800]
    assert response.headers["content-type"].startswith("text/html")
    assert "Traceback" not in response.text
    return response.text


def csrf(client: TestClient, path: str = "/catalog/register") -> str:
    match = CSRF.search(client.get(path).text)
    assert match
    return match.group(1)


def form(token: str, **changes: str) -> dict[str, str]:
    fields = {
        "csrf_token": token, "directory": "base", "section": "01", "heading": "001", "subheading": "",
        "provider_code": POLICE, "name": "户籍人口基本信息", "abstract": "本市户籍人口。",
        "format_type": "spreadsheet", "format_detail": "xlsx", "update_cycle": "monthly", "owner": "王数据",
        "contact": "0335-3000000", "sharing_type": "unconditional", "sharing_mode": "api", "opening_type": "none",
        "related_codes": "101002-0001, 101002-0002",
        "item-0-name": "公民身份号码", "item-0-data_type": "C", "item-0-length": "18", "item-0-level": "important",
        "item-0-personal_info": "sensitive", "item-0-is_key": "1",
        "item-1-name": "姓名", "item-1-data_type": "C", "item-1-length": "50", "item-1-level": "general",
        "item-1-personal_info": "general",
        "item-2-name": "", "item-2-data_type": "C", "item-2-length": "", "item-2-level": "general",
        "item-2-personal_info": "none",
    }
    fields.update(changes)
    return fields


def test_register_mount_publish_and_retire_through_the_pages(signed_in) -> None:
    client, who = signed_in
    html = page(client.get("/catalog/register"))
    assert "注册资源" in html and 'name="item-2-name"' in html and "市公安局" in html
    assert 'href="/catalog"' in html and "资源目录" in html  # the module's nav item
    token = csrf(client)
    response = client.post("/catalog/register", data=form(token))
    assert response.status_code == 303 and response.headers["location"] == "/catalog/entries/101001-0001"
    html = page(client.get("/catalog/entries/101001-0001"))
    assert "户籍人口基本信息" in html and "敏感个人信息" in html and "重要数据" in html
    assert "101002-0002" in html and 'data-testid="manage"' in html and "注册" in html
    response = client.post("/catalog/entries/101001-0001/mount",
                           data={"csrf_token": token, "kind": "dataset", "reference": "gongan.population",
                                 "columns": "公民身份号码\n姓名"})
    assert response.status_code == 303 and response.headers["location"].endswith("done=mounted")
    response = client.post("/catalog/entries/101001-0001/publish", data={"csrf_token": token})
    assert response.status_code == 303
    html = page(client.get(response.headers["location"]))
    assert "已发布，全体工作人员现在可以看到此资源" in html and "第 1 版" in html

    who["actor"] = ANALYST
    html = page(client.get("/catalog"))
    assert "101001-0001" in html and 'data-testid="facet-directory"' in html and "基础信息资源目录" in html
    assert "注册资源</a>" not in html
    assert 'data-testid="manage"' not in page(client.get("/catalog/entries/101001-0001"))

    who["actor"] = None
    assert client.get("/catalog").status_code == 303  # to the sign-in page


def test_a_broken_rule_is_shown_on_the_form_which_keeps_what_was_typed(signed_in) -> None:
    client, _ = signed_in
    token = csrf(client)
    html = page(client.post("/catalog/register", data=form(token, sharing_type="conditional",
                                                           sharing_condition="核验")), 400)
    assert "有条件共享须写明法律" in html and 'value="户籍人口基本信息"' in html and 'value="公民身份号码"' in html
    html = page(client.post("/catalog/register", data=form(token, **{"item-1-length": "五十"})), 400)
    assert "第 2 行信息项“姓名”的长度须为整数" in html
    html = page(client.post("/catalog/register", data=form("forged")), 400)
    assert "表单已过期" in html


def test_lifecycle_refusals_are_shown_on_the_entry_page(signed_in) -> None:
    client, _ = signed_in
    token = csrf(client)
    client.post("/catalog/register", data=form(token))
    html = page(client.post("/catalog/entries/101001-0001/publish", data={"csrf_token": token}), 409)
    assert "尚未挂接" in html
    html = page(client.post("/catalog/entries/101001-0001/mount",
                            data={"csrf_token": token, "kind": "dataset", "reference": "gongan.population",
                                  "columns": "姓名"}), 400)
    assert "数据集缺少信息项：公民身份号码" in html


def test_editing_an_entry(signed_in) -> None:
    client, _ = signed_in
    token = csrf(client)
    client.post("/catalog/register", data=form(token))
    html = page(client.get("/catalog/entries/101001-0001/edit"))
    assert 'value="户籍人口基本信息"' in html and 'value="公民身份号码"' in html and 'name="directory"' not in html
    changes = {k: v for k, v in form(token, name="户籍人口信息").items()
               if k not in ("directory", "section", "heading", "subheading", "provider_code")}
    response = client.post("/catalog/entries/101001-0001/edit", data=changes)
    assert response.status_code == 303
    assert "户籍人口信息" in page(client.get("/catalog/entries/101001-0001"))


def test_other_departments_do_not_see_a_draft(signed_in) -> None:
    client, who = signed_in
    client.post("/catalog/register", data=form(csrf(client)))
    who["actor"] = MARKET_OFFICER
    assert "未找到，或您无权访问" in page(client.get("/catalog/entries/101001-0001"), 404)
    assert "101001-0001" not in page(client.get("/catalog"))
    page(client.get("/catalog/entries/101001-0001/edit"), 404)
    html = page(client.get("/catalog/register"))
    assert "市市场监管局" in html and "市公安局" not in html
