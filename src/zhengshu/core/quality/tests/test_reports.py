"""Quality reports on SQLite and PostgreSQL: the ranking of departments from each resource's latest load, the
lowest-scoring resources each reader may see, a resource's report (trend, masked samples for readers who do not
fix the data), the XLSX of a load and the home-page card."""

from __future__ import annotations

import io

import pytest
from conftest import make_actor
from openpyxl import load_workbook

from zhengshu.core.quality import service
from zhengshu.core.quality.domain.reports import overall_score
from zhengshu.core.quality.tests.conftest import (
    ADMIN,
    ANALYST,
    MARKET,
    MARKET_OFFICER,
    POLICE,
    POLICE_OFFICER,
    City,
)
from zhengshu.kernel.errors import NotFound
from zhengshu.kernel.permissions import Role


def _latest_scores(city: City, code: str, load_id: str) -> dict:
    return service.get_load_result(city.platform.uow(), ADMIN, code, load_id).scores


def test_the_ranking_comes_from_each_resource_s_latest_load(city: City) -> None:
    overview = service.quality_overview(city.platform.uow(), ADMIN)
    people, firms = _latest_scores(city, city.people, "p-2"), _latest_scores(city, city.firms, "f-1")
    assert people != _latest_scores(city, city.people, "p-1")  # the older load does not count
    assert [(d.rank, d.code, d.name, d.resources) for d in overview.departments] == [
        (1, POLICE, "市公安局", 1, ), (2, MARKET, "市市场监管局", 1)]
    police, market = overview.departments
    assert police.scores == people and police.overall == overall_score(people)
    assert market.overall == overall_score(firms) < 80 < police.overall
    assert (police.below, market.below) == (0, 1)
    assert [(r.resource_code, r.resource_name, r.load_id) for r in overview.lowest] == [
        (city.firms, "市场主体登记信息", "f-1"), (city.people, "户籍人口基本信息", "p-2")]
    assert overview.sees_all and not any(d.own for d in overview.departments)


def test_a_department_officer_sees_the_ranking_but_only_their_own_resources(city: City) -> None:
    overview = service.quality_overview(city.platform.uow(), MARKET_OFFICER)
    assert [(d.code, d.own) for d in overview.departments] == [(POLICE, False), (MARKET, True)]
    assert [r.resource_code for r in overview.lowest] == [city.firms]
    assert not overview.sees_all
    with pytest.raises(NotFound):
        service.quality_overview(city.platform.uow(), make_actor(Role.APPROVER, department=MARKET))


def test_results_recorded_before_providers_were_kept_are_placed_through_the_catalogue(city: City, sql) -> None:
    sql("UPDATE quality_load_results SET provider_code = NULL")
    overview = service.quality_overview(city.platform.uow(), ADMIN)
    assert [(d.code, d.resources) for d in overview.departments] == [(POLICE, 1), (MARKET, 1)]


def test_a_resource_s_report_with_its_trend_and_rule_set(city: City) -> None:
    report = service.resource_report(city.platform.uow(), POLICE_OFFICER, city.people)
    assert (report.resource_name, report.provider_name) == ("户籍人口基本信息", "市公安局")
    assert report.latest.load_id == "p-2" and [t.load_id for t in report.trend] == ["p-1", "p-2"]
    assert report.overall == overall_score(report.latest.scores)
    assert report.rules.version is None and report.rules.rule_set.rules and report.can_manage
    assert not report.values_masked
    invalid = [s for s in report.latest.samples if s.rule_id == "i01-valid"]
    assert [(s.row, s.value) for s in invalid] == [(2, "130302199003071235")]
    empty = service.resource_report(city.platform.uow(), POLICE_OFFICER, city.empty)
    assert empty.latest is None and empty.trend == [] and empty.overall is None
    with pytest.raises(NotFound):
        service.resource_report(city.platform.uow(), MARKET_OFFICER, city.people)


