"""The legal-entity registry on the demo's published datasets, on SQLite and PostgreSQL, fused by the fusion
engine: the registry's datasets and its 基础目录 entry, each golden value's lineage names a source row that
holds it, portraits gather an entity's records and risks, every read is audited, and the refusals: who may not
fuse or view, an unknown entity, a row that is not there, a resource that is not a source, no sources."""

from __future__ import annotations

import polars as pl
import pytest
from conftest import make_actor, page, web_as

from zhengshu.core.calendar.service import seed_calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryFilter
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import Filter, RecordQuery
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.core.exchange import service as exchange
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.service import seed_city
from zhengshu.demo import ACTOR, Use, _granted_system, publish_city
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform
from zhengshu.registries.legal_entity import service
from zhengshu.registries.legal_entity.service import authority_table
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig

ANALYST = make_actor(Role.ANALYST, department="130300002", name="分析员")


@pytest.fixture
def store(platform: Platform) -> DatasetStore:
    return DatasetStore.for_data_dir(platform.settings.data_dir)


@pytest.fixture
def published(platform: Platform, store: DatasetStore) -> Platform:
    seed_city(platform.uow(), ACTOR)
    seed_calendar(platform.uow(), ACTOR)
    city = platform.settings.data_dir / "city"
    generate_city(CityConfig(persons=1500, seed=11), city)
    publish_city(platform, city)
    return platform


def test_fusion_writes_the_registry_and_each_value_s_lineage_names_a_row_holding_it(
        published: Platform, store: DatasetStore, audit_trail) -> None:
    run = service.fuse_entities(published.uow(), ACTOR, store)
    assert {s.source for s in run.sources} == set(authority_table().dates)
    assert run.counts["records"] > 50 and run.counts["rows"] > run.counts["records"]
    lineage = datasets.read_records(published.uow(), ACTOR, store, "registry-legal_entity-lineage",
                                    RecordQuery(limit=300)).rows
    assert {r["basis"] for r in lineage} >= {"权威来源"}
    items = {(rule.field, s.dataset): s.item for rule in authority_table().fields for s in rule.sources}
    entries = {e.code: e for e in catalog.export_entries(published.uow(), ACTOR, EntryFilter()).entries}
    for value in lineage[::7]:
        dataset = entries[value["resource_code"]].mount.reference
        row = datasets.read_row(published.uow(), ACTOR, store, dataset, value["version"], value["row"]).rows[0]
        raw = row[items[(value["field"], value["source"])]]
        assert raw is not None and raw.replace(" ", "")[:2] in value["value"] + raw, (value, raw)
    registry = next(e for e in entries.values() if e.name == "法人基础库")
    assert registry.mount.kind.value == "registry" and registry.status.value == "published"
    assert (registry.classification.directory.value, registry.classification.section) == ("base", "02")
    grades = datasets.read_records(published.uow(), ACTOR, store, "registry-legal_entity-lineage",
                                   RecordQuery(filters=(Filter("field", "eq", "tax_credit_grade"),), limit=5)).rows
    assert grades and all(g["date"] is not None and g["date"].month == 12 for g in grades)  # the period's end

    again = service.fuse_entities(published.uow(), ACTOR, store)  # nothing changed: nothing relinked
    assert again.counts["relinked"] == 0 and again.counts["records"] == run.counts["records"]


