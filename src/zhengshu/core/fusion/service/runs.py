"""Fusion runs. A run (`run_fusion`) reads the current version of each source dataset that changed since the last
successful run (the others' rows and values come from that run's outputs), links the added rows and the
clusters they touch with the registry's link function, keeps ids stable, makes golden records (一数一源),
writes its outputs as dataset versions and publishes them together at the end, opens correction tasks for
conflicts, and records itself in `fusion_runs`. If anything fails the run is recorded `failed` with the
reason, and the registry's datasets keep their last good versions.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import polars as pl

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, EntryFilter, EntryView, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion import permissions as perms
from zhengshu.core.fusion import queries, repository
from zhengshu.core.fusion.domain import (
    IDENTITY,
    MEMBER_SCHEMA,
    RegistrySpec,
    apply_splits,
    assign_ids,
    identities,
    link_counts,
    plan_run,
    review_queue,
    with_context,
)
from zhengshu.core.fusion.events import FusionFinished, FusionStarted
from zhengshu.core.fusion.golden import VALUE_SCHEMA, field_values, golden_records
from zhengshu.core.fusion.schemas import RunView, SourceRun
from zhengshu.core.identity import access
from zhengshu.core.ingest import service as ingest
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, IntegrityError, InvalidInput, NotFound, ZhengshuError
from zhengshu.kernel.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
Progress = Callable[[str, int, int], None]  # (stage, done, total)
OUTPUTS = ("records", "lineage", "members", "values")
RUN_TIMEOUT = timedelta(hours=6)  # a run still `running` after this was killed: it no longer blocks the next


def _quiet(stage: str, done: int, total: int) -> None:
    return None


def _source_entries(uow: UnitOfWork, actor: Actor, spec: RegistrySpec) -> dict[str, EntryView]:
    """The published catalogue entries mounted on a dataset that the rule table names (部门/资源名)."""
    wanted = set(spec.table.datasets)
    found: dict[str, EntryView] = {}
    for entry in catalog.export_entries(uow, actor, EntryFilter(status="published")).entries:
        key = f"{entry.provider_name}/{entry.name}"
        if key in wanted and entry.mount is not None and entry.mount.kind.value == "dataset":
            found.setdefault(key, entry)
    return found


def _current_version(uow: UnitOfWork, actor: Actor, source: str, entry: EntryView) -> int:
    assert entry.mount is not None
    code = entry.mount.reference
    try:
        current = next((v.version for v in datasets.list_versions(uow, actor, code) if v.current), None)
    except NotFound:
        current = None
    if current is None:
        raise InvalidInput(f"来源 {source}（资源 {entry.code}）挂接的数据集 {code} 没有当前版本，无法融合；"
                           "基础库继续提供上次成功融合的版本。", field="source")
    return current


def _read_source(uow: UnitOfWork, actor: Actor, store: DatasetStore, source: str, entry: EntryView,
                 version: int) -> pl.DataFrame:
    assert entry.mount is not None
    try:
        return datasets.read_columns(uow, actor, store, entry.mount.reference, None, version=version)
    except (NotFound, IntegrityError, OSError) as exc:
        reason = exc.message if isinstance(exc, ZhengshuError) else type(exc).__name__
        raise InvalidInput(f"来源 {source}（数据集 {entry.mount.reference} 第 {version} 版）已不存在或不可读："
                           f"{reason}；基础库继续提供上次成功融合的版本。", field="source") from None


def _previous(uow: UnitOfWork, actor: Actor, store: DatasetStore, spec: RegistrySpec,
              last: dict[str, Any] | None, fields: list[str]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The last good run's members (with their link fields) and values, or empty frames."""
    empty = (pl.DataFrame(schema={**MEMBER_SCHEMA, **dict.fromkeys(fields, pl.String)}),
             pl.DataFrame(schema=VALUE_SCHEMA))
    if last is None:
        return empty
    outputs = last["counts"].get("outputs", {})
    try:
        members = datasets.read_columns(uow, actor, store, spec.dataset("members"), None,
                                        version=outputs["members"])
        values = datasets.read_columns(uow, actor, store, spec.dataset("values"), None, version=outputs["values"])
    except (NotFound, IntegrityError, OSError, KeyError) as exc:
        raise InvalidInput(f"上次成功融合（第 {last['id']} 次）的结果不可读（{exc}）；请删除该基础库的融合状态后"
                           "全量重融。", field="registry") from None
    members = members.with_columns(pl.lit(None, dtype=pl.String).alias(f) for f in fields
                                   if f not in members.columns)
    return members.select(*MEMBER_SCHEMA, *fields).cast(dict(MEMBER_SCHEMA)), values.cast(VALUE_SCHEMA)


