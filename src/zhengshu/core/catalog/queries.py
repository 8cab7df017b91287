"""Read-side SQL of the catalogue: entry views, the browse list with its facets, and the export.

`department` limits what an actor sees: None for everything (platform admins), otherwise published and retired
entries plus every entry of that department (a department's own drafts)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, func, or_, select, true
from sqlalchemy.orm import Session

from zhengshu.core.catalog.domain.search import SearchDocument, SearchIndex, SearchResult
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
    section_label,
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
    SearchView,
    SharingView,
    VersionView,
)
from zhengshu.core.catalog.tables import entries, history, items, related, versions
from zhengshu.kernel.terms import Term

EVERYTHING = object()  # the `department` of someone who sees every entry


def _scope(department: str | object | None) -> ColumnElement[bool]:
    if department is EVERYTHING:
        return true()
    public = entries.c.status.in_([s.value for s in VISIBLE_TO_ALL])
    return or_(public, entries.c.provider_code == department) if department else public


def _substring(text: str) -> ColumnElement[bool]:
    """The fallback when no word of the text is in the index: a substring of a code, name, abstract, provider
    or item name."""
    needle = text.strip().lower()
    match = [func.lower(c).contains(needle, autoescape=True)
             for c in (entries.c.code, entries.c.name, entries.c.abstract, entries.c.provider_name)]
    item_match = exists().where(items.c.entry_code == entries.c.code,
                                func.lower(items.c.name).contains(needle, autoescape=True))
    return or_(*match, item_match)


FACETS: dict[str, ColumnElement[Any]] = {
    "directory": entries.c.directory, "classification": func.substr(entries.c.classification_code, 1, 3),
    "provider": entries.c.provider_code, "sharing_type": entries.c.sharing_type,
    "opening_type": entries.c.opening_type, "update_cycle": entries.c.update_cycle, "status": entries.c.status,
}
TERMS: dict[str, type[Term]] = {"directory": Directory, "sharing_type": SharingType, "opening_type": OpeningType,
                                "update_cycle": UpdateCycle, "status": Status}


@dataclass(frozen=True)
class _Query:
    """A browse request as SQL sees it: the filters, the actor's scope and, when searching, the hits."""

    filt: EntryFilter
    department: Any
    found: SearchResult | None

    def conditions(self, skip: str | None = None) -> list[ColumnElement[bool]]:
        wanted = [_scope(self.department)]
        if self.found is not None:
            wanted.append(entries.c.code.in_(self.found.codes) if self.found.mode != "none"
                          else _substring(self.filt.text))
        for name, column in FACETS.items():
            value = getattr(self.filt, name)
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


def _facet(session: Session, name: str, query: _Query) -> list[FacetValue]:
    column = FACETS[name]
    counted = (select(column.label("value"), func.max(entries.c.provider_name).label("provider_name"),
                      func.count().label("n"))
               .where(*query.conditions(skip=name), column.is_not(None)).group_by(column))
    term = TERMS.get(name)
    values = []
    for row in session.execute(counted).mappings():
        label = (term(row["value"]).label if term else section_label(row["value"]) if name == "classification"
                 else row["provider_name"])
        values.append(FacetValue(value=row["value"], label=label, count=row["n"]))
    order = {m.value: n for n, m in enumerate(term)} if term else {}
    return sorted(values, key=lambda f: (order.get(f.value, 0), f.value))


def list_entries(session: Session, filt: EntryFilter, department: Any, page: int, page_size: int,
                 can_register: bool) -> EntryPage:
    """A page of the entries the filters select, best match first when searching, with every facet."""
    found = search_index(session).search(filt.text) if filt.text else None
    query = _Query(filt, department, found)
    where, offset = query.conditions(), (page - 1) * page_size
    if found is not None and found.mode != "none":
        wanted = set(session.execute(select(entries.c.code).where(*where)).scalars())
        ranked = [code for code in found.codes if code in wanted]
        total, shown = len(ranked), ranked[offset:offset + page_size]
        rows = {r["code"]: r for r in session.execute(select(entries).where(entries.c.code.in_(shown))).mappings()}
        summaries = [_summary(rows[code]) for code in shown]
    else:
        total = session.execute(select(func.count()).select_from(entries).where(*where)).scalar_one()
        rows = session.execute(select(entries).where(*where).order_by(entries.c.code)
                               .limit(page_size).offset(offset)).mappings()
        summaries = [_summary(r) for r in rows]
    facets = Facets(**{name: _facet(session, name, query) for name in FACETS})
    search = SearchView(words=list(found.words), mode=found.mode) if found is not None else None
    return EntryPage(entries=summaries, total=total, page=page, page_size=page_size, facets=facets,
                     search=search, can_register=can_register)


# --- the search index: built from the entries, kept per database, rebuilt when the catalogue changes --------

_INDEXES: dict[str, tuple[tuple[Any, ...], SearchIndex]] = {}


def _last_change(session: Session) -> tuple[Any, ...]:
    """Changes when any entry changes: every write updates an entry's `updated_at` and adds a history line."""
    count, updated = session.execute(select(func.count(), func.max(entries.c.updated_at))).one()
    return count, updated, session.execute(select(func.max(history.c.id))).scalar_one()


def _documents(session: Session) -> Iterator[SearchDocument]:
    item_names: dict[str, list[str]] = defaultdict(list)
    for code, name in session.execute(select(items.c.entry_code, items.c.name).order_by(items.c.position)):
        item_names[code].append(name)
    columns = (entries.c.code, entries.c.classification_code, entries.c.directory, entries.c.section,
               entries.c.name, entries.c.abstract, entries.c.provider_name)
    for r in session.execute(select(*columns)).mappings():
        directory = Directory(r["directory"])
        yield SearchDocument(r["code"], {
            "code": f"{r['code']} {r['classification_code']}", "name": r["name"], "abstract": r["abstract"],
            "items": " ".join(item_names[r["code"]]), "provider": r["provider_name"],
            "classification": f"{directory.label} {section_title(directory, r['section'])}",
        })


def search_index(session: Session, *, rebuild: bool = False) -> SearchIndex:
    """The database's catalogue search index, built again when the catalogue changed since it was built."""
    key = session.get_bind().engine.url.render_as_string(hide_password=True)
    stamp = _last_change(session)
    cached = _INDEXES.get(key)
    if cached is None or cached[0] != stamp or rebuild:
        cached = stamp, SearchIndex.build(_documents(session))
        _INDEXES[key] = cached
    return cached[1]


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
    """Every entry the filters select, in full: best match first when searching, else by code."""
    found = search_index(session).search(filt.text) if filt.text else None
    views = _views(session, select(entries).where(*_Query(filt, department, found).conditions())
                   .order_by(entries.c.code))
    if found is not None and found.mode != "none":
        rank = {code: n for n, code in enumerate(found.codes)}
        views.sort(key=lambda view: rank[view.code])
    return views

