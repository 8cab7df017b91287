"""Use cases of the legal-entity base registry (法人基础库): fuse the entity-describing source datasets into the
registry, and show portraits (法人画像, the registry's view of a person) and the source rows values came from.

The registry is three dataset versions written through the dataset store: `registry-legal-entity` (one golden
record per entity), `-lineage` (each golden value's source, dataset version and row) and `-members` (every
linked source row). Portraits read them, and the source datasets, through the datasets service as the
platform, after checking the viewer's permission here and recording the read in an audit event.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryFilter
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import Filter, RecordQuery
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.registries.legal_entity import permissions as perms
from zhengshu.registries.legal_entity.events import EntitiesFused, PortraitViewed, SourceRowViewed
from zhengshu.registries.legal_entity.golden import authority_table, golden_records, source_values
from zhengshu.registries.legal_entity.linkage import entity_rows, link_entities, standardise_entity_rows
from zhengshu.registries.legal_entity.schemas import (
    EntityPortrait,
    FusionOutcome,
    GoldenValue,
    PersonPortrait,
    RelatedEntity,
    Risk,
    SourceRecord,
    SourceRef,
    SourceRowView,
)

REGISTRY, LINEAGE, MEMBERS = "registry-legal-entity", "registry-legal-entity-lineage", "registry-legal-entity-members"
OWNER = "130300002"  # the data authority (大数据主管部门) keeps the base registries
ID = "主体标识"
PLATFORM = system_actor("法人基础库")
LICENCES, PENALTIES = "市市场监管局/行政许可", "市市场监管局/行政处罚"
EQUIPMENT, TAX = "市市场监管局/特种设备", "市税务局/纳税信息"
INSURANCE = "市人社局/社保参保"
Progress = Callable[[str], None]


def _sources(uow: UnitOfWork) -> dict[str, tuple[str, int]]:
    """Each source the rule table names (部门/资源名) that is published on a dataset: → (dataset, version)."""
    wanted = set(authority_table().dates) | {INSURANCE}
    found: dict[str, tuple[str, int]] = {}
    for entry in catalog.export_entries(uow, PLATFORM, EntryFilter()).entries:
        key = f"{entry.provider_name}/{entry.name}"
        if key in wanted and entry.mount is not None and entry.mount.kind.value == "dataset":
            versions = [v for v in datasets.list_versions(uow, PLATFORM, entry.mount.reference) if v.current]
            if versions:
                found[key] = (entry.mount.reference, versions[0].version)
    return found


def fuse_entities(uow: UnitOfWork, actor: Actor, store: DatasetStore, progress: Progress = lambda _: None
                  ) -> FusionOutcome:
    """Link every row of the entity sources to one legal entity, build the golden records and write the
    registry's three datasets as new versions; the previous version keeps being served if anything fails."""
    access.require(actor, perms.FUSE)
    sources = {k: v for k, v in _sources(uow).items() if k != INSURANCE}
    if not sources:
        raise InvalidInput("没有可融合的法人数据源：规则表列出的资源都未发布。", field="sources")
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    frames, values = [], []
    for key, (code, version) in sorted(sources.items()):
        progress(f"读取 {key}")
        frame = datasets.read_columns(uow, PLATFORM, store, code, _columns(uow, code))
        frames.append(entity_rows(key, frame))
        values.append(source_values(key, frame, str(version)))
    seconds["read"] = time.perf_counter() - start
    progress("实体识别")
    rows = standardise_entity_rows(pl.concat(frames, how="diagonal"))
    linked = link_entities(rows)
    seconds |= linked.seconds
    progress("黄金记录")
    start = time.perf_counter()
    result = golden_records(linked.rows, pl.concat(values), authority_table())
    ids = _entity_ids(result.records)
    registry, lineage, members = _outputs(result, linked.rows, ids, sources)
    seconds["golden"] = time.perf_counter() - start
    progress("写入")
    for code, name, frame in ((LINEAGE, "法人基础库来源", lineage), (MEMBERS, "法人基础库成员记录", members),
                              (REGISTRY, "法人基础库", registry)):
        datasets.ensure_dataset(uow, PLATFORM, code, name, OWNER)
        written = datasets.write_version(uow, PLATFORM, store, code, frame, publish=True)
    links = dict(linked.rows.group_by("link").len().iter_rows())
    with uow:
        uow.emit(EntitiesFused(actor=actor, target="registry:legal_entity", sources=tuple(sorted(sources)),
                               rows=len(rows), entities=len(registry), conflicts=len(result.conflicts),
                               version=written.version))
        uow.commit()
    return FusionOutcome(sources=sorted(sources), rows=len(rows), entities=len(registry), links=links,
                         conflicts=len(result.conflicts), version=written.version, seconds=seconds)


