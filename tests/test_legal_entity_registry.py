"""The legal-entity registry on the demo's published datasets, on SQLite and PostgreSQL: fusion writes the
registry's datasets, each golden value's lineage names a source row that holds it, portraits gather an
entity's records and risks, every read is audited, and the refusals: who may not fuse or view, an unknown
entity, a row that is not there, a dataset that is not a source, a fusion with no sources."""

from __future__ import annotations

import pytest
from conftest import make_actor

from zhengshu.core.calendar.service import seed_calendar
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import RecordQuery
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.core.identity.service import seed_city
from zhengshu.demo import ACTOR, publish_city
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform
from zhengshu.registries.legal_entity import service
from zhengshu.registries.legal_entity.golden import authority_table
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
    outcome = service.fuse_entities(published.uow(), ACTOR, store)
    assert set(outcome.sources) == set(authority_table().dates)
    assert outcome.entities > 30 and outcome.links["信用代码"] > outcome.entities
    lineage = datasets.read_records(published.uow(), ACTOR, store, service.LINEAGE,
                                    RecordQuery(limit=200)).rows
    assert {r["依据"] for r in lineage} >= {"权威来源"}
    items = {(rule.field, s.dataset): s.item for rule in authority_table().fields for s in rule.sources}
    for value in lineage[::7]:
        row = datasets.read_row(published.uow(), ACTOR, store, value["数据集"], value["版本"], value["行号"]).rows[0]
        raw = row[items[(value["字段"], value["来源"])]]
        assert raw is not None and raw.replace(" ", "")[:4] in value["值"] + raw, (value, raw)
    assert [(t, o) for a, _, t, o in audit_trail() if a == "legal_entity.fused"] == [
        ("registry:legal_entity", "success")]

    again = service.fuse_entities(published.uow(), ACTOR, store)  # same sources, same registry: no new version
    assert again.version == outcome.version


def test_a_portrait_gathers_an_entity_s_records_and_is_audited(published: Platform, store: DatasetStore,
                                                                audit_trail) -> None:
    service.fuse_entities(published.uow(), ACTOR, store)
    members = datasets.read_records(published.uow(), ACTOR, store, service.MEMBERS, RecordQuery(limit=1000)).rows
    taxed = next(m["主体标识"] for m in members if m["来源"] == service.TAX and m["链接方式"] == "信用代码")
    portrait = service.entity_portrait(published.uow(), ANALYST, store, taxed)
    assert portrait.tax and all(t.origin.source == service.TAX for t in portrait.tax)
    assert all((t.values["纳税人识别号"] or taxed)[:17] == taxed[:17] for t in portrait.tax)
    fields = {f.field: f for f in portrait.fields}
    assert fields["credit_code"].value == taxed and fields["credit_code"].origin is not None
    assert ("legal_entity.portrait_viewed", f"entity:{taxed}") in [(a, t) for a, _, t, _ in audit_trail()]

    origin = fields["credit_code"].origin
    row = service.source_row(published.uow(), ANALYST, store, origin.dataset_code, origin.version, origin.row)
    assert row.values[origin.item] == taxed
    with pytest.raises(NotFound):
        service.source_row(published.uow(), ANALYST, store, origin.dataset_code, origin.version, 10**6)
    with pytest.raises(NotFound):
        service.source_row(published.uow(), ANALYST, store, service.REGISTRY, 1, 1)  # not a source
    with pytest.raises(NotFound):
        service.entity_portrait(published.uow(), ANALYST, store, "91130300MA00000000")


def test_only_staff_allowed_may_fuse_and_view(published: Platform, store: DatasetStore) -> None:
    with pytest.raises(NotFound):
        service.fuse_entities(published.uow(), ANALYST, store)
    officer = make_actor(Role.DATA_OFFICER, department="130300003")
    with pytest.raises(NotFound):
        service.entity_portrait(published.uow(), officer, store, "x")
    with pytest.raises(NotFound):
        service.list_entities(published.uow(), officer, store)


def test_fusion_without_published_sources_says_so(platform: Platform, store: DatasetStore) -> None:
    seed_city(platform.uow(), ACTOR)
    with pytest.raises(InvalidInput, match="没有可融合的法人数据源"):
        service.fuse_entities(platform.uow(), ACTOR, store)
    assert service.list_entities(platform.uow(), make_actor(Role.PLATFORM_ADMIN), store) == []
