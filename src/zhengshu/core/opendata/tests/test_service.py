"""The opening workflow on the real databases: propose → gate → approve → serve; refusals on identifying data;
a new version that fails the gate withdraws the dataset; records, downloads, developers and applications."""

from __future__ import annotations

import json

import polars as pl
import pytest
from conftest import make_actor

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryUpdate
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import Filter, RecordQuery
from zhengshu.core.opendata import service
from zhengshu.core.opendata.schemas import (
    ApplicationInput,
    DecisionInput,
    DeveloperSignUp,
    ProposalInput,
    ReviewInput,
)
from zhengshu.core.opendata.tests.conftest import AUTHORITY, ECO, POLICE, air, officer, open_air
from zhengshu.kernel.actor import PUBLIC
from zhengshu.kernel.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from zhengshu.kernel.permissions import Role


def test_open_whole_dataset_then_serve_its_records(city, audit_trail) -> None:
    open_air(city)
    page = service.records(city.uow(), PUBLIC, city.ctx, "air-quality-daily",
                           RecordQuery(filters=(Filter("区划", "eq", "130302"),), sort=(("日期", "desc"),),
                                       limit=4), with_total=True)
    assert page.total == 10 and len(page.rows) == 4 and page.next
    assert {r["站点"] for r in page.rows} == {"监测站甲"} and page.rows[0]["日期"] > page.rows[-1]["日期"]
    home = service.home(city.uow(), PUBLIC)
    assert home.total == 1 and home.themes[0].label == "生态环境" and home.most_used[0].uses == 1
    actions = [a[0] for a in audit_trail() if a[0].startswith("opendata.")]
    assert actions == ["opendata.opening_proposed", "opendata.opening_decided"]


def test_home_cards_say_what_needs_attention(city) -> None:
    service.propose(city.uow(), officer(ECO), city.ctx, ProposalInput(
        entry_code=city.air_entry, code="air", title="空气", theme="environment"))
    service.propose(city.uow(), officer(POLICE), city.ctx, ProposalInput(
        entry_code=city.people_entry, code="residents", title="居民", theme="social"))
    cards = {c.title: c for c in service.home_cards(city.uow(), AUTHORITY)}
    assert cards["待审批的开放申请"].value == 1 and cards["全市已开放的数据集"].value == 0
    assert cards["全市未通过隐私检查或已撤回"].note == "未通过 1 项，已撤回 0 项"
    assert "待审批的开放申请" not in {c.title for c in service.home_cards(city.uow(), officer(ECO))}
    assert service.home_cards(city.uow(), PUBLIC) == []


def test_gate_refuses_identifying_fields_with_reasons(city) -> None:
    detail = service.propose(city.uow(), officer(POLICE), city.ctx, ProposalInput(
        entry_code=city.people_entry, code="residents", title="居民名册", theme="social"))
    report = detail.opening.gate_report
    assert detail.opening.status.value == "refused" and not report["passed"]
    rules = {r["field"]: r["rule"] for r in report["refusals"]}
    assert rules["姓名"] == "direct_identifier" and rules["手机号"] == "direct_identifier"
    assert rules["出生日期"] == "k_anonymity" and rules["性别"] == "k_anonymity"
    assert any("手机号码" in r["message"] for r in report["refusals"] if r["field"] == "手机号")
    with pytest.raises(Conflict):  # a refused proposal cannot be approved
        service.decide(city.uow(), AUTHORITY, city.ctx, "residents", DecisionInput(approve=True))
    with pytest.raises(NotFound):  # nor does it exist for the public
        service.dataset(city.uow(), PUBLIC, city.ctx, "residents")


