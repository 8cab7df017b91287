"""The fusion report (融合报告), the review queue (复核) and one record with its lineage (what a portrait shows).
Everything is read from the registry's current dataset versions and its runs."""

from __future__ import annotations

import polars as pl

from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.schemas import Filter, RecordQuery
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion import permissions as perms
from zhengshu.core.fusion import queries, repository
from zhengshu.core.fusion.domain import (
    CONFIRM,
    DECISION_TITLES,
    SPLIT,
    RegistrySpec,
    declared_registries,
    fingerprints,
    parse_row_key,
    review_queue,
    weight_histogram,
)
from zhengshu.core.fusion.events import ClusterReviewed, RecordRead
from zhengshu.core.fusion.schemas import (
    DecisionInput,
    DecisionView,
    GoldenValue,
    MemberRow,
    RecordView,
    RegistryInfo,
    ReportView,
    ReviewItem,
    RunView,
)
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Card

REVIEW_PAGE = 100  # clusters listed on the report


def registry_spec(uow: UnitOfWork, actor: Actor, code: str) -> RegistrySpec:
    """A declared registry's spec by its code (population, legal_entity, ...)."""
    access.require(actor, perms.VIEW)
    build = declared_registries().get(code)
    if build is None:
        raise NotFound(f"没有基础库 {code}", field="registry")
    return build()


def list_registries(uow: UnitOfWork, actor: Actor) -> list[RegistryInfo]:
    access.require(actor, perms.VIEW)
    return [_info(build()) for build in declared_registries().values()]


def _info(spec: RegistrySpec) -> RegistryInfo:
    return RegistryInfo(code=spec.code, title=spec.title, dataset_code=spec.dataset(), id_title=spec.id_title)


def list_runs(uow: UnitOfWork, actor: Actor, registry: str, limit: int = 20) -> list[RunView]:
    access.require(actor, perms.VIEW)
    with uow.reading() as session:
        return [RunView.of(r) for r in queries.runs_of(session, registry, limit)]


# The report's own datasets are read as the platform once the viewer's fusion.view is checked: an analyst
# holds that permission but not the registry owner's dataset rights, and `members` holds fingerprints and
# weights, no one's values.
REPORTER = system_actor("融合报告")


def _members(uow: UnitOfWork, store: DatasetStore, spec: RegistrySpec, last: RunView | None,
             ) -> pl.DataFrame | None:
    if last is None:
        return None
    return datasets.read_columns(uow, REPORTER, store, spec.dataset("members"), None,
                                 version=last.counts["outputs"]["members"])


def _confirmed(uow: UnitOfWork, registry: str) -> dict[str, str]:
    with uow.reading() as session:
        return {d["record_id"]: d["fingerprint"] for d in queries.decisions_of(session, registry)
                if d["decision"] == CONFIRM}


def fusion_report(uow: UnitOfWork, actor: Actor, store: DatasetStore, registry: str) -> ReportView:
    """Last runs, rows per source and link kind, the match-weight distribution and clusters needing review."""
    spec = registry_spec(uow, actor, registry)
    runs = list_runs(uow, actor, registry)
    last = next((r for r in runs if r.status == "succeeded"), None)
    members = _members(uow, store, spec, last)
    links: dict[str, dict[str, int]] = {s.source: s.links for s in last.sources} if last else {}
    kinds = sorted({k for by_kind in links.values() for k in by_kind})
    queue = review_queue(members, spec.review_below, _confirmed(uow, registry), spec.review_links) \
        if members is not None else None
    review = [ReviewItem(**r) for r in queue.head(REVIEW_PAGE).iter_rows(named=True)] if queue is not None else []
    return ReportView(registry=_info(spec), runs=runs, last_good=last, link_kinds=kinds, links=links,
                      weights=weight_histogram(members) if members is not None else [], review=review,
                      review_total=queue.height if queue is not None else 0, review_below=spec.review_below)


def _record_frames(uow: UnitOfWork, actor: Actor, store: DatasetStore, spec: RegistrySpec, record_id: str,
                   ) -> tuple[int, pl.DataFrame, pl.DataFrame]:
    """The current lineage and members of one record (read by filter, not whole datasets)."""
    by_id = (Filter("id", "eq", record_id),)
    lineage = datasets.read_records(uow, actor, store, spec.dataset("lineage"),
                                    RecordQuery(filters=by_id, limit=1000))
    members = datasets.read_records(uow, actor, store, spec.dataset("members"),
                                    RecordQuery(filters=by_id, limit=1000))
    if not members.rows:
        raise NotFound(f"{spec.title}中没有 {record_id}", field="record_id")
    return (lineage.version, pl.DataFrame(lineage.rows, infer_schema_length=None),
            pl.DataFrame(members.rows, infer_schema_length=None))