def _columns(uow: UnitOfWork, code: str) -> list[str]:
    version = next(v for v in datasets.list_versions(uow, PLATFORM, code) if v.current)
    return [c.name for c in version.columns]


def _entity_ids(records: pl.DataFrame) -> pl.DataFrame:
    """cluster → entity id: the golden credit code, or `FR` and the cluster number for an entity without one."""
    fallback = pl.lit("FR") + pl.col("cluster").cast(pl.String).str.zfill(10)
    chosen = records.select("cluster", pl.coalesce(pl.col("credit_code"), fallback).alias(ID))
    return chosen.with_columns(pl.when(pl.col(ID).is_duplicated()).then(fallback).otherwise(pl.col(ID)).alias(ID))


def _outputs(result: Any, linked: pl.DataFrame, ids: pl.DataFrame, sources: dict[str, tuple[str, int]]
             ) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    table = authority_table()
    titles = {rule.field: rule.title for rule in table.fields}
    located = pl.DataFrame([(k, c, v) for k, (c, v) in sources.items()], schema=["source", "数据集", "版本"],
                           orient="row").with_columns(pl.col("版本").cast(pl.Int64))
    registry = result.records.join(ids, on="cluster").select(
        ID, *(pl.col(f).alias(titles[f]) for f in titles)).sort(ID)
    lineage = (result.lineage.join(ids, on="cluster").join(located, on="source", how="left")
               .select(ID, pl.col("field").alias("字段"), pl.col("field").replace_strict(titles).alias("字段名称"),
                       pl.col("value").alias("值"), pl.col("source").alias("来源"), "数据集", "版本",
                       pl.col("row").alias("行号"), pl.col("date").cast(pl.String).alias("日期"),
                       pl.col("basis").alias("依据")).sort(ID, "字段"))
    members = (linked.join(ids, on="cluster").join(located, on="source", how="left")
               .select(ID, pl.col("source").alias("来源"), "数据集", "版本", pl.col("row").alias("行号"),
                       pl.col("link").alias("链接方式"), pl.col("match_weight").alias("匹配权重"))
               .sort(ID, "来源", "行号"))
    return registry, lineage, members


# --- reading -------------------------------------------------------------------------------------------------


def _read_all(uow: UnitOfWork, store: DatasetStore, code: str, *filters: Filter) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    after = None
    while True:
        page = datasets.read_records(uow, PLATFORM, store, code, RecordQuery(filters=filters, after=after, limit=1000))
        rows += page.rows
        if page.next is None or len(rows) >= 10_000:
            return rows
        after = page.next


def _registry_record(uow: UnitOfWork, store: DatasetStore, entity_id: str) -> dict[str, Any]:
    try:
        found = _read_all(uow, store, REGISTRY, Filter(ID, "eq", entity_id))
    except NotFound:
        found = []
    if not found:
        raise NotFound(f"法人基础库中没有主体 {entity_id}。", field="entity_id")
    return found[0]


def _item(field: str, source: str) -> str | None:
    """The item of `source` that states `field`, by the rule table."""
    rule = next((r for r in authority_table().fields if r.field == field), None)
    return next((s.item for s in rule.sources if s.dataset == source and s.subject is None), None) if rule else None


