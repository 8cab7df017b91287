"""Ingestion use cases: previewing a source, saving it, loading it (read → map → standardise → check →
write), uploads, the rejected rows, adopting what discovery found. Each takes the unit of work and the acting
actor first and checks permissions through `identity.access`.

`preview_source` reads the first rows of a source without writing anything: what a person checks before a
source is saved or loaded (the detected encoding, delimiter, sheet and header row, the columns, the first rows
as text, and any row among them that could not be split into columns).
"""

from __future__ import annotations

import functools
import json
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl
import pyarrow.parquet as pq

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryUpdate, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import access
from zhengshu.core.ingest import permissions as perms
from zhengshu.core.ingest import queries, repository
from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.domain import (
    Dictionary,
    LoadPolicy,
    RejectedRow,
    check_mapping,
    discover,
    parse_dictionary,
    parse_policy,
    proposals,
    suggest_mapping,
    typed,
)
from zhengshu.core.ingest.events import ClassificationApplied, LoadFinished, LoadStarted, SourceSaved
from zhengshu.core.ingest.schemas import LoadView, SavedSource, SourcePreview, SourceSpec
from zhengshu.core.ingest.service import corrections
from zhengshu.core.quality import service as quality
from zhengshu.core.quality.schemas import CYCLE_DAYS
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound, ZhengshuError
from zhengshu.kernel.jobs import Jobs
from zhengshu.kernel.permissions import Permission
from zhengshu.kernel.unit_of_work import UnitOfWork

PREVIEW_MAX_ROWS = 1_000
log = logging.getLogger(__name__)


def preview_source(uow: UnitOfWork, actor: Actor, source: SourceSpec, rows: int = 20) -> SourcePreview:
    """The source's columns and first `rows` rows as text, and what was detected while reading them."""
    access.require(actor, perms.PREVIEW)
    if not 1 <= rows <= PREVIEW_MAX_ROWS:
        raise InvalidInput(f"预览行数须在 1 到 {PREVIEW_MAX_ROWS:,} 之间", field="rows")
    shown: list[list[str | None]] = []
    numbers: list[int] = []
    rejected: list[dict[str, object]] = []
    with open_source(source) as reader:
        for batch in reader.batches():
            rejected.extend({"row": r.row, "text": r.text, "problem": r.problem} for r in batch.rejected)
            take = min(rows - len(shown), batch.num_rows)
            head = batch.records.slice(0, take).to_pylist()
            shown.extend([record.get(c) for c in reader.columns] for record in head)
            numbers.extend(batch.rows.slice(0, take).to_pylist())
            if len(shown) >= rows:
                break
        return SourcePreview(source=reader.source, kind=source.kind, columns=list(reader.columns), rows=shown,
                             row_numbers=numbers, detected=dict(reader.detected), rejected=rejected)


# --- loading (加载): read → map → standardise → validate → write a version ----------------------------------------

STATUS_TITLES = {"queued": "排队中", "running": "进行中", "loaded": "已加载", "refused": "未加载（有问题行）",
                 "failed": "失败"}
ROW = "_source_row"
Progress = Callable[[str, int], None]  # (stage, rows so far)
REJECTED_DIR = "ingest/rejected"
TOP_PROBLEMS = 10


def _new_load_id() -> str:
    return f"L{clock.now().astimezone(clock.DISPLAY_ZONE):%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


def save_source(uow: UnitOfWork, actor: Actor, resource_code: str, source: SourceSpec, mapping: dict[str, str],
                policy: str | None = None) -> SavedSource:
    """Save where a resource's data comes from, how its columns map to the items, and the load policy."""
    entry = _entry(uow, actor, resource_code)
    checked = parse_policy(policy)
    unknown = sorted({i for i in mapping.values() if i not in {i.name for i in entry.items}})
    if unknown:
        raise InvalidInput(f"映射的目标不是资源的信息项：{'、'.join(unknown)}", field="mapping")
    with uow:
        repository.save_source(uow.session, entry.code, source.model_dump(mode="json"), dict(mapping), checked.value,
                               clock.now(), actor.label)
        uow.emit(SourceSaved(actor=actor, target=_target(entry.code), resource_code=entry.code,
                             source=source.location[:200], policy=checked.value))
        uow.commit()
    return SavedSource(resource_code=entry.code, source=source, mapping=dict(mapping), policy=checked.value)


