"""Catalogue use cases. Each takes the unit of work and the acting actor first and checks permissions through
`identity.access` before it reads or writes anything; a refusal reads as "not found".

Who sees what: every staff member sees published and retired entries; an entry before publication is seen by
its own department and by those who manage every department (platform admins, the platform itself).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from zhengshu.core.catalog import permissions as perms
from zhengshu.core.catalog import queries, repository
from zhengshu.core.catalog.domain import dcat, lifecycle
from zhengshu.core.catalog.domain.lifecycle import Entry
from zhengshu.core.catalog.domain.metadata import (
    Metadata,
    check_consistency,
    make_classification,
    make_metadata,
    resource_code,
)
from zhengshu.core.catalog.domain.values import (
    SECTION_KEY,
    VISIBLE_TO_ALL,
    Directory,
    OpeningType,
    SharingType,
    Status,
    Step,
    UpdateCycle,
)
from zhengshu.core.catalog.events import EntryMounted, EntryPublished, EntryRegistered, EntryRetired, EntryUpdated
from zhengshu.core.catalog.schemas import (
    CatalogExport,
    Department,
    EntryCreate,
    EntryDetail,
    EntryFilter,
    EntryPage,
    EntryUpdate,
    EntryView,
    FormOptions,
    MetadataInput,
    MountInput,
    RetireInput,
    SearchIndexStats,
    value_domains,
)
from zhengshu.core.identity import access
from zhengshu.core.identity import service as identity
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork

PAGE_SIZE = 20
MAX_PAGE = 1000  # the most entries one page may hold (the command line lists more than the pages)


def _today() -> date:
    """发布日期 is the date in the city (Asia/Shanghai)."""
    return clock.now().astimezone(clock.DISPLAY_ZONE).date()


def _scope(actor: Actor) -> Any:
    """`queries.EVERYTHING` for those who manage every department's entries, else the actor's department."""
    return queries.EVERYTHING if access.city_wide(actor, perms.MANAGE) else actor.department_code


def _visible(actor: Actor, view: EntryView) -> bool:
    scope = _scope(actor)
    return Status(view.status.value) in VISIBLE_TO_ALL or scope is queries.EVERYTHING or (
        scope is not None and scope == view.provider_code)


def _metadata(data: MetadataInput, own_code: str | None = None) -> Metadata:
    return make_metadata(
        name=data.name, abstract=data.abstract, provider_credit_code=data.provider_credit_code,
        format_type=data.format.type if data.format else "", format_detail=data.format.detail if data.format else "",
        items=[i.model_dump() for i in data.items],
        sharing_type=data.sharing.type if data.sharing else "",
        sharing_condition=data.sharing.condition if data.sharing else "",
        sharing_basis=data.sharing.legal_basis if data.sharing else "",
        sharing_mode=data.sharing.mode if data.sharing else "",
        opening_type=data.opening.type if data.opening else "",
        opening_condition=data.opening.condition if data.opening else "",
        update_cycle=data.update_cycle, update_cycle_note=data.update_cycle_note,
        related_codes=data.related_codes, owner=data.owner, contact=data.contact, own_code=own_code,
    )


def _departments(uow: UnitOfWork, actor: Actor) -> list[Department]:
    organisations = identity.list_organisations(uow, actor)
    return [Department(code=o.code, name=o.name) for o in organisations if o.kind == "department"]


def _managed(uow: UnitOfWork, actor: Actor, code: str) -> Entry:
    """The entry, inside the open unit of work, if the actor may manage it; NotFound otherwise."""
    entry = repository.get_entry(uow.session, code.strip())
    if entry is None:
        raise access.hidden()
    access.require(actor, perms.MANAGE, department=entry.provider_code)
    return entry


def register_entry(uow: UnitOfWork, actor: Actor, data: EntryCreate) -> EntryDetail:
    """注册: a new entry in its department's catalogue; its code is the 分类码 and the next 顺序码 under it."""
    access.require(actor, perms.MANAGE, department=data.provider_code)
    c = data.classification
    classification = make_classification(c.directory, c.section, c.heading, c.subheading)
    meta = _metadata(data)
    provider = next((d for d in _departments(uow, actor) if d.code == data.provider_code), None)
    if provider is None:
        raise InvalidInput(f"提供部门不存在：{data.provider_code}", field="provider_code")
    with uow:
        sequence = repository.next_sequence(uow.session, classification.code)
        code = resource_code(classification.code, sequence)
        entry = Entry(code, classification, provider.code, provider.name, check_consistency(meta, code))
        now = clock.now()
        repository.add_entry(uow.session, entry, sequence, now)
        repository.add_history(uow.session, entry, Step.REGISTERED, actor, now)
        uow.emit(EntryRegistered(actor=actor, target=f"catalog_entry:{code}", code=code, name=meta.name,
                                 provider_code=provider.code))
        uow.commit()
    return get_entry(uow, actor, code)