def test_a_portrait_gathers_an_entity_s_records_and_is_audited(published: Platform, store: DatasetStore,
                                                                audit_trail) -> None:
    service.fuse_entities(published.uow(), ACTOR, store)
    members = datasets.read_records(published.uow(), ACTOR, store, "registry-legal_entity-members",
                                    RecordQuery(filters=(Filter("source", "eq", service.TAX),), limit=50)).rows
    entity = members[0]["id"]
    portrait = service.entity_portrait(published.uow(), ANALYST, store, entity)
    assert portrait.tax and all(t.origin.source == service.TAX for t in portrait.tax)
    code = {f.field: f for f in portrait.fields}["credit_code"]
    assert all((t.values["纳税人识别号"] or code.value)[:17] == code.value[:17] for t in portrait.tax)
    assert ("legal_entity.portrait_viewed", f"entity:{entity}") in [(a, t) for a, _, t, _ in audit_trail()]
    assert service.find_entities(published.uow(), ANALYST, store, code.value)[0].entity_id == entity

    origin = code.origin
    row = service.source_row(published.uow(), ANALYST, store, origin.resource_code, origin.version, origin.row)
    assert row.values[origin.item].replace(" ", "").upper() == code.value
    with pytest.raises(NotFound):
        service.source_row(published.uow(), ANALYST, store, origin.resource_code, origin.version, 10**6)
    registry = next(e for e in catalog.export_entries(published.uow(), ACTOR, EntryFilter()).entries
                    if e.name == "法人基础库")
    with pytest.raises(NotFound):
        service.source_row(published.uow(), ANALYST, store, registry.code, 1, 1)  # not a source
    with pytest.raises(NotFound):
        service.entity_portrait(published.uow(), ANALYST, store, "FR9999999999")


def test_the_pages_answer_in_chinese_and_refuse_what_is_not_theirs(published: Platform, store: DatasetStore) -> None:
    service.fuse_entities(published.uow(), ACTOR, store)
    with web_as(published, ANALYST) as (client, who):
        listing = page(client.get("/legal-entities", params={"q": "有限公司"}))
        first = listing.split('href="/legal-entities/FR', 1)[1].split('"', 1)[0]
        portrait = page(client.get(f"/legal-entities/FR{first}"))
        assert "风险提示" in portrait and "权威来源" in portrait and "来源" in portrait
        who["actor"] = make_actor(Role.PLATFORM_ADMIN, department="130300002")
        report = page(client.get("/fusion/legal_entity"))  # the engine's report on this registry
        assert "法人基础库" in report and "信用代码" in report and "概率匹配" in report
        who["actor"] = ANALYST
        page(client.get("/legal-entities/FR0000000000"), 404)
        page(client.get("/legal-entities/sources/none/1/1"), 404)
        page(client.get("/legal-entities/persons/130302199001011234"), 404)
        who["actor"] = make_actor(Role.DATA_OFFICER, department="130300003")
        page(client.get(f"/legal-entities/FR{first}"), 404)  # not allowed reads as not found


def test_only_staff_allowed_may_fuse_and_view(published: Platform, store: DatasetStore) -> None:
    with pytest.raises(NotFound):
        service.fuse_entities(published.uow(), ANALYST, store)
    officer = make_actor(Role.DATA_OFFICER, department="130300003")
    with pytest.raises(NotFound):
        service.entity_portrait(published.uow(), officer, store, "x")
    with pytest.raises(NotFound):
        service.find_entities(published.uow(), officer, store)


def test_fusion_without_published_sources_says_so(platform: Platform, store: DatasetStore) -> None:
    seed_city(platform.uow(), ACTOR)
    with pytest.raises(InvalidInput, match="没有 法人基础库 的任何来源"):
        service.fuse_entities(platform.uow(), ACTOR, store)
    assert service.find_entities(platform.uow(), make_actor(Role.PLATFORM_ADMIN), store) == []