def saved_source(uow: UnitOfWork, actor: Actor, resource_code: str) -> SavedSource | None:
    entry = _entry(uow, actor, resource_code, perms.PREVIEW)
    with uow.reading() as session:
        row = queries.saved_source(session, entry.code)
    return None if row is None else SavedSource(resource_code=entry.code, source=SourceSpec(**row["source"]),
                                                mapping=row["mapping"], policy=row["policy"])


def _entry(uow: UnitOfWork, actor: Actor, resource_code: str, permission: Permission = perms.LOAD) -> Any:
    entry = catalog.get_entry(uow, actor, resource_code).entry
    access.require(actor, permission, department=entry.provider_code)
    if entry.mount is not None and entry.mount.kind.value != "dataset":
        raise Conflict(f"资源 {entry.code} 挂接的是{entry.mount.kind.label}，不经归集加载。", field="resource_code")
    if not entry.items:
        raise Conflict(f"资源 {entry.code} 还没有信息项，请先在资源目录中登记。", field="resource_code")
    return entry


def _target(code: str) -> str:
    return f"catalog_entry:{code}"


def _read(source: SourceSpec, progress: Progress) -> tuple[pl.DataFrame, list[RejectedRow], str]:
    """The whole source as text columns plus its row numbers, and the rows that could not be read."""
    frames: list[pl.DataFrame] = []
    unreadable: list[RejectedRow] = []
    rows = 0
    with open_source(source) as reader:
        columns = list(reader.columns)
        for batch in reader.batches():
            frame = pl.from_arrow(batch.records)
            assert isinstance(frame, pl.DataFrame)
            frames.append(frame.with_columns(pl.Series(ROW, batch.rows.to_pylist(), dtype=pl.Int64)))
            unreadable.extend(batch.rejected)
            rows += batch.num_rows
            progress("读取", rows)
        name = reader.source
    empty = pl.DataFrame(schema={**dict.fromkeys(columns, pl.String), ROW: pl.Int64})
    return (pl.concat(frames, how="vertical_relaxed") if frames else empty), unreadable, name


def load_source(uow: UnitOfWork, actor: Actor, store: DatasetStore, resource_code: str,
                source: SourceSpec | None = None, *, mapping: dict[str, str] | None = None, policy: str | None = None,
                progress: Progress | None = None, load_id: str | None = None) -> LoadView:
    """Load a department's source into the resource (归集加载): read it as text, map its columns to the
    catalogue items (the saved mapping, else the one given, else suggested from the names), standardise and
    check it with the resource's quality rules (core/quality), type it by the items' data types, then write the
    rows that pass as a new version of the resource's dataset and publish it — or, under `all_or_nothing`,
    nothing if any row is rejected. Rejected and unreadable rows are kept with their reasons in a Parquet file;
    the same input again makes no second version. `load_id` continues a queued load. Returns the load."""
    entry = _entry(uow, actor, resource_code)
    with uow.reading() as session:
        saved = queries.saved_source(session, entry.code)
    if source is None:
        if saved is None:
            raise InvalidInput(f"资源 {entry.code} 没有登记的数据源，请给出数据源。", field="source")
        source = SourceSpec(**saved["source"])
    chosen = parse_policy(policy or (saved["policy"] if saved else None))
    if load_id is None:
        load_id = _start(uow, actor, entry, source, chosen, "running")
    else:
        with uow:
            repository.finish_load(uow.session, load_id, status="running")
            uow.commit()
    progress = progress or _recorder(uow, load_id)
    outcome: dict[str, Any] = {}
    try:
        outcome = _load(uow, actor, store, entry, source, load_id, chosen, mapping or (saved or {}).get("mapping"),
                        progress)
    except BaseException as error:
        message = error.message if isinstance(error, ZhengshuError) else f"内部错误：{type(error).__name__}"
        _finish(uow, actor, entry.code, load_id, source.location, status="failed", message=message, **outcome)
        raise
    _finish(uow, actor, entry.code, load_id, source.location, **outcome)
    return _view(uow, load_id, outcome)


def _start(uow: UnitOfWork, actor: Actor, entry: Any, source: SourceSpec, policy: LoadPolicy, status: str) -> str:
    load_id = _new_load_id()
    with uow:
        repository.start_load(uow.session, load_id=load_id, resource_code=entry.code,
                              provider_code=entry.provider_code, source=source.location, policy=policy.value,
                              started_at=clock.now(), started_by=actor.label, status=status)
        uow.emit(LoadStarted(actor=actor, target=_target(entry.code), load_id=load_id, resource_code=entry.code,
                             source=source.location[:200], policy=policy.value))
        uow.commit()
    return load_id


