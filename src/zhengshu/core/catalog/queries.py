"""Read-side SQL of the catalogue: entry views, the browse list with its facets, and the export.

`department` limits what an actor sees: None for everything (platform admins), otherwise published and retired
entries plus every entry of that department (a department's own drafts)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, true
from sqlalchemy.orm import Session

from zhengshu.core.catalog.domain.values import (
    VISIBLE_TO_ALL,
    DataType,
    Directory,
    FormatType,
    Level,
    MountKind,
    OpeningType,
    PersonalInfo,
    SharingMode,
    SharingType,
    Status,
    Step,
    UpdateCycle,
    section_title,
)
from zhengshu.core.catalog.schemas import (
    ClassificationView,
    Coded,
    EntryFilter,
    EntryPage,
    EntrySummary,
    EntryView,
    Facets,
    FacetValue,
    FormatView,
    HistoryView,
    ItemView,
    MountView,
    OpeningView,
    SharingView,
    VersionView,
)
from zhengshu.core.catalog.tables import entries, history, items, related, versions

EVERYTHING = object()  # the `department` of someone who sees every entry


def _scope(department: str | object | None) -> ColumnElement[bool]:
    if department is EVERYTHING:
        return true()
    public = entries.c.status.in_([s.value for s in VISIBLE_TO_ALL])
    return or_(public, entries.c.provider_code == department) if department else public


def _text(text: str) -> ColumnElement[bool]:
    needle = text.strip().lower()
    if not needle:
        return true()
    match = [func.lower(c).contains(needle, autoescape=True)
             for c in (entries.c.code, entries.c.name, entries.c.abstract, entries.c.provider_name)]
    item_match = exists().where(items.c.entry_code == entries.c.code,
                                func.lower(items.c.name).contains(needle, autoescape=True))
    return or_(*match, item_match)


FACETS = {"directory": entries.c.directory, "provider": entries.c.provider_code,
          "sharing_type": entries.c.sharing_type, "status": entries.c.status}


def _conditions(filt: EntryFilter, department: Any, skip: str | None = None) -> list[ColumnElement[bool]]:
    wanted = [_scope(department), _text(filt.text)]
    for name, column in FACETS.items():
        value = getattr(filt, name)
        if value and name != skip:
            wanted.append(column == value)
    return wanted


def _coded(term: type, value: str | None) -> Coded | None:
    return Coded.of(term(value)) if value else None


def _summary(row: Any) -> EntrySummary:
    return EntrySummary(
        code=row["code"], name=row["name"], directory=Coded.of(Directory(row["directory"])),
        provider_code=row["provider_code"], provider_name=row["provider_name"],
        sharing_type=_coded(SharingType, row["sharing_type"]), opening_type=_coded(OpeningType, row["opening_type"]),
        status=Coded.of(Status(row["status"])), version=row["version"], published_on=row["published_on"],
        updated_at=row["updated_at"],
    )


def _facet(session: Session, name: str, filt: EntryFilter, department: Any) -> list[FacetValue]:
    column = FACETS[name]
    query = (select(column.label("value"), func.max(entries.c.provider_name).label("provider_name"),
                    func.count().label("n"))
             .where(*_conditions(filt, department, skip=name), column.is_not(None)).group_by(column))
    term = {"directory": Directory, "sharing_type": SharingType, "status": Status}.get(name)
    values = []
    for row in session.execute(query).mappings():
        label = row["provider_name"] if term is None else term(row["value"]).label
        values.append(FacetValue(value=row["value"], label=label, count=row["n"]))
    order = {m.value: n for n, m in enumerate(term)} if term else {}
    return sorted(values, key=lambda f: (order.get(f.value, 0), f.value))


def list_entries(session: Session, filt: EntryFilter, department: Any, page: int, page_size: int,
                 can_register: bool) -> EntryPage:
    where = _conditions(filt, department)
    total = session.execute(select(func.count()).select_from(entries).where(*where)).scalar_one()
    rows = session.execute(select(entries).where(*where).order_by(entries.c.code)
                           .limit(page_size).offset((page - 1) * page_size)).mappings()
    facets = Facets(**{name: _facet(session, name, filt, department) for name in FACETS})
    return EntryPage(entries=[_summary(r) for r in rows], total=total, page=page, page_size=page_size,
                     facets=facets, can_register=can_register)


def _views(session: Session, query: Select) -> list[EntryView]:
    """Full views of the entries a query selects, their items and related codes read in one query each."""
    rows = list(session.execute(query).mappings())
    codes = query.with_only_columns(entries.c.code).order_by(None).scalar_subquery()
    by_entry: dict[str, list[ItemView]] = defaultdict(list)
    for r in session.execute(select(items).where(items.c.entry_code.in_(codes)).order_by(items.c.position)):
        by_entry[r.entry_code].append(ItemView(
            name=r.name, data_type=Coded.of(DataType(r.data_type)), length=r.length, level=Coded.of(Level(r.level)),
            personal_info=Coded.of(PersonalInfo(r.personal_info)), is_key=r.is_key))
    links: dict[str, list[str]] = defaultdict(list)
    for r in session.execute(select(related).where(related.c.entry_code.in_(codes)).order_by(related.c.position)):
        links[r.entry_code].append(r.related_code)
    return [_view(row, by_entry[row["code"]], links[row["code"]]) for row in rows]


def _view(row: Any, item_views: list[ItemView], related_codes: list[str]) -> EntryView:
    directory = Directory(row["directory"])
    level = max((Level(i.level.value) for i in item_views), key=lambda lv: lv.rank, default=None)
    return EntryView(
        code=row["code"],
        classification=ClassificationView(
            code=row["classification_code"], directory=Coded.of(directory), section=row["section"],
            section_title=section_title(directory, row["section"]), heading=row["heading"],
            subheading=row["subheading"]),
        name=row["name"], provider_code=row["provider_code"], provider_name=row["provider_name"],
        provider_credit_code=row["provider_credit_code"], abstract=row["abstract"],
        format=FormatView(type=Coded.of(FormatType(row["format_type"])), detail=row["format_detail"])
        if row["format_type"] else None,
        items=item_views, level=Coded.of(level),
        sharing=SharingView(type=Coded.of(SharingType(row["sharing_type"])), condition=row["sharing_condition"],
                            legal_basis=row["sharing_basis"], mode=_coded(SharingMode, row["sharing_mode"]))
        if row["sharing_type"] else None,
        opening=OpeningView(type=Coded.of(OpeningType(row["opening_type"])), condition=row["opening_condition"])
        if row["opening_type"] else None,
        update_cycle=_coded(UpdateCycle, row["update_cycle"]), update_cycle_note=row["update_cycle_note"],
        related_codes=related_codes, owner=row["owner"], contact=row["contact"],
        status=Coded.of(Status(row["status"])), version=row["version"],
        mount=MountView(kind=Coded.of(MountKind(row["mount_kind"])), reference=row["mount_reference"],
                        columns=list(row["mount_columns"] or [])) if row["mount_kind"] else None,
        published_on=row["published_on"], retired_reason=row["retired_reason"], created_at=row["created_at"],
        updated_at=row["updated_at"],
    )


def entry_view(session: Session, code: str) -> EntryView | None:
    found = _views(session, select(entries).where(entries.c.code == code))
    return found[0] if found else None


def entry_history(session: Session, code: str) -> list[HistoryView]:
    rows = session.execute(select(history).where(history.c.entry_code == code).order_by(history.c.id)).mappings()
    return [HistoryView(action=Coded.of(Step(r["action"])), version=r["version"], actor=r["actor"],
                        actor_name=r["actor_name"], note=r["note"], occurred_at=r["occurred_at"]) for r in rows]


def entry_versions(session: Session, code: str) -> list[VersionView]:
    query = select(versions.c.version, versions.c.published_on, versions.c.published_at, versions.c.published_by)
    rows = session.execute(query.where(versions.c.entry_code == code).order_by(versions.c.version.desc()))
    return [VersionView(**r) for r in rows.mappings()]


def version_snapshot(session: Session, code: str, version: int) -> dict[str, Any] | None:
    query = select(versions.c.snapshot).where(versions.c.entry_code == code, versions.c.version == version)
    return session.execute(query).scalar_one_or_none()


def export_entries(session: Session, filt: EntryFilter, department: Any) -> list[EntryView]:
    return _views(session, select(entries).where(*_conditions(filt, department)).order_by(entries.c.code))