def _ref(row: dict[str, Any], item: str | None = None) -> SourceRef:
    item = item or (_item(row["字段"], row["来源"]) if "字段" in row else None)
    return SourceRef(source=row["来源"], dataset_code=row["数据集"], version=row["版本"], row=row["行号"],
                     date=row.get("日期"), item=item)


def _source_records(uow: UnitOfWork, store: DatasetStore, members: list[dict[str, Any]], source: str
                    ) -> list[SourceRecord]:
    out = []
    for member in (m for m in members if m["来源"] == source and m["数据集"] is not None):
        ref = _ref(member)
        page = datasets.read_row(uow, PLATFORM, store, ref.dataset_code, ref.version, ref.row)
        out.append(SourceRecord(origin=ref, values=page.rows[0]))
    return out


def _headcount(uow: UnitOfWork, store: DatasetStore, credit_code: str | None) -> int | None:
    """How many people 人社 has paying social insurance through the entity (distinct ID numbers)."""
    source = _sources(uow).get(INSURANCE)
    if source is None or not credit_code:
        return None
    rows = _read_all(uow, store, source[0], Filter("单位统一社会信用代码", "eq", credit_code),
                     Filter("参保状态", "eq", "正常缴费"))
    return len({r.get("身份证号") for r in rows})


def _risks(record: dict[str, Any], penalties: list[SourceRecord], tax: list[SourceRecord],
           equipment: list[SourceRecord], today: date) -> list[Risk]:
    risks = []
    status = record.get("登记状态")
    if status and status != "存续":
        risks.append(Risk(title="登记状态异常", detail=f"登记状态为“{status}”", tone="alert"))
    if penalties:
        fines = sum(float(p.values.get("罚款金额（万元）") or 0) for p in penalties)
        risks.append(Risk(title="行政处罚", detail=f"{len(penalties)} 次行政处罚，罚款合计 {fines:g} 万元",
                          tone="alert" if len(penalties) > 1 else "warning"))
    grade = record.get("纳税信用等级")
    if grade in ("C", "D"):
        risks.append(Risk(title="纳税信用等级低", detail=f"纳税信用等级为 {grade} 级", tone="alert"))
    arrears = [t for t in tax if _number(t.values.get("实缴税额（元）")) < _number(t.values.get("应纳税额（元）"))]
    if arrears:
        risks.append(Risk(title="欠缴税款", detail=f"{len(arrears)} 笔税款实缴少于应纳", tone="alert"))
    overdue = [e for e in equipment if (e.values.get("下次检验日期") or "9999") < today.isoformat()]
    if overdue:
        risks.append(Risk(title="特种设备超期未检", detail=f"{len(overdue)} 台设备已过下次检验日期", tone="alert"))
    return risks


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def entity_portrait(uow: UnitOfWork, actor: Actor, store: DatasetStore, entity_id: str) -> EntityPortrait:
    """法人画像: the golden record, each value with its source and date, the entity's licences, penalties, tax,
    equipment and social-insurance headcount, entities with the same legal representative, and the risks."""
    access.require(actor, perms.VIEW_PORTRAIT)
    record = _registry_record(uow, store, entity_id)
    lineage = {r["字段"]: r for r in _read_all(uow, store, LINEAGE, Filter(ID, "eq", entity_id))}
    members = _read_all(uow, store, MEMBERS, Filter(ID, "eq", entity_id))
    fields = [GoldenValue(field=rule.field, title=rule.title, value=record.get(rule.title),
                          basis=lineage[rule.field]["依据"] if rule.field in lineage else None,
                          origin=_ref(lineage[rule.field]) if rule.field in lineage else None)
              for rule in authority_table().fields]
    penalties = _source_records(uow, store, members, PENALTIES)
    tax = _source_records(uow, store, members, TAX)
    equipment = _source_records(uow, store, members, EQUIPMENT)
    rep_id = record.get("法定代表人证件号码")
    related = [] if not rep_id else [
        RelatedEntity(entity_id=r[ID], name=r.get("名称"), status=r.get("登记状态"))
        for r in _read_all(uow, store, REGISTRY, Filter("法定代表人证件号码", "eq", rep_id)) if r[ID] != entity_id]
    today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
    portrait = EntityPortrait(
        entity_id=entity_id, name=record.get("名称"), fields=fields, legal_rep_id=rep_id,
        licences=_source_records(uow, store, members, LICENCES), penalties=penalties, tax=tax, equipment=equipment,
        headcount=_headcount(uow, store, record.get("统一社会信用代码")), related=related,
        risks=_risks(record, penalties, tax, equipment, today), members=len(members))
    _viewed(uow, actor, f"entity:{entity_id}", entity_id)
    return portrait