PROGRESS_EVERY = 1.0  # seconds between progress writes (bookkeeping for the page: not audited)


def _recorder(uow: UnitOfWork, load_id: str) -> Progress:
    """Progress kept on the load's row for the page to show, at most once a second and at each new stage."""
    last = {"stage": "", "at": 0.0}

    def record(stage: str, rows: int) -> None:
        now = time.monotonic()
        if stage == last["stage"] and now - last["at"] < PROGRESS_EVERY:
            return
        last.update(stage=stage, at=now)
        with uow:
            repository.finish_load(uow.session, load_id, stage=stage, progress_rows=rows)
            uow.commit()

    return record


def queue_upload(uow: UnitOfWork, actor: Actor, store: DatasetStore, jobs: Jobs, resource_code: str,
                 filename: str, data: BinaryIO, *, policy: str | None = None, max_bytes: int = 200 << 20) -> LoadView:
    """An uploaded file kept (see `_keep_upload`) and its load queued as a background job (后台加载): the page
    follows its progress. The job runs as the platform on the uploader's behalf."""
    entry = _entry(uow, actor, resource_code)
    source = SourceSpec.for_location(str(_keep_upload(store, entry.code, filename, data, max_bytes)))
    chosen = parse_policy(policy)
    load_id = _start(uow, actor, entry, source, chosen, "queued")
    jobs.enqueue(LOAD_JOB, load_id, entry.code, source.model_dump(mode="json"), chosen.value)
    return _view(uow, load_id)


LOAD_JOB = "ingest.load"
RELOAD_JOB = "ingest.reload_due"


def run_queued_load(uow: UnitOfWork, actor: Actor, store: DatasetStore, load_id: str, resource_code: str,
                    source: dict[str, Any], policy: str) -> LoadView | None:
    """The job of a queued load. A failure is on the load's row (and audited); the job itself ends quietly."""
    try:
        return load_source(uow, actor, store, resource_code, SourceSpec(**source), policy=policy, load_id=load_id)
    except ZhengshuError:
        log.info("queued load %s of %s failed; recorded on the load", load_id, resource_code)
        return None


def reload_due(uow: UnitOfWork, actor: Actor, jobs: Jobs, today: date | None = None) -> list[str]:
    """定时归集: queue a load of every saved source whose resource's update cycle has come round since its last
    successful load (never loaded: now); returns the queued load ids. A resource whose cycle is 其他 is left to
    its officer."""
    access.require(actor, perms.OVERSEE)
    today = today or clock.now().astimezone(clock.DISPLAY_ZONE).date()
    with uow.reading() as session:
        saved = queries.saved_sources(session)
    queued = []
    for row in saved:
        try:
            entry = _entry(uow, actor, row["resource_code"])
        except (NotFound, Conflict):
            continue
        cycle = CYCLE_DAYS.get(entry.update_cycle.value if entry.update_cycle else "")
        with uow.reading() as session:
            last = queries.last_loaded(session, entry.code)
        if cycle is None or (last is not None and (today - clock.as_utc(last).astimezone(
                clock.DISPLAY_ZONE).date()).days < cycle):
            continue
        source, policy = SourceSpec(**row["source"]), parse_policy(row["policy"])
        load_id = _start(uow, actor, entry, source, policy, "queued")
        jobs.enqueue(LOAD_JOB, load_id, entry.code, source.model_dump(mode="json"), policy.value)
        queued.append(load_id)
    return queued