def _check_key(spec: RegistrySpec, source: str, entry: EntryView, rows: pl.DataFrame) -> None:
    usable = [f for f in spec.key_fields if f in rows.columns and rows[f].drop_nulls().len() > 0]
    if rows.height and not usable:
        raise InvalidInput(f"来源 {source}（资源 {entry.code}）没有可用的键：{'、'.join(spec.key_fields)} 均缺失或"
                           "全部为空，无法链接到任何对象；基础库继续提供上次成功融合的版本。", field="source")


def _gather(uow: UnitOfWork, actor: Actor, store: DatasetStore, spec: RegistrySpec, last: dict[str, Any] | None,
            previous: tuple[pl.DataFrame, pl.DataFrame], fields: list[str], progress: Progress,
            drop_missing: bool) -> tuple[pl.DataFrame, pl.DataFrame, list[SourceRun]]:
    """Every source's input rows (identity, row, fields) and values: read when its version is new, reused
    from the last run when not. A source the last run used that is gone from the catalogue is an error,
    unless `drop_missing`: then its rows are removed like any removed row."""
    entries = _source_entries(uow, actor, spec)
    if not entries:
        raise InvalidInput(f"资源目录中没有 {spec.title} 的任何来源（{'、'.join(spec.table.datasets)}），无法融合。",
                           field="source")
    before = {s["source"]: s for s in (last or {}).get("sources", [])}
    gone = sorted(set(before) - set(entries))
    if gone and not drop_missing:
        raise InvalidInput(f"上次融合所用的来源已不在资源目录（已下架或未挂接）：{'、'.join(gone)}；基础库继续提供"
                           "上次成功融合的版本。确认要去掉这些来源的数据时，请以“去掉缺失的来源”重新融合"
                           "（zhengshu fuse … --drop-missing）。", field="source")
    members, values = previous
    inputs, all_values, runs = [], [], []
    for done, (source, entry) in enumerate(sorted(entries.items())):
        progress(f"读取 {source}", done, len(entries))
        assert entry.mount is not None
        version = _current_version(uow, actor, source, entry)
        old = before.get(source)
        if old is not None and old["dataset_code"] == entry.mount.reference and old["version"] == version:
            rows = members.filter(pl.col("source") == source).select(*IDENTITY, "row", *fields)
            source_values = values.filter(pl.col("source") == source)
            read = False
        else:
            frame = _read_source(uow, actor, store, source, entry, version)
            rows = spec.rows(source, frame)
            _check_key(spec, source, entry, rows)
            rows = rows.with_columns(pl.lit(None, dtype=pl.String).alias(f) for f in fields if f not in rows.columns)
            rows = identities(source, frame).join(rows.select("source", "row", *fields), on=["source", "row"])
            source_values = field_values(source, frame, spec.table, version=str(version))
            read = True
        inputs.append(rows.select(*IDENTITY, "row", *(pl.col(f).cast(pl.String) for f in fields)))
        all_values.append(source_values)
        runs.append(SourceRun(source=source, resource_code=entry.code, dataset_code=entry.mount.reference,
                              version=version, rows=rows.height, read=read))
    progress("读取完成", len(entries), len(entries))
    return pl.concat(inputs), pl.concat(all_values), runs


def _splits(uow: UnitOfWork, spec: RegistrySpec, members: pl.DataFrame,
            ) -> tuple[list[list[tuple[str, str, int]]], list[str]]:
    """The split decisions (rows of each), and the ids of last run's clusters where one is not yet applied
    (its rows still share a cluster with others): those are linked again so the decision takes effect."""
    with uow.reading() as session:
        decided = [d for d in queries.decisions_of(session, spec.code) if d["decision"] == "split"]
    splits = [[(r[0], r[1], int(r[2])) for r in d["rows"]] for d in decided]
    forced: set[str] = set()
    for rows in splits:
        chosen = pl.DataFrame(rows, schema={"source": pl.String, "hash": pl.String, "dup": pl.Int64}, orient="row")
        marked = members.join(chosen.with_columns(pl.lit(True).alias("s")), on=list(IDENTITY), how="left")
        ids = marked.filter(pl.col("s").is_not_null())["id"].unique().implode()
        mixed = marked.filter(pl.col("id").is_in(ids)).group_by("id").agg(pl.col("s").is_null().any().alias("m"))
        forced |= set(mixed.filter(pl.col("m"))["id"].to_list())
    return splits, sorted(forced)


def _link(spec: RegistrySpec, relink: pl.DataFrame, fields: list[str]) -> pl.DataFrame:
    """The registry's link function on the rows to link again, back with their identities."""
    if relink.is_empty():
        return relink.with_columns(pl.lit(None, dtype=pl.Int64).alias("cluster"),
                                   pl.lit(None, dtype=pl.String).alias("link"),
                                   pl.lit(None, dtype=pl.Float64).alias("match_weight"))
    linked = spec.link(relink.select("source", "row", *fields))
    return relink.join(linked.select("source", "row", "cluster", "link", "match_weight"),
                       on=["source", "row"], how="left")


