"""Use cases of the legal-entity base registry (法人基础库) beyond the fusion engine's: the portraits — 法人画像
(an entity's golden record and everything the platform holds about it, with risks), 人员画像 (a person's golden
record from the population registry when it is fused, and the entities they represent) — and the source row a
value came from.

The fusion itself is the engine's (`core.fusion`: `zhengshu fuse entities`, the report and review queue); this
registry hands it its spec in `module.py`. Portraits read the registry's datasets and the source datasets
through the fusion and datasets services as the platform, after checking the viewer's own permission here, and
record the view in an audit event naming the viewer.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Any

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryFilter
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import Filter, RecordQuery
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion import service as fusion
from zhengshu.core.fusion.schemas import GoldenValue, RunView
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.registries.legal_entity import permissions as perms
from zhengshu.registries.legal_entity.events import PortraitViewed, SourceRowViewed
from zhengshu.registries.legal_entity.schemas import (
    EntityPortrait,
    PersonPortrait,
    PortraitValue,
    RelatedEntity,
    Risk,
    SourceRecord,
    SourceRef,
    SourceRowView,
)

CODE = "legal_entity"
POPULATION = "population"
ID_TITLE = "主体标识"
OWNER = "130300002"  # 市行政审批局, the data authority (大数据主管部门) in the identity seed, holds the registry
PLATFORM = system_actor("法人基础库")
LICENCES, PENALTIES = "市市场监管局/行政许可", "市市场监管局/行政处罚"
EQUIPMENT, TAX = "市市场监管局/特种设备", "市税务局/纳税信息"
INSURANCE = "市人社局/社保参保"
Progress = Callable[[str, int, int], None]


@cache
def authority_table() -> fusion.AuthorityTable:
    """The packaged rule table, `seed/authority.json`."""
    return fusion.load_authority(__package__ or "zhengshu.registries.legal_entity")


def fuse_entities(uow: UnitOfWork, actor: Actor, store: DatasetStore,
                  progress: Progress | None = None) -> RunView:
    """A fusion run of the legal-entity registry (the engine's `run_fusion` with this registry's spec)."""
    access.require(actor, perms.FUSE)
    spec = fusion.registry_spec(uow, actor, CODE)
    return fusion.run_fusion(uow, actor, store, spec, *([progress] if progress else []))


# --- reading ---------------------------------------------------------------------------------------------------


class _Sources:
    """The catalogue's resources as a portrait needs them, looked up once per portrait: by code (a lineage
    row names the resource) and by 部门/资源名 (the rule table's name)."""

    def __init__(self, uow: UnitOfWork) -> None:
        entries = catalog.export_entries(uow, PLATFORM, EntryFilter(status="published")).entries
        self.by_code = {e.code: e for e in entries if e.mount is not None}
        self.by_key = {f"{e.provider_name}/{e.name}": e for e in self.by_code.values()}

    def ref(self, source: str, resource_code: str, version: int, row: int, when: date | None = None,
            item: str | None = None) -> SourceRef:
        return SourceRef(source=source, resource_code=resource_code, version=version, row=row,
                         date=when.isoformat() if when else None, item=item)

    def dataset(self, resource_code: str) -> str:
        entry = self.by_code.get(resource_code)
        if entry is None or entry.mount is None:
            raise NotFound(f"资源 {resource_code} 未发布或未挂接数据集。", field="resource_code")
        return entry.mount.reference


def _item(field: str, source: str) -> str | None:
    """The item of `source` that states `field`, by the rule table."""
    rule = next((r for r in authority_table().fields if r.field == field), None)
    return next((s.item for s in rule.sources if s.dataset == source and s.subject is None), None) if rule else None


def _value(v: GoldenValue, sources: _Sources, item: str | None = None) -> PortraitValue:
    return PortraitValue(field=v.field, title=v.title, value=v.value, basis=v.basis,
                         origin=sources.ref(v.source, v.resource_code, v.version, v.row, v.date,
                                            item or _item(v.field, v.source)))


def _records(uow: UnitOfWork, store: DatasetStore, dataset: str, *filters: Filter) -> list[dict[str, Any]]:
    try:
        return datasets.read_records(uow, PLATFORM, store, dataset, RecordQuery(filters=filters, limit=1000)).rows
    except NotFound:
        return []


def _source_records(uow: UnitOfWork, store: DatasetStore, sources: _Sources, record: Any, source: str
                    ) -> list[SourceRecord]:
    out = []
    for member in (m for m in record.members if m.source == source):
        page = datasets.read_row(uow, PLATFORM, store, sources.dataset(member.resource_code), member.version,
                                 member.row)
        out.append(SourceRecord(origin=sources.ref(source, member.resource_code, member.version, member.row),
                                values=page.rows[0]))
    return out


def _headcount(uow: UnitOfWork, store: DatasetStore, sources: _Sources, credit_code: str | None) -> int | None:
    """How many people 人社 has paying social insurance through the entity (distinct ID numbers)."""
    entry = sources.by_key.get(INSURANCE)
    if entry is None or entry.mount is None or not credit_code:
        return None
    rows = _records(uow, store, entry.mount.reference, Filter("单位统一社会信用代码", "eq", credit_code),
                    Filter("参保状态", "eq", "正常缴费"))
    return len({r.get("身份证号") for r in rows})


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def _risks(values: dict[str, str | None], penalties: list[SourceRecord], tax: list[SourceRecord],
           equipment: list[SourceRecord], today: date) -> list[Risk]:
    """风险提示: registration not 存续, penalties, a C or D tax credit grade, arrears, overdue inspections."""
    risks = []
    status = values.get("registration_status")
    if status and status != "存续":
        risks.append(Risk(title="登记状态异常", detail=f"登记状态为“{status}”", tone="alert"))
    if penalties:
        fines = sum(_number(p.values.get("罚款金额（万元）")) for p in penalties)
        risks.append(Risk(title="行政处罚", detail=f"{len(penalties)} 次行政处罚，罚款合计 {fines:g} 万元",
                          tone="alert" if len(penalties) > 1 else "warning"))
    grade = values.get("tax_credit_grade")
    if grade in ("C", "D"):
        risks.append(Risk(title="纳税信用等级低", detail=f"最近的纳税信用等级为 {grade} 级", tone="alert"))
    arrears = [t for t in tax if _number(t.values.get("实缴税额（元）")) < _number(t.values.get("应纳税额（元）"))]
    if arrears:
        risks.append(Risk(title="欠缴税款", detail=f"{len(arrears)} 笔税款实缴少于应纳", tone="alert"))
    overdue = [e for e in equipment if (e.values.get("下次检验日期") or "9999") < today.isoformat()]
    if overdue:
        risks.append(Risk(title="特种设备超期未检", detail=f"{len(overdue)} 台设备已过下次检验日期", tone="alert"))
    return risks


def _registry_dataset() -> str:
    return f"registry-{CODE}"


def entity_portrait(uow: UnitOfWork, actor: Actor, store: DatasetStore, entity_id: str) -> EntityPortrait:
    """法人画像: the golden record, each value with its source and date, the entity's licences, penalties, tax,
    equipment and social-insurance headcount, entities with the same legal representative, and the risks."""
    access.require(actor, perms.VIEW_PORTRAIT)
    try:
        record = fusion.registry_record(uow, PLATFORM, store, CODE, entity_id)
    except NotFound:
        raise NotFound(f"法人基础库中没有主体 {entity_id}。", field="entity_id") from None
    sources = _Sources(uow)
    fields = [_value(v, sources) for v in record.values if v.subject is None]
    values = {v.field: v.value for v in fields}
    penalties = _source_records(uow, store, sources, record, PENALTIES)
    tax = _source_records(uow, store, sources, record, TAX)
    equipment = _source_records(uow, store, sources, record, EQUIPMENT)
    rep_id = values.get("legal_rep_id")
    related = [] if not rep_id else [
        RelatedEntity(entity_id=r[ID_TITLE], name=r.get("名称"), status=r.get("登记状态"))
        for r in _records(uow, store, _registry_dataset(), Filter("法定代表人证件号码", "eq", rep_id))
        if r[ID_TITLE] != entity_id]
    today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
    portrait = EntityPortrait(
        entity_id=entity_id, name=values.get("name"), fields=fields, legal_rep_id=rep_id,
        licences=_source_records(uow, store, sources, record, LICENCES), penalties=penalties, tax=tax,
        equipment=equipment, headcount=_headcount(uow, store, sources, values.get("credit_code")), related=related,
        risks=_risks(values, penalties, tax, equipment, today), members=len(record.members))
    _viewed(uow, actor, f"entity:{entity_id}", entity_id)
    return portrait


def person_portrait(uow: UnitOfWork, actor: Actor, store: DatasetStore, id_number: str) -> PersonPortrait:
    """人员画像: the person's golden record in the population registry (when it is fused), each value with its
    source, date and row, and the entities the person is legal representative of, with the row saying so."""
    access.require(actor, perms.VIEW_PORTRAIT)
    sources = _Sources(uow)
    golden: list[PortraitValue] = []
    person_id = None
    try:
        population = fusion.registry_spec(uow, PLATFORM, POPULATION)
    except NotFound:
        population = None
    if population is not None:
        found = _records(uow, store, population.dataset(), Filter("公民身份号码", "eq", id_number))
        if found:
            person_id = found[0][population.id_title]
            record = fusion.registry_record(uow, PLATFORM, store, POPULATION, person_id)
            items = {(r.field, s.dataset): s.item for r in population.table.fields for s in r.sources}
            golden = [_value(v, sources, items.get((v.field, v.source))) for v in record.values
                      if v.subject is None]
    represented = _records(uow, store, _registry_dataset(), Filter("法定代表人证件号码", "eq", id_number))
    if not golden and not represented:
        raise NotFound(f"人口基础库和法人基础库中都没有公民身份号码 {id_number}。", field="id_number")
    represents = []
    for entity in represented:
        record = fusion.registry_record(uow, PLATFORM, store, CODE, entity[ID_TITLE])
        represents += [_value(v, sources) for v in record.values if v.field in ("legal_rep", "legal_rep_id")]
    _viewed(uow, actor, f"person:{id_number}", id_number)
    name = next((v.value for v in golden if v.field == "name"), None) or next(
        (r.get("法定代表人") for r in represented), None)
    return PersonPortrait(id_number=id_number, person_id=person_id, name=name, fields=golden,
                          represents=represents, entities=[
                              RelatedEntity(entity_id=r[ID_TITLE], name=r.get("名称"), status=r.get("登记状态"))
                              for r in represented])


def _viewed(uow: UnitOfWork, actor: Actor, target: str, subject: str) -> None:
    with uow:
        uow.emit(PortraitViewed(actor=actor, target=target, subject=subject))
        uow.commit()


def source_row(uow: UnitOfWork, actor: Actor, store: DatasetStore, resource_code: str, version: int,
               row: int) -> SourceRowView:
    """The row of a source resource's dataset version a registry value came from (the registries' sources
    only: this registry's and the population registry's)."""
    access.require(actor, perms.VIEW_PORTRAIT)
    sources = _Sources(uow)
    entry = sources.by_code.get(resource_code)
    wanted = set(authority_table().dates) | {INSURANCE}
    with contextlib.suppress(NotFound):
        wanted |= set(fusion.registry_spec(uow, PLATFORM, POPULATION).table.dates)
    key = f"{entry.provider_name}/{entry.name}" if entry is not None else ""
    if key not in wanted:
        raise NotFound(f"资源 {resource_code} 不是基础库的数据源。", field="resource_code")
    if row < 1:
        raise InvalidInput("行号从 1 开始。", field="row")
    page = datasets.read_row(uow, PLATFORM, store, sources.dataset(resource_code), version, row)
    with uow:
        uow.emit(SourceRowViewed(actor=actor, target=f"resource:{resource_code}", resource_code=resource_code,
                                 version=version, row=row))
        uow.commit()
    return SourceRowView(origin=sources.ref(key, resource_code, version, row),
                         columns=[c.name for c in page.columns], values=page.rows[0])


def find_entities(uow: UnitOfWork, actor: Actor, store: DatasetStore, text: str = "", limit: int = 50
                  ) -> list[RelatedEntity]:
    """Entities of the registry whose name contains `text` or whose credit code is `text` (all when empty)."""
    access.require(actor, perms.VIEW_PORTRAIT)
    text = text.strip()[:100]
    if not text:
        filters: tuple[Filter, ...] = ()
    elif len(text) == 18 and text.isalnum():
        filters = (Filter("统一社会信用代码", "eq", text.upper()),)
    else:
        filters = (Filter("名称", "contains", text),)
    try:
        page = datasets.read_records(uow, PLATFORM, store, _registry_dataset(),
                                     RecordQuery(filters=filters, limit=limit))
    except NotFound:
        return []
    return [RelatedEntity(entity_id=r[ID_TITLE], name=r.get("名称"), status=r.get("登记状态")) for r in page.rows]