def person_portrait(uow: UnitOfWork, actor: Actor, store: DatasetStore, id_number: str) -> PersonPortrait:
    """人员画像 as this registry knows a person: the entities they are legal representative of, with the
    registration row that says so."""
    access.require(actor, perms.VIEW_PORTRAIT)
    try:
        records = _read_all(uow, store, REGISTRY, Filter("法定代表人证件号码", "eq", id_number))
    except NotFound:
        records = []
    if not records:
        raise NotFound(f"法人基础库中没有法定代表人 {id_number}。", field="id_number")
    represents = []
    for record in records:
        lineage = {r["字段"]: r for r in _read_all(uow, store, LINEAGE, Filter(ID, "eq", record[ID]))}
        for field in ("legal_rep", "legal_rep_id"):
            if field in lineage:
                row = lineage[field]
                represents.append(GoldenValue(field=field, title=row["字段名称"], value=row["值"], basis=row["依据"],
                                              origin=_ref(row)))
    _viewed(uow, actor, f"person:{id_number}", id_number)
    return PersonPortrait(
        id_number=id_number, name=records[0].get("法定代表人"), represents=represents,
        entities=[RelatedEntity(entity_id=r[ID], name=r.get("名称"), status=r.get("登记状态")) for r in records])


def _viewed(uow: UnitOfWork, actor: Actor, target: str, subject: str) -> None:
    with uow:
        uow.emit(PortraitViewed(actor=actor, target=target, subject=subject))
        uow.commit()


def source_row(uow: UnitOfWork, actor: Actor, store: DatasetStore, dataset_code: str, version: int,
               row: int) -> SourceRowView:
    """The row of a source dataset version a registry value came from (only the registry's own sources)."""
    access.require(actor, perms.VIEW_PORTRAIT)
    sources = {code: key for key, (code, _) in _sources(uow).items()}
    if dataset_code not in sources:
        raise NotFound(f"数据集 {dataset_code} 不是法人基础库的数据源。", field="dataset_code")
    page = datasets.read_row(uow, PLATFORM, store, dataset_code, version, row)
    with uow:
        uow.emit(SourceRowViewed(actor=actor, target=f"dataset:{dataset_code}", dataset_code=dataset_code,
                                 version=version, row=row))
        uow.commit()
    return SourceRowView(origin=SourceRef(source=sources[dataset_code], dataset_code=dataset_code, version=version,
                                          row=row), columns=[c.name for c in page.columns], values=page.rows[0])


def list_entities(uow: UnitOfWork, actor: Actor, store: DatasetStore, name: str = "", limit: int = 50
                  ) -> list[RelatedEntity]:
    """Entities of the registry, those whose name contains `name` (all when empty), at most `limit`."""
    access.require(actor, perms.VIEW_PORTRAIT)
    filters = (Filter("名称", "contains", name),) if name.strip() else ()
    try:
        page = datasets.read_records(uow, PLATFORM, store, REGISTRY, RecordQuery(filters=filters, limit=limit))
    except NotFound:
        return []
    return [RelatedEntity(entity_id=r[ID], name=r.get("名称"), status=r.get("登记状态")) for r in page.rows]