def test_an_aggregated_view_of_identifying_data_opens_with_small_cells_suppressed(city) -> None:
    view = {"group_by": ["区划", "出生日期"], "generalise": {"出生日期": "year"}}
    detail = service.propose(city.uow(), officer(POLICE), city.ctx, ProposalInput(
        entry_code=city.people_entry, code="residents-by-district", title="居民按区划与出生年份统计",
        theme="social", view=view))
    assert detail.opening.status.value == "proposed", detail.opening.gate_report
    service.decide(city.uow(), AUTHORITY, city.ctx, "residents-by-district", DecisionInput(approve=True))
    # 40 residents over 37 birth years: no cell reaches k = 5, every one is suppressed
    shown = service.dataset(city.uow(), PUBLIC, city.ctx, "residents-by-district").opening
    assert shown.row_count == 0 and [c.name for c in shown.columns] == ["区划", "出生日期（年）", "记录数"]
    coarse = {"group_by": ["区划"]}
    service.propose(city.uow(), officer(POLICE), city.ctx, ProposalInput(
        entry_code=city.people_entry, code="residents-count", title="居民按区划统计", theme="social", view=coarse))
    service.decide(city.uow(), AUTHORITY, city.ctx, "residents-count", DecisionInput(approve=True))
    # the entry is 有条件开放: a developer needs an approved application
    with pytest.raises(NotAuthenticated):
        service.records(city.uow(), PUBLIC, city.ctx, "residents-count", RecordQuery())
    key = service.sign_up(city.uow(), PUBLIC, DeveloperSignUp(name="研究组", email="lab@example.cn"))
    caller = service.caller_for_key(city.uow(), PUBLIC, key.key)
    with pytest.raises(NotFound, match="尚未通过"):
        service.records(city.uow(), PUBLIC, city.ctx, "residents-count", RecordQuery(), caller)
    application = service.apply(city.uow(), PUBLIC, caller, "residents-count",
                                ApplicationInput(purpose="人口结构研究", accept_conditions=True))
    with pytest.raises(NotFound):  # another department's officer may not review it
        service.review(city.uow(), officer("130300005"), application.id, ReviewInput(approve=True))
    service.review(city.uow(), make_actor(Role.APPROVER, department=POLICE), application.id,
                   ReviewInput(approve=True))
    rows = service.records(city.uow(), PUBLIC, city.ctx, "residents-count", RecordQuery(), caller).rows
    assert rows == [{"区划": "130302", "记录数": 26}, {"区划": "130303", "记录数": 14}]
    with pytest.raises(NotAuthenticated):
        service.caller_for_key(city.uow(), PUBLIC, key.key_prefix + ".wrong")


def test_a_new_version_that_fails_the_gate_is_withdrawn_not_served(city, audit_trail) -> None:
    open_air(city)
    leaked = air().with_columns(pl.lit("13800138000").alias("站点"))  # someone's phone where the station was
    datasets.write_version(city.uow(), officer(ECO), city.ctx.store, "air-daily", leaked, publish=True)
    with pytest.raises(NotFound, match="已撤回") as caught:
        service.records(city.uow(), PUBLIC, city.ctx, "air-quality-daily", RecordQuery())
    assert caught.value.details["reason"] == "withdrawn"
    detail = service.get_opening(city.uow(), AUTHORITY, "air-quality-daily")
    assert detail.opening.status.value == "withdrawn" and "站点" in detail.opening.note
    assert "opendata.opening_withdrawn" in [a[0] for a in audit_trail()]


def _reclassify(city, code: str, change) -> None:
    entry = catalog.get_entry(city.uow(), AUTHORITY, code).entry
    payload = {k: v for k, v in entry.as_input().items() if k not in ("classification", "provider_code")}
    change(payload)
    catalog.update_entry(city.uow(), officer(entry.provider_code), code,
                         EntryUpdate(**payload, columns=entry.mount.columns))


def test_between_rechecks_only_the_checked_version_is_served(city, monkeypatch) -> None:
    from zhengshu.core.opendata.service import portal

    open_air(city)
    service.records(city.uow(), PUBLIC, city.ctx, "air-quality-daily", RecordQuery())  # checked just now
    leaked = air().with_columns(pl.lit("13800138000").alias("站点"))
    datasets.write_version(city.uow(), officer(ECO), city.ctx.store, "air-daily", leaked, publish=True)
    rows = service.records(city.uow(), PUBLIC, city.ctx, "air-quality-daily", RecordQuery(limit=1000)).rows
    assert len(rows) == 30 and "13800138000" not in {r["站点"] for r in rows}  # still version 1
    monkeypatch.setattr(portal, "RECHECK_SECONDS", 0.0)
    with pytest.raises(NotFound, match="已撤回"):
        service.records(city.uow(), PUBLIC, city.ctx, "air-quality-daily", RecordQuery())


def test_a_catalogue_reclassification_withdraws_at_once(city) -> None:
    service.propose(city.uow(), officer(POLICE), city.ctx, ProposalInput(
        entry_code=city.people_entry, code="residents-count", title="居民按区划统计", theme="social",
        view={"group_by": ["区划"]}))
    service.decide(city.uow(), AUTHORITY, city.ctx, "residents-count", DecisionInput(approve=True))
    open_air(city)
    _reclassify(city, city.people_entry, lambda p: p["items"][4].update(personal_info="sensitive"))  # 区划
    assert service.refresh_all(city.uow(), AUTHORITY, city.ctx) == {
        "air-quality-daily": "unchanged", "residents-count": "withdrawn"}
    detail = service.get_opening(city.uow(), AUTHORITY, "residents-count").opening
    assert detail.status.value == "withdrawn" and "目录第 2 版" in detail.note and "敏感个人信息" in detail.note
    # the catalogue changing an entry's opening type withdraws too
    _reclassify(city, city.air_entry, lambda p: p.update(opening={"type": "conditional", "condition": "仅限科研"}))
    with pytest.raises(NotFound, match="已撤回"):
        service.dataset(city.uow(), PUBLIC, city.ctx, "air-quality-daily")
    assert "有条件开放" in service.get_opening(city.uow(), AUTHORITY, "air-quality-daily").opening.note