def update_entry(uow: UnitOfWork, actor: Actor, code: str, data: EntryUpdate) -> EntryDetail:
    """修改: in place before publication; after it, a new version published at once (see `lifecycle.revise`)."""
    access.require(actor, perms.MANAGE)
    with uow:
        entry = _managed(uow, actor, code)
        revision = lifecycle.revise(entry, _metadata(data, entry.code), _today(), data.columns)
        if revision.entry != entry:
            updated, now = revision.entry, clock.now()
            repository.save_entry(uow.session, updated, now, metadata_changed=True)
            note = "信息项与挂接的数据集不再一致，已退回“已注册”，请重新挂接。" if revision.unmounted else ""
            step = Step.REVISED if revision.new_version else Step.UPDATED
            repository.add_history(uow.session, updated, step, actor, now, note)
            if revision.new_version:
                repository.add_version(uow.session, updated, actor, now)
            uow.emit(EntryUpdated(actor=actor, target=f"catalog_entry:{entry.code}", code=entry.code,
                                  version=updated.version, new_version=revision.new_version,
                                  items_changed=revision.items_changed, unmounted=revision.unmounted))
            uow.commit()
    return get_entry(uow, actor, code)


def mount_entry(uow: UnitOfWork, actor: Actor, code: str, data: MountInput) -> EntryDetail:
    """挂接: name where the data lives. A dataset's columns (from the dataset store) must match the items."""
    access.require(actor, perms.MANAGE)
    with uow:
        entry = _managed(uow, actor, code)
        mounted = lifecycle.mount(entry, lifecycle.make_mount(data.kind, data.reference, data.columns))
        now, target = clock.now(), mounted.mount
        assert target is not None
        repository.save_entry(uow.session, mounted, now, metadata_changed=False)
        repository.add_history(uow.session, mounted, Step.MOUNTED, actor, now,
                               f"{target.kind.label}：{target.reference}")
        uow.emit(EntryMounted(actor=actor, target=f"catalog_entry:{entry.code}", code=entry.code,
                              kind=target.kind.value, reference=target.reference))
        uow.commit()
    return get_entry(uow, actor, code)


def publish_entry(uow: UnitOfWork, actor: Actor, code: str) -> EntryDetail:
    """发布: a mounted entry with complete core metadata becomes visible to every department."""
    access.require(actor, perms.MANAGE)
    with uow:
        entry = _managed(uow, actor, code)
        published, now = lifecycle.publish(entry, _today()), clock.now()
        repository.save_entry(uow.session, published, now, metadata_changed=False)
        repository.add_history(uow.session, published, Step.PUBLISHED, actor, now)
        repository.add_version(uow.session, published, actor, now)
        uow.emit(EntryPublished(actor=actor, target=f"catalog_entry:{entry.code}", code=entry.code,
                                version=published.version, published_on=str(published.published_on)))
        uow.commit()
    return get_entry(uow, actor, code)


def retire_entry(uow: UnitOfWork, actor: Actor, code: str, data: RetireInput) -> EntryDetail:
    """下架: a published entry is withdrawn, with a reason; its code is never given again."""
    access.require(actor, perms.MANAGE)
    with uow:
        entry = _managed(uow, actor, code)
        retired, now = lifecycle.retire(entry, data.reason), clock.now()
        repository.save_entry(uow.session, retired, now, metadata_changed=False)
        repository.add_history(uow.session, retired, Step.RETIRED, actor, now, retired.retired_reason)
        uow.emit(EntryRetired(actor=actor, target=f"catalog_entry:{entry.code}", code=entry.code,
                              version=retired.version, reason=retired.retired_reason))
        uow.commit()
    return get_entry(uow, actor, code)


def get_entry(uow: UnitOfWork, actor: Actor, code: str) -> EntryDetail:
    """An entry with its items, lifecycle history and published versions."""
    access.require(actor, perms.BROWSE)
    with uow.reading() as session:
        view = queries.entry_view(session, code.strip())
        if view is None or not _visible(actor, view):
            raise access.hidden()
        return EntryDetail(entry=view, history=queries.entry_history(session, view.code),
                           versions=queries.entry_versions(session, view.code),
                           can_manage=access.can(actor, perms.MANAGE, department=view.provider_code))


def published_entry(uow: UnitOfWork, actor: Actor, code: str) -> EntryView | None:
    """A published entry's view (no history, no versions: what a reader of its data needs), or None when it
    is not published or not visible to the actor."""
    access.require(actor, perms.BROWSE)
    with uow.reading() as session:
        view = queries.entry_view(session, code.strip())
    if view is None or view.status.value != Status.PUBLISHED.value or not _visible(actor, view):
        return None
    return view


