"""The staff's pages: a data officer proposes through the form and reads the gate's refusals field by field;
the data authority approves and withdraws; a provider reviews an application."""

from __future__ import annotations

from conftest import csrf, page, web_as

from zhengshu.core.opendata import service
from zhengshu.core.opendata.schemas import ApplicationInput, DeveloperSignUp
from zhengshu.core.opendata.tests.conftest import AUTHORITY, ECO, POLICE, officer
from zhengshu.kernel.actor import PUBLIC


def test_officer_proposes_the_gate_explains_and_the_authority_approves(city) -> None:
    with web_as(city.platform, officer(POLICE)) as (http, who):
        token = csrf(page(http.get("/opendata")))
        refused = http.post("/opendata/proposals", data={
            "csrf_token": token, "entry_code": city.people_entry, "code": "residents", "title": "居民名册",
            "theme": "social"})
        assert refused.status_code == 303
        html = page(http.get(refused.headers["location"]))
        assert "未通过隐私检查" in html and 'id="refusals"' in html
        assert "“姓名”" in html and "“手机号”" in html and "不满足 k-匿名" in html
        bad = http.post("/opendata/proposals", data={"csrf_token": token, "entry_code": city.people_entry,
                                                      "code": "Bad Code", "title": "x", "theme": "social"})
        assert "开放数据集代码须为" in page(bad, 400) and 'value="x"' in bad.text  # what was typed is kept
        view = http.post("/opendata/proposals", data={"csrf_token": token, "entry_code": city.people_entry,
                                                       "code": "residents-n", "title": "居民数", "theme": "social",
                                                       "view": "{not json"})
        assert "派生视图须为 JSON" in page(view, 400)

        who["actor"] = officer(ECO)
        made = http.post("/opendata/proposals", data={"csrf_token": token, "entry_code": city.air_entry,
                                                       "code": "air", "title": "空气质量", "theme": "environment"})
        assert "待审批" in page(http.get(made.headers["location"]))
        assert "同意开放" not in page(http.get("/opendata/openings/air"))  # an officer cannot approve

        who["actor"] = AUTHORITY
        approved = http.post("/opendata/openings/air/decision", data={"csrf_token": token, "approve": "yes"})
        assert approved.status_code == 303
        assert 'id="status">已开放<' in page(http.get("/opendata/openings/air"))
        rejected = http.post("/opendata/openings/air/withdrawal", data={"csrf_token": token, "reason": ""})
        assert "撤回原因" in page(rejected, 400)
        http.post("/opendata/openings/air/withdrawal", data={"csrf_token": token, "reason": "数据核查"})
        assert 'id="status">已撤回<' in page(http.get("/opendata/openings/air"))


def test_provider_reviews_an_application(city) -> None:
    from zhengshu.core.opendata.schemas import DecisionInput, ProposalInput

    service.propose(city.uow(), officer(POLICE), city.ctx, ProposalInput(
        entry_code=city.people_entry, code="residents-count", title="居民按区划统计", theme="social",
        view={"group_by": ["区划"]}))
    service.decide(city.uow(), AUTHORITY, city.ctx, "residents-count", DecisionInput(approve=True))
    key = service.sign_up(city.uow(), PUBLIC, DeveloperSignUp(name="研究组", email="lab@example.cn"))
    caller = service.caller_for_key(city.uow(), PUBLIC, key.key)
    application = service.apply(city.uow(), PUBLIC, caller, "residents-count",
                                ApplicationInput(purpose="人口结构研究", accept_conditions=True))
    with web_as(city.platform, officer(POLICE)) as (http, _):
        html = page(http.get("/opendata/applications"))
        assert "人口结构研究" in html and "待审核" in html
        http.post(f"/opendata/applications/{application.id}/review", data={"csrf_token": csrf(html), "approve": "yes"})
        assert "已通过" in page(http.get("/opendata/applications"))