def test_the_registry_is_served_through_the_exchange_masked(published: Platform, store: DatasetStore) -> None:
    """市税务局's system asks for 法人基础库 (a 基础目录 resource, 法人单位), is granted after review and reads it
    through the exchange: the legal representative's ID number is masked, the public registration is not."""
    service.fuse_entities(published.uow(), ACTOR, store)
    entries = {e.name: e for e in catalog.export_entries(published.uow(), ACTOR, EntryFilter()).entries}
    items = {i.name: (i.level.value, i.personal_info.value) for i in entries["法人基础库"].items}
    assert items["法定代表人证件号码"] == ("important", "sensitive") and items["名称"] == ("general", "none")
    use = Use("市税务局", "法人基础库", "税收征管系统", ("主体标识", "统一社会信用代码", "名称", "法定代表人证件号码"),
              "税务登记信息比对", "《中华人民共和国税收征收管理法》第十五条")
    codes = {o.name: o.code for o in identity.list_organisations(published.uow(), ACTOR)}
    system, code = _granted_system(published, use, codes, entries)
    page = exchange.read_records(published.uow(), system, published.secret_key, exchange.Gateway(store), code,
                                 limit=50, end_user="经办员", purpose=use.purpose)
    golden = {r["主体标识"]: r for r in datasets.read_records(
        published.uow(), ACTOR, store, "registry-legal_entity", RecordQuery(limit=1000)).rows}
    assert page.count == 50 and set(page.rows[0]) == set(use.fields)
    shown = [r for r in page.rows if golden[r["主体标识"]]["法定代表人证件号码"]]
    assert len(shown) > 20
    assert all(r["法定代表人证件号码"] != golden[r["主体标识"]]["法定代表人证件号码"] for r in shown)
    assert all(r["名称"] == golden[r["主体标识"]]["名称"] for r in page.rows)


def test_zhengshu_fuse_entities_shows_a_summary(published: Platform, settings) -> None:
    from typer.testing import CliRunner

    from zhengshu import cli

    env = {"ZHENGSHU_DATA_DIR": str(settings.data_dir), "ZHENGSHU_DATABASE_URL": settings.database_url}
    result = CliRunner().invoke(cli.app, ["fuse", "entities"], env=env)
    assert result.exit_code == 0, result.output
    assert "第 1 次融合（全量）成功" in result.output and "市税务局/纳税信息" in result.output
    again = CliRunner().invoke(cli.app, ["fuse", "entities"], env=env)
    assert "第 2 次融合（增量）成功" in again.output and "重新链接 0 行" in again.output


def test_a_new_version_of_one_source_refuses_only_what_changed_and_ids_stay(published: Platform,
                                                                           store: DatasetStore) -> None:
    """增量: 市场监管 sends a new 企业登记 in which one entity is deregistered (注销); the next run reads only that
    source, re-links only the clusters it touches, and every entity keeps its 主体标识."""
    first = service.fuse_entities(published.uow(), ACTOR, store)
    before = {r["统一社会信用代码"]: r for r in datasets.read_records(
        published.uow(), ACTOR, store, "registry-legal_entity", RecordQuery(limit=1000)).rows}
    entry = next(e for e in catalog.export_entries(published.uow(), ACTOR, EntryFilter()).entries
                 if e.name == "企业登记")
    frame = datasets.read_columns(published.uow(), ACTOR, store, entry.mount.reference, None)
    target = next(c for c, r in before.items() if r["登记状态"] == "存续" and c in set(frame["统一社会信用代码"]))
    changed = frame.with_columns(pl.when(pl.col("统一社会信用代码") == target).then(pl.lit("注销"))
                                 .otherwise(pl.col("登记状态")).alias("登记状态"))
    datasets.write_version(published.uow(), ACTOR, store, entry.mount.reference, changed, publish=True)

    second = service.fuse_entities(published.uow(), ACTOR, store)
    assert second.mode == "incremental" and [s.source for s in second.sources if s.read] == ["市市场监管局/企业登记"]
    assert 0 < second.counts["relinked"] < first.counts["rows"] / 10 and second.counts["new_ids"] == 0
    after = {r["统一社会信用代码"]: r for r in datasets.read_records(
        published.uow(), ACTOR, store, "registry-legal_entity", RecordQuery(limit=1000)).rows}
    assert {c: r["主体标识"] for c, r in after.items()} == {c: r["主体标识"] for c, r in before.items()}
    assert after[target]["登记状态"] == "注销"
    assert {c for c in after if after[c] != before[c]} == {target}