def _by_source_row_field(values: pl.DataFrame) -> pl.DataFrame:
    """The values by source, row and field, sorting on codes (an `Enum` of the sorted names orders as the
    names do): sorting on the long source strings themselves copies them all (GiBs at 1M people)."""
    def coded(column: str) -> pl.Expr:
        return pl.col(column).cast(pl.Enum(values[column].drop_nulls().unique().sort()))
    return values.sort(coded("source"), "row", coded("field"))


def _outputs(spec: RegistrySpec, members: pl.DataFrame, values: pl.DataFrame, sources: list[SourceRun],
             ) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """The registry's datasets (records, lineage, members, values) and the conflicts."""
    golden = golden_records(members.select("source", "row", pl.col("id").alias("cluster")), values, spec.table)
    titles = {rule.field: rule.title for rule in spec.table.fields}
    records = golden.records.rename({"cluster": spec.id_title, **titles}).sort(spec.id_title)
    resource = pl.DataFrame({"source": [s.source for s in sources],
                             "resource_code": [s.resource_code for s in sources]})
    lineage = golden.lineage.join(resource, on="source", how="left").select(
        pl.col("cluster").alias("id"), "field", "value", "source", "resource_code",
        pl.col("version").cast(pl.Int64), "row", "date", "basis", "subject")
    members = members.join(resource, on="source", how="left").join(
        pl.DataFrame({"source": [s.source for s in sources], "version": [s.version for s in sources]},
                     schema={"source": pl.String, "version": pl.Int64}), on="source", how="left")
    return {"records": records, "lineage": lineage, "members": members.sort("id", "source", "row"),
            "values": _by_source_row_field(values)}, golden.conflicts


def _publish(uow: UnitOfWork, actor: Actor, store: DatasetStore, spec: RegistrySpec,
             frames: dict[str, pl.DataFrame]) -> dict[str, int]:
    """Write each output as a new version (unpublished), then publish them all: a failure before the end
    leaves every current version as it was."""
    names = {"records": (spec.dataset(), spec.title), "lineage": (spec.dataset("lineage"), f"{spec.title}·取值来源"),
             "members": (spec.dataset("members"), f"{spec.title}·链接成员"),
             "values": (spec.dataset("values"), f"{spec.title}·候选值")}
    versions = {}
    for part in OUTPUTS:
        code, name = names[part]
        datasets.ensure_dataset(uow, actor, code, name, spec.owner)
        versions[part] = datasets.write_version(uow, actor, store, code, frames[part]).version
    for part in OUTPUTS:
        datasets.publish_version(uow, actor, names[part][0], versions[part])
    return versions


def _corrections(uow: UnitOfWork, actor: Actor, spec: RegistrySpec, conflicts: pl.DataFrame,
                 sources: list[SourceRun], run_id: int) -> int:
    """Conflicts with the authority → one correction task per (non-authoritative resource, field)."""
    by_source = {s.source: s for s in sources}
    titles = {rule.field: (rule.title, rule.authority) for rule in spec.table.fields}
    counted = conflicts.group_by("other_source", "field").len().sort("other_source", "field")
    problems: dict[str, dict[str, int]] = {}
    for source, field, n in counted.iter_rows():
        title, authority = titles[field]
        problems.setdefault(source, {})[f"与{spec.title}的权威来源（{authority}）不一致：{title}"] = n
    providers = {e.code: e.provider_code for e in
                 catalog.export_entries(uow, actor, EntryFilter(status="published")).entries}
    for source, run in by_source.items():
        provider = providers.get(run.resource_code)
        if provider is not None:
            ingest.track_fusion(uow, actor, run.resource_code, provider, f"{spec.code}-{run_id}",
                                problems.get(source, {}))
    return conflicts.height


def _catalogue(uow: UnitOfWork, actor: Actor, spec: RegistrySpec) -> str:
    """The registry's entry in the 基础目录, registered, mounted (kind registry) and published the first time;
    its items are the golden records' columns, classified by the registry."""
    for entry in catalog.export_entries(uow, actor, EntryFilter(provider=spec.owner)).entries:
        if entry.name == spec.entry["name"]:
            return entry.code
    items = [{"name": name, "data_type": "C", "length": 500, **spec.classify(name)} for name in spec.item_names()]
    code = catalog.register_entry(uow, actor, EntryCreate.model_validate({**spec.entry, "items": items})).entry.code
    catalog.mount_entry(uow, actor, code, MountInput(kind="registry", reference=spec.dataset()))
    catalog.publish_entry(uow, actor, code)
    return code