def _load(uow: UnitOfWork, actor: Actor, store: DatasetStore, entry: Any, source: SourceSpec, load_id: str,
          policy: LoadPolicy, mapping: dict[str, str] | None, progress: Progress) -> dict[str, Any]:
    raw, unreadable, name = _read(source, progress)
    columns = [c for c in raw.columns if c != ROW]
    items = [i.name for i in entry.items]
    if not mapping:
        kinds = {f.item: f.kind for f in discover(raw, columns, _dictionary())}
        mapping = suggest_mapping(columns, items, kinds)
    mapping = check_mapping(mapping, columns, items, name)
    mapped = raw.select(pl.col(ROW), *(pl.col(c).alias(i) for c, i in mapping.items()),
                        *(pl.lit(None, dtype=pl.String).alias(i) for i in items if i not in mapping.values()))
    progress("标准化", raw.height)
    standardised = quality.standardise(uow, actor, entry.code, mapped)
    discovered = proposals(discover(standardised.frame, items, _dictionary()),
                           {i.name: (i.level.value, i.personal_info.value) for i in entry.items})
    progress("校验", raw.height)
    evaluation = quality.evaluate(uow, actor, entry.code, standardised.frame, row_column=ROW,
                                  references=_references(uow, store, entry.code))
    frame, type_problems = typed(standardised.frame, {i.name: i.data_type.value for i in entry.items}, ROW)
    quality.record_load_result(uow, actor, entry.code, load_id, evaluation)
    problems = pl.concat([evaluation.violations.filter(pl.col("severity") == "reject"), type_problems],
                         how="vertical_relaxed")
    rejected_rows = set(problems["row"].drop_nulls().to_list())
    rejected = len(rejected_rows) + len(unreadable)
    outcome: dict[str, Any] = {
        "rows_read": raw.height + len(unreadable), "rows_rejected": rejected,
        "rejected_path": _keep_rejected(store, entry.code, load_id, raw, problems, unreadable) if rejected else None,
        "mapping": mapping, "standardised": {c.column: c.changed for c in standardised.columns},
        "discoveries": discovered,
        "problems": _top_problems(problems, unreadable)}
    corrections.track_load(uow, actor, entry.code, entry.provider_code, load_id, _problem_counts(problems, unreadable))
    if rejected and policy is LoadPolicy.ALL_OR_NOTHING:
        return {**outcome, "status": "refused",
                "message": f"有 {rejected:,} 行未通过校验或无法读取，按“{policy.title}”策略未生成新版本。"}
    valid = frame.filter(~pl.col(ROW).is_in(list(rejected_rows))).select(items)
    progress("写入", valid.height)
    dataset_code = entry.mount.reference if entry.mount is not None else entry.code
    datasets.ensure_dataset(uow, actor, dataset_code, entry.name, entry.provider_code)
    version = datasets.write_version(uow, actor, store, dataset_code, valid, publish=True)
    if entry.mount is None:
        catalog.mount_entry(uow, actor, entry.code, MountInput(kind="dataset", reference=dataset_code, columns=items))
    return {**outcome, "status": "loaded", "rows_loaded": valid.height, "dataset_code": dataset_code,
            "version": version.version, "reused": version.reused,
            "message": "内容与已有版本相同，未新建版本。" if version.reused else ""}


def _references(uow: UnitOfWork, store: DatasetStore, resource_code: str) -> dict[str, pl.DataFrame]:
    """The data the resource's referential rules check against (参照数据): for each rule's `reference` (a
    resource code), the named columns of that resource's current version, read as the platform. A reference that
    is not a published dataset-backed resource is left out; the evaluation then lists the rule as skipped."""
    platform = system_actor("归集参照校验")
    rule_set, _ = quality.rule_set_in_force(uow, platform, resource_code)
    wanted: dict[str, set[str]] = {}
    for rule in rule_set.rules:
        if rule.kind == "referential":
            wanted.setdefault(rule.reference, set()).update(rule.reference_fields)
    found = {}
    for reference, columns in wanted.items():
        entry = catalog.published_entry(uow, platform, reference)
        if entry is None or entry.mount is None or entry.mount.kind.value != "dataset":
            continue
        try:
            found[reference] = datasets.read_columns(uow, platform, store, entry.mount.reference, sorted(columns))
        except (NotFound, InvalidInput):
            continue
    return found


def _keep_rejected(store: DatasetStore, resource_code: str, load_id: str, raw: pl.DataFrame, problems: pl.DataFrame,
                   unreadable: list[RejectedRow]) -> str:
    """The rejected rows as they came (every source column as text), each with its reasons, and the rows
    that could not be read with their text: one Parquet file per load (问题行), nothing dropped."""
    reasons = problems.group_by("row").agg(pl.col("message").unique(maintain_order=True).str.join("；")
                                           .alias("问题"))
    kept = raw.join(reasons, left_on=ROW, right_on="row", how="inner").rename({ROW: "行号"})
    lost = pl.DataFrame({"行号": [r.row for r in unreadable], "问题": [r.problem for r in unreadable],
                         "原始行": [r.text for r in unreadable]},
                        schema={"行号": pl.Int64, "问题": pl.String, "原始行": pl.String})
    relative = f"{REJECTED_DIR}/{resource_code}/{load_id}.parquet"
    path = store.root.parent / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    pl.concat([kept, lost], how="diagonal_relaxed").sort("行号", nulls_last=True).write_parquet(path)
    return relative


