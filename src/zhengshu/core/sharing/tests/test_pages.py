"""The sharing pages through the real application, as a browser uses them: lists with overdue flags, the
request form, a request page with its history and the action forms (CSRF-protected), grants with revoke and
renew, the needs board. Pages are Chinese, never a traceback."""

from __future__ import annotations

from datetime import date

from conftest import csrf, page
from fastapi.testclient import TestClient

from zhengshu.core.sharing import service
from zhengshu.core.sharing.tests.conftest import (
    ADMIN,
    HEALTH_OFFICER,
    MARKET_OFFICER,
    POLICE_APPROVER,
    POLICE_OFFICER,
    City,
    Clock,
)
from zhengshu.kernel.actor import Actor

Web = tuple[TestClient, dict[str, Actor | None]]


def test_a_request_from_the_form_to_the_grant(city: City, signed_in: Web) -> None:
    web, who = signed_in
    code = city.entry()
    html = page(web.get("/sharing/requests/new", params={"resource_code": code}))
    assert "户籍人口基本信息" in html and "市场主体登记系统" in html and 'value="公民身份号码"' in html
    form = {"csrf_token": csrf(html), "resource_code": code, "client_key": city.client_key,
            "fields": ["姓名", "户籍地址"], "purpose": "企业开办核验", "legal_basis": "《市场主体登记管理条例》",
            "ends_on": "2027-09-29", "filter-0-column": "户籍地址", "filter-0-op": "in",
            "filter-0-value": "海港区，北戴河区"}
    missing = page(web.post("/sharing/requests/new", data={**form, "fields": []}), 400)
    assert "申请的信息项（fields）至少 1 项" in missing and "企业开办核验" in missing  # the form keeps what was typed
    sent = web.post("/sharing/requests/new", data=form)
    assert sent.status_code == 303
    request_id = int(sent.headers["location"].split("/")[-1].split("?")[0])
    html = page(web.get(sent.headers["location"]))
    assert "申请已提交" in html and "待符合性审查" in html and "2026-10-09" in html
    assert "户籍地址 in 海港区，北戴河区" in html and 'data-testid="compliance-form"' not in html

    who["actor"] = ADMIN
    html = page(web.get(f"/sharing/requests/{request_id}"))
    assert 'data-testid="compliance-form"' in html
    no_token = web.post(f"/sharing/requests/{request_id}/compliance", data={"decision": "approve"})
    assert "表单已过期或来源不明" in page(no_token, 400)
    refused = web.post(f"/sharing/requests/{request_id}/compliance",
                       data={"csrf_token": csrf(html), "decision": "refuse", "reason": ""})
    assert "拒绝理由不能为空" in page(refused, 400)
    passed = web.post(f"/sharing/requests/{request_id}/compliance",
                      data={"csrf_token": csrf(html), "decision": "approve"})
    assert passed.status_code == 303 and passed.headers["location"].endswith("?done=compliance")

    who["actor"] = POLICE_APPROVER
    html = page(web.get(f"/sharing/requests/{request_id}"))
    assert 'data-testid="provider-form"' in html and 'name="grant_fields" value="姓名"' in html
    granted = web.post(f"/sharing/requests/{request_id}/provider", data={
        "csrf_token": csrf(html), "decision": "approve", "client_key": city.client_key, "grant_fields": ["姓名"],
        "pseudonymous_fields": [], "expires_on": "2027-06-30", "daily_quota": "200",
        "grant-filter-0-column": "户籍地址", "grant-filter-0-op": "eq", "grant-filter-0-value": "海港区"})
    assert granted.status_code == 303, granted.text[:500]
    html = page(web.get(granted.headers["location"]))
    assert 'data-testid="grant"' in html and "2027-06-30" in html and "提供方同意共享" in html
    grant = service.active_grant(city.platform.uow(), city.client(), code)
    assert grant.fields == ("姓名",) and grant.daily_quota == 200 and grant.row_filters[0].value == "海港区"


def test_lists_flag_overdue_requests(city: City, signed_in: Web, today: Clock) -> None:
    web, who = signed_in
    city.ask(city.entry())
    today.day = date(2026, 10, 12)
    who["actor"] = ADMIN
    html = page(web.get("/sharing"))  # an admin lands on the review queue
    assert 'data-testid="overdue"' in html and "户籍人口基本信息" in html
    html = page(web.get("/sharing", params={"scope": "overdue"}))
    assert html.count('data-testid="overdue">超期') == 1
    who["actor"] = MARKET_OFFICER
    assert 'data-testid="overdue"' in page(web.get("/sharing"))  # my requests
    who["actor"] = HEALTH_OFFICER
    assert "没有申请" in page(web.get("/sharing"))
    assert "数据共享" in page(web.get("/sharing"))  # the navigation item


def test_grants_page_revokes_and_renews(city: City, signed_in: Web) -> None:
    web, who = signed_in
    grant_id = city.granted(city.entry()).grant.grant.id
    html = page(web.get("/sharing/grants"))
    assert "户籍人口基本信息" in html and "/revoke" not in html  # the consumer sees, but may not revoke
    who["actor"] = POLICE_APPROVER
    html = page(web.get("/sharing/grants", params={"side": "provider"}))
    assert f"/sharing/grants/{grant_id}/revoke" in html and f"/sharing/grants/{grant_id}/renew" in html
    early = web.post(f"/sharing/grants/{grant_id}/renew",
                     data={"csrf_token": csrf(html), "side": "provider", "expires_on": "2027-01-01"})
    assert "须晚于当前到期日" in page(early, 400)
    renewed = web.post(f"/sharing/grants/{grant_id}/renew",
                       data={"csrf_token": csrf(html), "side": "provider", "expires_on": "2028-09-29"})
    assert renewed.status_code == 303 and "2028-09-29" in page(web.get(renewed.headers["location"]))
    revoked = web.post(f"/sharing/grants/{grant_id}/revoke",
                       data={"csrf_token": csrf(html), "side": "provider", "reason": "停止合作"})
    html = page(web.get(revoked.headers["location"]))
    assert "授权已撤销" in html and "已撤销" in html and "停止合作" in html


def test_the_needs_board(city: City, signed_in: Web) -> None:
    web, who = signed_in
    html = page(web.get("/sharing/needs"))
    posted = web.post("/sharing/needs", data={"csrf_token": csrf(html), "title": "身份核验",
                                              "description": "需要法定代表人姓名"})
    assert posted.status_code == 303
    code = city.entry()
    who["actor"] = POLICE_OFFICER
    html = page(web.get("/sharing/needs"))
    assert "身份核验" in html and "以本部门资源响应" in html
    need_id = service.list_needs(city.platform.uow(), POLICE_OFFICER)[0].id
    wrong = web.post(f"/sharing/needs/{need_id}/answers", data={"csrf_token": csrf(html), "resource_code": "x"})
    assert wrong.status_code == 404  # not an entry of theirs: not found
    answered = web.post(f"/sharing/needs/{need_id}/answers", data={"csrf_token": csrf(html), "resource_code": code})
    assert answered.status_code == 303
    who["actor"] = MARKET_OFFICER
    html = page(web.get("/sharing/needs"))
    assert f"/sharing/requests/new?resource_code={code}" in html and "关闭需求" in html