def run_fusion(uow: UnitOfWork, actor: Actor, store: DatasetStore, spec: RegistrySpec,
               progress: Progress = _quiet, *, drop_missing: bool = False) -> RunView:
    """Fuse a registry (see the module docstring). Bad input (a source without a usable key, a version
    gone) fails the run with a message naming it; the registry keeps serving its last good version.
    `drop_missing`: a source the last run used that the catalogue no longer has is dropped (its rows
    removed) instead of failing the run."""
    access.require(actor, perms.RUN)
    with uow.reading() as session:
        last = queries.last_good_run(session, spec.code)
        running = next((r for r in queries.runs_of(session, spec.code, 5) if r["status"] == "running"
                        and clock.now() - r["started_at"] < RUN_TIMEOUT), None)
    if running is not None:
        raise Conflict(f"{spec.title}已有一次融合在运行（第 {running['id']} 次），请等它结束后再融合。",
                       field="registry", details={"reason": "fusion_running"})
    with uow:
        run_id = repository.start_run(uow.session, registry=spec.code, mode="incremental" if last else "full",
                                      started_at=clock.now(), started_by=actor.label)
        uow.emit(FusionStarted(actor=actor, target=f"registry:{spec.code}", registry=spec.code, run_id=run_id))
        uow.commit()
    try:
        sources, counts = _fuse(uow, actor, store, spec, last, run_id, progress, drop_missing)
    except BaseException as exc:
        error = exc.message if isinstance(exc, ZhengshuError) else f"{type(exc).__name__}: {exc}"
        if not isinstance(exc, ZhengshuError):
            log.exception("fusion of %s failed", spec.code)
        with uow:
            repository.finish_run(uow.session, run_id, status="failed", finished_at=clock.now(), error=error[:4000])
            uow.emit(FusionFinished(actor=actor, target=f"registry:{spec.code}", outcome="failure",
                                    registry=spec.code, run_id=run_id, status="failed", error=error[:200]))
            uow.commit()
        raise
    with uow:
        repository.finish_run(uow.session, run_id, status="succeeded", finished_at=clock.now(),
                              sources=[s.model_dump() for s in sources], counts=counts)
        uow.emit(FusionFinished(actor=actor, target=f"registry:{spec.code}", registry=spec.code, run_id=run_id,
                                status="succeeded", records=counts["records"], relinked_rows=counts["relinked"]))
        uow.commit()
    with uow.reading() as session:
        return RunView.of(queries.runs_of(session, spec.code, 1)[0])


def _fuse(uow: UnitOfWork, actor: Actor, store: DatasetStore, spec: RegistrySpec, last: dict[str, Any] | None,
          run_id: int, progress: Progress, drop_missing: bool) -> tuple[list[SourceRun], dict[str, Any]]:
    fields = list(spec.fields)
    previous = _previous(uow, actor, store, spec, last, fields)
    current, values, sources = _gather(uow, actor, store, spec, last, previous, fields, progress, drop_missing)
    splits, forced = _splits(uow, spec, previous[0])
    plan = plan_run(current, previous[0], fields, spec.neighbour_fields, forced)
    progress(f"链接 {plan.relink.height:,} 行", 0, 1)
    linked = apply_splits(_link(spec, with_context(plan, spec.context_clusters), fields), splits)
    next_number = (last or {}).get("counts", {}).get("next_number", 1)
    linked, next_free = assign_ids(linked, spec.id_prefix, next_number)
    linked = linked.filter(~pl.col("context"))
    members = pl.concat([plan.kept, linked.select(*MEMBER_SCHEMA, *fields)]).cast(dict(MEMBER_SCHEMA))
    progress("链接完成", 1, 1)
    frames, conflicts = _outputs(spec, members, values, sources)
    progress("发布", 0, 1)
    versions = _publish(uow, actor, store, spec, frames)
    entry_code = _catalogue(uow, actor, spec)
    corrections = _corrections(uow, actor, spec, conflicts, sources, run_id)
    progress("发布完成", 1, 1)
    links = link_counts(members)
    with uow.reading() as session:
        confirmed = {d["record_id"]: d["fingerprint"] for d in queries.decisions_of(session, spec.code)
                     if d["decision"] == "confirm"}
    review = review_queue(members, spec.review_below, confirmed, spec.review_links).height
    sources = [s.model_copy(update={"links": links.get(s.source, {})}) for s in sources]
    previous_ids = set(previous[0]["id"].unique().to_list())
    current_ids = set(members["id"].unique().to_list())
    counts = {"records": frames["records"].height, "rows": members.height, "relinked": plan.relink.height,
              "added": plan.added, "removed": plan.removed, "touched": plan.touched,
              "new_ids": len(current_ids - previous_ids), "gone_ids": len(previous_ids - current_ids),
              "conflicts": corrections, "next_number": next_free, "outputs": versions, "entry_code": entry_code,
              "review_below": spec.review_below, "review": review}
    return sources, counts