UNREADABLE = "无法读取的行（列数不符、引号未闭合等）"


def _problem_counts(problems: pl.DataFrame, unreadable: list[RejectedRow]) -> dict[str, int]:
    """Rows per problem, the commonest first (a row with two problems counts under both)."""
    counts = problems.group_by("message").agg(pl.col("row").n_unique().alias("rows")).sort("rows", descending=True)
    found = {r["message"]: int(r["rows"]) for r in counts.iter_rows(named=True)}
    if unreadable:
        found[UNREADABLE] = len(unreadable)
    return found


def _top_problems(problems: pl.DataFrame, unreadable: list[RejectedRow]) -> list[dict[str, Any]]:
    counts = sorted(_problem_counts(problems, unreadable).items(), key=lambda kv: -kv[1])
    return [{"problem": problem, "rows": rows} for problem, rows in counts[:TOP_PROBLEMS]]


def _finish(uow: UnitOfWork, actor: Actor, resource_code: str, load_id: str, source: str, *, status: str,
            message: str = "", **outcome: Any) -> None:
    values = {k: outcome[k] for k in ("rows_read", "rows_loaded", "rows_rejected", "dataset_code", "version",
                                       "reused", "rejected_path", "discoveries") if k in outcome}
    with uow:
        repository.finish_load(uow.session, load_id, status=status, message=message[:2000],
                               finished_at=clock.now(), **values)
        uow.emit(LoadFinished(actor=actor, target=_target(resource_code),
                              outcome="success" if status == "loaded" else "failure", load_id=load_id,
                              resource_code=resource_code, source=source[:200], status=status,
                              rows_read=values.get("rows_read", 0), rows_loaded=values.get("rows_loaded", 0),
                              rows_rejected=values.get("rows_rejected", 0), version=values.get("version"),
                              reused=bool(values.get("reused")), message=message[:500]))
        uow.commit()


def _view(uow: UnitOfWork, load_id: str, outcome: dict[str, Any] | None = None) -> LoadView:
    with uow.reading() as session:
        row = queries.load(session, load_id)
    if row is None:
        raise access.hidden()
    extra = {k: (outcome or {}).get(k) for k in ("mapping", "standardised", "problems") if (outcome or {}).get(k)}
    return LoadView(**{k: row[k] for k in LoadView.model_fields if k in row}, status_title=STATUS_TITLES[row["status"]],
                    **extra)


def get_load(uow: UnitOfWork, actor: Actor, load_id: str) -> LoadView:
    """A load, for those who may preview its resource's data; one answer for "no such load" and "not yours"."""
    access.require(actor, perms.PREVIEW)
    view = _view(uow, load_id.strip())
    _entry(uow, actor, view.resource_code, perms.PREVIEW)
    return view


def list_loads(uow: UnitOfWork, actor: Actor, resource_code: str) -> list[LoadView]:
    entry = _entry(uow, actor, resource_code, perms.PREVIEW)
    with uow.reading() as session:
        rows = queries.loads_of(session, entry.code)
    return [LoadView(**{k: r[k] for k in LoadView.model_fields if k in r}, status_title=STATUS_TITLES[r["status"]])
            for r in rows]


# --- uploads (上传) and the rejected rows as a download -------------------------------------------------------

UPLOAD_DIR = "ingest/uploads"
UPLOAD_KINDS = (".csv", ".txt", ".tsv", ".xlsx", ".json", ".jsonl")
_UNSAFE = re.compile(r"[^\w.\-\u4e00-\u9fff]+")


def _keep_upload(store: DatasetStore, resource_code: str, filename: str, data: BinaryIO, max_bytes: int) -> Path:
    """A file a department's officer uploaded (上传), kept under <data_dir>/ingest/uploads/<resource>/ as sent.
    Only file kinds a person uploads (CSV, XLSX, JSON, JSON Lines), at most `max_bytes`; a larger file is
    refused and not kept."""
    name = _UNSAFE.sub("_", Path(filename or "").name).strip("._") or "upload"
    if Path(name).suffix.lower() not in UPLOAD_KINDS:
        raise InvalidInput(f"不支持的文件类型：{filename}（可上传 {'、'.join(UPLOAD_KINDS)}）", field="file")
    folder = store.root.parent / UPLOAD_DIR / resource_code
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{clock.now().astimezone(clock.DISPLAY_ZONE):%Y%m%d%H%M%S}-{secrets.token_hex(2)}-{name}"
    written = 0
    with path.open("wb") as out:
        while chunk := data.read(1 << 20):
            written += len(chunk)
            if written > max_bytes:
                out.close()
                path.unlink()
                raise InvalidInput(f"文件超过 {max_bytes >> 20} MiB，请改用命令行或数据库方式归集。", field="file")
            out.write(chunk)
    return path