def test_a_new_good_version_is_served_at_once(city) -> None:
    open_air(city)
    datasets.write_version(city.uow(), officer(ECO), city.ctx.store, "air-daily", air(days=12), publish=True)
    assert service.refresh_all(city.uow(), AUTHORITY, city.ctx) == {"air-quality-daily": "refreshed"}
    shown = service.dataset(city.uow(), PUBLIC, city.ctx, "air-quality-daily")
    assert shown.opening.row_count == 36 and shown.history[0].action == "refreshed"
    assert service.refresh_all(city.uow(), AUTHORITY, city.ctx) == {"air-quality-daily": "unchanged"}


def test_bad_input_is_named_and_hidden_columns_cannot_be_used(city) -> None:
    open_air(city)
    service.propose(city.uow(), officer(ECO), city.ctx, ProposalInput(
        entry_code=city.air_entry, code="air-aqi", title="AQI", theme="environment", fields=["站点", "日期", "AQI"]))
    service.decide(city.uow(), AUTHORITY, city.ctx, "air-aqi", DecisionInput(approve=True))
    for query, field in ((RecordQuery(filters=(Filter("PM25", "gt", "1"),)), "PM25"),
                         (RecordQuery(sort=(("区划", "asc"),)), "区划"), (RecordQuery(limit=100000), "limit")):
        with pytest.raises(InvalidInput) as caught:
            service.records(city.uow(), PUBLIC, city.ctx, "air-aqi", query)
        assert caught.value.field == field
    document = service.dcat_dataset(city.uow(), PUBLIC, city.ctx, "air-aqi", "https://data.example.cn")
    assert [i["zs:name"] for i in document["zs:informationItem"]] == ["站点", "日期", "AQI"]  # not 区划, PM25
    assert document["dcat:contactPoint"]["vcard:fn"] == "市公安局" and "数据官" not in str(document)
    with pytest.raises(InvalidInput, match="开放主题无效"):
        service.propose(city.uow(), officer(ECO), city.ctx, ProposalInput(
            entry_code=city.air_entry, code="x1", title="x", theme="nope"))
    with pytest.raises(NotFound):  # another department's officer cannot propose this entry
        service.propose(city.uow(), officer("130300005"), city.ctx, ProposalInput(
            entry_code=city.air_entry, code="x2", title="x", theme="environment"))
    with pytest.raises(NotFound):  # the public cannot decide
        service.decide(city.uow(), PUBLIC, city.ctx, "air-aqi", DecisionInput(approve=False, note="x"))


def test_downloads_stream_csv_with_bom_json_and_xlsx(city) -> None:
    open_air(city)
    name, chunks = service.download(city.uow(), PUBLIC, city.ctx, "air-quality-daily", "csv",
                                    [Filter("区划", "eq", "130303")])
    data = b"".join(chunks)
    assert name == "air-quality-daily-v1.csv" and data.startswith("\ufeff站点,区划,日期,AQI,PM25\n".encode())
    assert data.count(b"\n") == 11
    _, chunks = service.download(city.uow(), PUBLIC, city.ctx, "air-quality-daily", "json")
    assert len(json.loads(b"".join(chunks))) == 30
    _, chunks = service.download(city.uow(), PUBLIC, city.ctx, "air-quality-daily", "xlsx")
    assert b"".join(chunks)[:2] == b"PK"
    stats = service.usage_statistics(city.uow(), AUTHORITY)
    assert stats.downloads == 3 and stats.top[0].code == "air-quality-daily"
    with pytest.raises(NotFound):
        service.usage_statistics(city.uow(), PUBLIC)


def test_search_facets_sitemap_and_dcat(city) -> None:
    open_air(city)
    found = service.search(city.uow(), PUBLIC, "空气", {"theme": "environment"})
    assert found.total == 1 and found.facets["theme"][0].count == 1
    assert service.search(city.uow(), PUBLIC, "空气质量日报").total == 1  # through the catalogue's search too
    assert service.search(city.uow(), PUBLIC, "", {"theme": "tourism"}).total == 0
    with pytest.raises(InvalidInput):
        service.search(city.uow(), PUBLIC, "", {"colour": "red"})
    assert "/open/datasets/air-quality-daily" in service.sitemap(city.uow(), PUBLIC, "https://data.example.cn")
    document = service.dcat_catalog(city.uow(), PUBLIC, city.ctx, "https://data.example.cn")
    node = document["dcat:dataset"][0]
    assert document["@type"] == "dcat:Catalog" and node["dct:identifier"] == "air-quality-daily"
    assert node["dct:license"]["@id"].startswith("https://creativecommons.org/")