def get_entry_version(uow: UnitOfWork, actor: Actor, code: str, version: int) -> dict[str, Any]:
    """A published version of an entry as it was published."""
    detail = get_entry(uow, actor, code)
    with uow.reading() as session:
        found = queries.version_snapshot(session, detail.entry.code, version)
    if found is None:
        raise NotFound(f"资源 {detail.entry.code} 没有已发布的第 {version} 版。")
    return found


def _checked(filt: EntryFilter) -> EntryFilter:
    """The filter trimmed, its coded values checked (a wrong one names the field)."""
    filt = filt.model_copy(update={k: (getattr(filt, k) or "").strip() for k in EntryFilter.model_fields})
    for name, term, title in (("directory", Directory, "资源属性分类"), ("sharing_type", SharingType, "共享类型"),
                              ("opening_type", OpeningType, "开放类型"), ("update_cycle", UpdateCycle, "更新周期"),
                              ("status", Status, "状态")):
        if getattr(filt, name):
            term.parse(getattr(filt, name), field=name, title=title)
    if filt.classification and not SECTION_KEY.fullmatch(filt.classification):
        raise InvalidInput("分类须为分类码的前 3 位（类 1 位、项 2 位），如 101。", field="classification")
    return filt


def list_entries(uow: UnitOfWork, actor: Actor, filt: EntryFilter | None = None, page: int = 1,
                 page_size: int = PAGE_SIZE) -> EntryPage:
    """Browse or search the catalogue: the entries the actor may see, a page at a time, with facet counts.
    With a text, the entries are found by Chinese full-text search and come best match first."""
    access.require(actor, perms.BROWSE)
    filt = _checked(filt or EntryFilter())
    with uow.reading() as session:
        return queries.list_entries(session, filt, _scope(actor), max(page, 1), min(max(page_size, 1), MAX_PAGE),
                                    can_register=access.can(actor, perms.MANAGE))


def export_entries(uow: UnitOfWork, actor: Actor, filt: EntryFilter | None = None) -> CatalogExport:
    """The catalogue as JSON: every entry the actor may see (with the same filters as browsing), in full."""
    access.require(actor, perms.BROWSE)
    filt = _checked(filt or EntryFilter())
    with uow.reading() as session:
        found = queries.export_entries(session, filt, _scope(actor))
    return CatalogExport(generated_at=clock.now(), count=len(found), entries=found)


def export_dcat(uow: UnitOfWork, actor: Actor, base_url: str, filt: EntryFilter | None = None) -> dict[str, Any]:
    """The published catalogue as DCAT-AP JSON-LD (a `dcat:Catalog`); only published entries are in it, whoever
    asks. `base_url` is where the platform is reached (the identifiers and links of the document)."""
    access.require(actor, perms.BROWSE)
    filt = _checked(filt or EntryFilter()).model_copy(update={"status": Status.PUBLISHED.value})
    with uow.reading() as session:
        found = queries.export_entries(session, filt, _scope(actor))
    city = next((o for o in identity.list_organisations(uow, actor) if o.kind == "city"), None)
    name, code = (city.name, city.code) if city else ("本市", "")
    return dcat.catalog_document([e.model_dump(mode="json") for e in found], base_url=base_url.rstrip("/"),
                                 title=f"{name}政务数据资源目录", publisher_name=name, publisher_code=code,
                                 modified=clock.now().isoformat())


def entry_dcat(uow: UnitOfWork, actor: Actor, code: str, base_url: str) -> dict[str, Any]:
    """One published entry as a DCAT-AP `dcat:Dataset` (JSON-LD). An entry not published has none."""
    entry = get_entry(uow, actor, code).entry
    if entry.status.value != Status.PUBLISHED.value:
        raise Conflict(f"资源 {entry.code} 当前为“{entry.status.label}”，只有已发布的资源有 DCAT-AP 描述。")
    return dcat.dataset_document(entry.model_dump(mode="json"), base_url.rstrip("/"))


def search_index_stats(uow: UnitOfWork, actor: Actor) -> SearchIndexStats:
    """Rebuild this process's catalogue search index from the database and say how large it is."""
    access.require(actor, perms.MANAGE)
    with uow.reading() as session:
        index = queries.search_index(session, rebuild=True)
    return SearchIndexStats(entries=index.size, words=index.words_indexed)


def form_options(uow: UnitOfWork, actor: Actor) -> FormOptions:
    """What the register form offers this actor: their department (or every department), the value domains."""
    access.require(actor, perms.MANAGE)
    departments = _departments(uow, actor)
    if _scope(actor) is not queries.EVERYTHING:
        departments = [d for d in departments if d.code == actor.department_code]
    return FormOptions(departments=departments, choices=value_domains())