def registry_record(uow: UnitOfWork, actor: Actor, store: DatasetStore, registry: str, record_id: str,
                    ) -> RecordView:
    """One record of a registry (a person, an entity): each golden value with its lineage (source resource,
    version, row, date, how it was chosen) and every member row — for portraits and the review queue."""
    access.require(actor, perms.RECORD)
    spec = registry_spec(uow, actor, registry)
    version, lineage, members = _record_frames(uow, actor, store, spec, record_id)
    titles = {rule.field: rule.title for rule in spec.table.fields}
    order = {rule.field: i for i, rule in enumerate(spec.table.fields)}
    values = sorted((GoldenValue(title=titles.get(r["field"], r["field"]), **{
        k: r[k] for k in ("field", "value", "source", "resource_code", "version", "row", "date", "basis", "subject")})
        for r in lineage.iter_rows(named=True)), key=lambda v: order.get(v.field, 99))
    fixed = {"id", "source", "resource_code", "version", "row", "hash", "dup", "link", "match_weight"}
    rows = [MemberRow(**{k: r[k] for k in fixed - {"id"}}, fields={k: v for k, v in r.items() if k not in fixed})
            for r in members.sort("source", "row").iter_rows(named=True)]
    with uow:
        uow.emit(RecordRead(actor=actor, target=f"registry:{registry}", registry=registry, record_id=record_id))
        uow.commit()
    return RecordView(registry=registry, id=record_id, version=version, values=values, members=rows,
                      fingerprint=fingerprints(members)["fingerprint"].item())


def decide_cluster(uow: UnitOfWork, actor: Actor, store: DatasetStore, registry: str,
                   data: DecisionInput) -> DecisionView:
    """复核: confirm a doubtful cluster as one, or split rows off it; the next run applies a split. A decision
    made on a cluster that has changed since (its fingerprint differs) is refused: stale cluster."""
    access.require(actor, perms.REVIEW)
    spec = registry_spec(uow, actor, registry)
    if data.decision not in DECISION_TITLES:
        raise InvalidInput("复核结论须为 confirm（确认）或 split（拆分）。", field="decision")
    _, _, members = _record_frames(uow, actor, store, spec, data.record_id)
    current = fingerprints(members)["fingerprint"].item()
    if current != data.fingerprint:
        raise Conflict(f"stale cluster：{data.record_id} 在您打开后已被重新融合（成员已变化），请刷新后重新复核。",
                       field="fingerprint", details={"reason": "stale_cluster"})
    rows: list[list] = []
    if data.decision == SPLIT:
        keys = {(s, h, d) for s, h, d in members.select("source", "hash", "dup").iter_rows()}
        try:
            chosen = [parse_row_key(text) for text in data.rows]
        except ValueError as exc:
            raise InvalidInput(f"拆分的行标识有误：{exc}", field="rows") from None
        if not chosen or any(c not in keys for c in chosen) or len(set(chosen)) >= len(keys):
            raise InvalidInput("拆分须选择该簇的部分行（至少一行，不能是全部）。", field="rows")
        rows = [list(c) for c in chosen]
    with uow:
        decision_id = repository.add_decision(
            uow.session, registry=registry, record_id=data.record_id, fingerprint=current, decision=data.decision,
            rows=rows, note=data.note.strip()[:2000], decided_by=actor.label, decided_at=clock.now())
        uow.emit(ClusterReviewed(actor=actor, target=f"registry:{registry}", registry=registry,
                                 record_id=data.record_id, decision=data.decision, rows=len(rows)))
        uow.commit()
    return DecisionView(id=decision_id, registry=registry, record_id=data.record_id, decision=data.decision,
                        decision_title=DECISION_TITLES[data.decision], rows=len(rows), note=data.note.strip(),
                        decided_by=actor.label, decided_at=clock.now())


def home_cards(uow: UnitOfWork, actor: Actor) -> list[Card]:
    """For those who see the fusion report: each registry's clusters awaiting review (as its last successful
    run counted them), red when the registry's newest run failed (it keeps serving the last good version)."""
    if not access.can(actor, perms.VIEW):
        return []
    cards = []
    for code, build in declared_registries().items():
        with uow.reading() as session:
            runs = queries.runs_of(session, code, 20)
        if not runs:
            continue
        title = build().title
        if runs[0]["status"] == "failed":
            cards.append(Card(f"{title}最近一次融合失败", runs[0]["id"], f"/fusion/{code}", "alert",
                              runs[0]["error"][:60]))
        good = next((r for r in runs if r["status"] == "succeeded"), None)
        if good is not None:
            waiting = int(good["counts"].get("review", 0))
            cards.append(Card(f"{title}待复核的簇", waiting, f"/fusion/{code}", "warning" if waiting else "normal"))
    return cards