def load_upload(uow: UnitOfWork, actor: Actor, store: DatasetStore, resource_code: str, filename: str,
                data: BinaryIO, *, policy: str | None = None, max_bytes: int = 200 << 20) -> LoadView:
    """An uploaded file kept and loaded at once (the command line and tests; pages queue it)."""
    entry = _entry(uow, actor, resource_code)
    path = _keep_upload(store, entry.code, filename, data, max_bytes)
    return load_source(uow, actor, store, entry.code, SourceSpec.for_location(str(path)), policy=policy)


def rejected_rows_csv(uow: UnitOfWork, actor: Actor, store: DatasetStore, load_id: str) -> Iterator[bytes]:
    """A load's rejected rows with their reasons as CSV (UTF-8 with BOM, so spreadsheet programs open it),
    streamed a slice at a time."""
    view = get_load(uow, actor, load_id)
    if not view.rejected_path:
        raise NotFound(f"加载 {view.load_id} 没有问题行。", field="load_id")
    rows = pq.ParquetFile(store.root.parent / view.rejected_path)
    names = rows.schema_arrow.names
    order = ["行号", "问题", *[c for c in names if c not in ("行号", "问题")]]
    yield "\ufeff".encode()
    first = True
    for batch in rows.iter_batches(batch_size=10_000, columns=order):  # never the whole file in memory
        part = pl.from_arrow(batch)
        assert isinstance(part, pl.DataFrame)
        yield part.write_csv(include_header=first).encode("utf-8")
        first = False
    if first:  # no rows at all: the header alone
        yield pl.DataFrame(schema=dict.fromkeys(order, pl.String)).write_csv().encode("utf-8")


# --- sensitive-data discovery: an officer confirms what the values showed ------------------------------------------

@functools.cache
def _dictionary() -> Dictionary:
    text = resources.files("zhengshu.core.ingest").joinpath("seed/sensitive_data.json").read_text("utf-8")
    return parse_dictionary(json.loads(text))


def sensitive_kinds(uow: UnitOfWork, actor: Actor, frame: pl.DataFrame, items: Sequence[str]) -> list[dict[str, Any]]:
    """敏感数据识别 on any rows (e.g. those about to be opened): for each item, the dictionary kind most of its
    values look like — `{"item", "kind", "title", "share", "level", "personal_info"}`; items like none are left out."""
    access.require(actor, perms.PREVIEW)
    return [dict(vars(f)) for f in discover(frame, items, _dictionary())]


def apply_classification(uow: UnitOfWork, actor: Actor, load_id: str, items: Sequence[str]) -> LoadView:
    """采纳: raise the chosen items' level and personal-information sensitivity to what the load's values showed,
    through the catalogue (a published entry gets a new version; audited there)."""
    view = get_load(uow, actor, load_id)
    chosen = {d["item"]: d for d in view.discoveries or [] if d["item"] in set(items)}
    if not chosen:
        raise InvalidInput("请选择要采纳的识别结果。", field="items")
    entry = _entry(uow, actor, view.resource_code)
    payload = {k: v for k, v in entry.as_input().items() if k not in ("classification", "provider_code")}
    for item in payload["items"]:
        if item["name"] in chosen:
            item["level"] = chosen[item["name"]]["proposed_level"]
            item["personal_info"] = chosen[item["name"]]["proposed_personal_info"]
    columns = list(entry.mount.columns) if entry.mount is not None else None
    catalog.update_entry(uow, actor, entry.code, EntryUpdate(**payload, columns=columns))
    remaining = [d for d in view.discoveries or [] if d["item"] not in chosen]
    with uow:
        repository.finish_load(uow.session, view.load_id, discoveries=remaining)
        uow.emit(ClassificationApplied(actor=actor, target=_target(entry.code), load_id=view.load_id,
                                       resource_code=entry.code, items=tuple(chosen)))
        uow.commit()
    return get_load(uow, actor, view.load_id)