def test_readers_who_do_not_fix_the_data_see_sample_values_masked(city: City) -> None:
    report = service.resource_report(city.platform.uow(), ANALYST, city.people)
    assert report.values_masked and not report.can_manage
    invalid = [s for s in report.latest.samples if s.rule_id == "i01-valid"]
    assert [s.value for s in invalid] == ["1****************5"]
    detail = service.get_load_result(city.platform.uow(), ANALYST, city.people, "p-2")
    assert "130302199003071235" not in detail.model_dump_json()


def test_the_xlsx_report_of_a_load(city: City) -> None:
    name, content = service.load_report_workbook(city.platform.uow(), POLICE_OFFICER, city.people, "p-2")
    assert name == f"质量报告-{city.people}-p-2.xlsx"
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["概要", "规则", "问题样例"]
    summary = {r[0]: r[1] for r in book["概要"].iter_rows(values_only=True) if r[0]}
    detail = service.get_load_result(city.platform.uow(), POLICE_OFFICER, city.people, "p-2")
    assert summary["加载编号"] == "p-2" and summary["记录数"] == 4 and summary["拒收行数"] == 2
    assert summary["资源名称"] == "户籍人口基本信息" and summary["规范性"] == detail.scores["规范性"]
    assert summary["时效性"] == detail.scores["时效性"] and summary["综合得分"] == overall_score(detail.scores)
    rules = list(book["规则"].iter_rows(values_only=True))
    assert rules[0][:2] == ("规则", "质量维度") and len(rules) == len(detail.rules) + 1
    valid = next(r for r in rules if r[0] == "i01-valid")
    assert (valid[5], valid[6], valid[7]) == (3, 1, pytest.approx(1 / 3))
    samples = list(book["问题样例"].iter_rows(values_only=True))[1:]
    assert (2, "公民身份号码", "130302199003071235", "i01-valid") in [s[:4] for s in samples]
    assert len(samples) == len(detail.samples)
    with pytest.raises(NotFound):
        service.load_report_workbook(city.platform.uow(), POLICE_OFFICER, city.people, "p-9")


def test_home_cards(city: City) -> None:
    [police] = service.home_cards(city.platform.uow(), POLICE_OFFICER)
    assert (police.title, police.value, police.tone) == ("本部门质量得分低于 80 分的资源", 0, "normal")
    assert police.link == f"/quality/resources/{city.people}" and "户籍人口基本信息" in police.note
    [market] = service.home_cards(city.platform.uow(), MARKET_OFFICER)
    assert (market.value, market.tone, market.link) == (1, "warning", f"/quality/resources/{city.firms}")
    [everyone] = service.home_cards(city.platform.uow(), ADMIN)
    assert (everyone.title, everyone.value, everyone.link) == ("全市质量得分低于 80 分的资源", 1, "/quality")
    assert service.home_cards(city.platform.uow(), make_actor(Role.APPROVER, department=MARKET)) == []
    assert service.home_cards(city.platform.uow(), make_actor(Role.DATA_OFFICER, department="130300008")) == []


def test_a_department_s_report(city: City, sql) -> None:
    report = service.department_report(city.platform.uow(), POLICE_OFFICER, POLICE)
    assert (report.name, report.departments, report.standing.rank) == ("市公安局", 2, 1)
    assert [(r.resource_code, r.load_id) for r in report.resources] == [(city.people, "p-2")]
    assert report.standing.scores == _latest_scores(city, city.people, "p-2")
    overview = service.quality_overview(city.platform.uow(), POLICE_OFFICER)
    assert [(d.code, d.viewable) for d in overview.departments] == [(POLICE, True), (MARKET, False)]
    for department in (MARKET, "130300999"):
        with pytest.raises(NotFound):
            service.department_report(city.platform.uow(), POLICE_OFFICER, department)
    with pytest.raises(NotFound, match="没有代码为 130300999 的部门"):
        service.department_report(city.platform.uow(), ADMIN, "130300999")
    quiet = service.department_report(city.platform.uow(), ADMIN, "130300008")
    assert quiet.standing is None and quiet.resources == []
    sql("UPDATE quality_load_results SET provider_code = NULL")  # an officer's card still finds their resources
    [card] = service.home_cards(city.platform.uow(), MARKET_OFFICER)
    assert (card.value, card.link) == (1, f"/quality/resources/{city.firms}")
