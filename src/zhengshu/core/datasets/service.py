"""Dataset use cases. Each takes the unit of work and the acting actor first and checks permissions through
`identity.access` before it reads or writes anything. Those that touch files also take the `DatasetStore`
(handlers and commands build it with `DatasetStore.for_data_dir(platform.settings.data_dir)`).

Writing a version (`write_version`) takes three short transactions around the file write:

1. reserve the next number as `writing` (DatasetVersionStarted) — unless a ready version already holds the
   very same content, which is returned instead;
2. write the Parquet file into a hidden folder and rename it to `v<N>` (no transaction open meanwhile);
3. mark it `ready` (DatasetVersionWritten) and, when asked, flip the current-version pointer
   (DatasetVersionPublished) — in one transaction.

If step 2 or 3 fails the row becomes `failed` (DatasetVersionFailed), no `v<N>` folder is left, and the
previous current version keeps being served.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

import polars as pl
from sqlalchemy.orm import Session

from zhengshu.core.datasets import permissions as perms
from zhengshu.core.datasets import queries, repository
from zhengshu.core.datasets.domain import (
    Column,
    DatasetRef,
    Filter,
    ReadPlan,
    RecordQuery,
    VersionStatus,
    check_code,
    check_name,
    cursor_version,
    plan_read,
)
from zhengshu.core.datasets.events import (
    DatasetCreated,
    DatasetRecordsRead,
    DatasetVersionFailed,
    DatasetVersionPublished,
    DatasetVersionStarted,
    DatasetVersionWritten,
)
from zhengshu.core.datasets.schemas import ColumnView, DatasetView, RecordPage, SweepResult, VersionView
from zhengshu.core.datasets.store import DatasetStore, encode
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.permissions import Permission
from zhengshu.kernel.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


def _visible(dataset: DatasetRef | None, actor: Actor, permission: Permission) -> DatasetRef:
    """The dataset, if the actor holds the permission for its owner; the same answer when it does not exist."""
    if dataset is None or not access.can(actor, permission, department=dataset.owner_code):
        raise access.hidden()
    return dataset


def _target(code: str) -> str:
    return f"dataset:{code}"


# --- datasets ---------------------------------------------------------------------------------------------

def create_dataset(uow: UnitOfWork, actor: Actor, code: str, name: str, owner: str) -> DatasetView:
    """Register a dataset (数据集) owned by a department; it has no version until one is written."""
    access.require(actor, perms.WRITE, department=owner)
    code, name = check_code(code), check_name(name)
    with uow:
        if not repository.organisation_exists(uow.session, owner):
            raise InvalidInput(f"部门代码不存在：{owner}", field="owner")
        if repository.code_taken(uow.session, code):
            raise Conflict(f"数据集代码已存在：{code}", field="code")
        repository.add_dataset(uow.session, code=code, name=name, owner_code=owner)
        uow.emit(DatasetCreated(actor=actor, target=_target(code), code=code, name=name, owner_code=owner))
        uow.commit()
        view = queries.dataset_view(uow.session, code)
    assert view is not None
    return view


def ensure_dataset(uow: UnitOfWork, actor: Actor, code: str, name: str, owner: str) -> DatasetView:
    """The dataset with this code, created first if there is none; an existing one must have this owner."""
    access.require(actor, perms.WRITE, department=owner)
    with uow.reading() as session:
        existing = queries.dataset_ref(session, check_code(code))
    if existing is None:
        try:
            return create_dataset(uow, actor, code, name, owner)
        except Conflict:  # created meanwhile by someone else
            pass
    with uow.reading() as session:
        dataset = _visible(queries.dataset_ref(session, check_code(code)), actor, perms.WRITE)
        if dataset.owner_code != owner:
            raise Conflict(f"数据集 {code} 属于部门 {dataset.owner_code}，不是 {owner}。", field="owner")
        view = queries.dataset_view(session, dataset.code)
    assert view is not None
    return view


def list_datasets(uow: UnitOfWork, actor: Actor) -> list[DatasetView]:
    """Every dataset for platform admins and the platform; a data officer sees their department's."""
    access.require(actor, perms.READ)
    owner = None if access.city_wide(actor, perms.READ) else actor.department_code
    with uow.reading() as session:
        return queries.list_datasets(session, owner)


def list_versions(uow: UnitOfWork, actor: Actor, dataset_code: str) -> list[VersionView]:
    """A dataset's versions, newest first, with their status and which one is current."""
    access.require(actor, perms.READ)
    with uow.reading() as session:
        dataset = _visible(queries.dataset_ref(session, dataset_code), actor, perms.READ)
        return queries.list_versions(session, dataset)


# --- versions ---------------------------------------------------------------------------------------------

def _locked(session: Session, actor: Actor, code: str) -> DatasetRef:
    return _visible(repository.dataset_for_update(session, code), actor, perms.WRITE)


def _publish(uow: UnitOfWork, actor: Actor, dataset: DatasetRef, number: int) -> DatasetRef:
    repository.set_current(uow.session, dataset.id, number)
    uow.emit(DatasetVersionPublished(actor=actor, target=_target(dataset.code), code=dataset.code,
                                     version=number, previous=dataset.current_version))
    return replace(dataset, current_version=number)


def _record_failure(uow: UnitOfWork, actor: Actor, dataset: DatasetRef, number: int, error: BaseException,
                    ) -> None:
    """Mark the version `failed`. Best effort: if the database is what failed, the row stays `writing`
    (never served either) and the original error is the one the caller sees."""
    reason = (f"{type(error).__name__}: {error}".strip().rstrip(":"))[:500]
    try:
        with uow:
            repository.set_status(uow.session, dataset.id, number, VersionStatus.FAILED, reason)
            uow.emit(DatasetVersionFailed(actor=actor, target=_target(dataset.code), outcome="failure",
                                          code=dataset.code, version=number, reason=reason))
            uow.commit()
    except Exception:
        log.exception("could not mark version %s of dataset %s failed", number, dataset.code)


def write_version(uow: UnitOfWork, actor: Actor, store: DatasetStore, dataset_code: str, frame: Any, *,
                  columns: Sequence[Column] | None = None, publish: bool = False) -> VersionView:
    """Write a polars DataFrame or Arrow table as a new immutable version of a dataset (see the module
    docstring for the steps). With `columns`, the frame must have exactly these names and types. Content
    identical to a ready version (same SM3) makes no new version: that version comes back, `reused`.
    With `publish`, the version also becomes current in the transaction that makes it ready."""
    access.require(actor, perms.WRITE)
    with uow.reading() as session:
        _visible(queries.dataset_ref(session, dataset_code), actor, perms.WRITE)
    encoded = encode(frame, tuple(columns) if columns is not None else None)
    with uow:
        dataset = _locked(uow.session, actor, dataset_code)
        existing = repository.ready_version_with_hash(uow.session, dataset.id, encoded.content_hash)
        if existing is not None:
            if publish and dataset.current_version != existing:
                dataset = _publish(uow, actor, dataset, existing)
                uow.commit()
            view = queries.version(uow.session, dataset, existing)
            assert view is not None
            return view.model_copy(update={"reused": True})
        number = repository.reserve_version(
            uow.session, dataset_id=dataset.id, path_for=lambda n: store.relative_path(dataset.code, n),
            row_count=encoded.row_count, columns=encoded.columns, content_hash=encoded.content_hash,
            created_by=actor.label,
        )
        uow.emit(DatasetVersionStarted(actor=actor, target=_target(dataset.code), code=dataset.code,
                                       version=number, row_count=encoded.row_count))
        uow.commit()
    try:
        path = store.place(dataset.code, number, encoded)
    except BaseException as error:
        _record_failure(uow, actor, dataset, number, error)
        raise
    committed = False
    try:
        with uow:
            dataset = _locked(uow.session, actor, dataset_code)
            repository.set_status(uow.session, dataset.id, number, VersionStatus.READY)
            uow.emit(DatasetVersionWritten(actor=actor, target=_target(dataset.code), code=dataset.code,
                                           version=number, row_count=encoded.row_count,
                                           content_hash=encoded.content_hash))
            if publish:
                dataset = _publish(uow, actor, dataset, number)
            uow.commit()
            committed = True
            view = queries.version(uow.session, dataset, number)
    except BaseException as error:
        if not committed:
            store.remove(path)
            _record_failure(uow, actor, dataset, number, error)
        raise
    assert view is not None
    return view


def publish_version(uow: UnitOfWork, actor: Actor, dataset_code: str, version: int) -> VersionView:
    """Make a ready version the dataset's current one (also to go back to an earlier version)."""
    access.require(actor, perms.WRITE)
    with uow:
        dataset = _locked(uow.session, actor, dataset_code)
        status = repository.version_status(uow.session, dataset.id, version)
        if status is None:
            raise NotFound(f"数据集 {dataset.code} 没有第 {version} 版。", field="version")
        if status is not VersionStatus.READY:
            raise Conflict(f"数据集 {dataset.code} 第 {version} 版{status.title}，不能发布。", field="version")
        if dataset.current_version != version:
            dataset = _publish(uow, actor, dataset, version)
            uow.commit()
        view = queries.version(uow.session, dataset, version)
    assert view is not None
    return view


# --- records ----------------------------------------------------------------------------------------------

def _readable(uow: UnitOfWork, actor: Actor, dataset_code: str, query: RecordQuery,
              ) -> tuple[DatasetRef, VersionView, ReadPlan]:
    access.require(actor, perms.READ)
    with uow.reading() as session:
        dataset = _visible(queries.dataset_ref(session, dataset_code), actor, perms.READ)
        number = query.version
        if number is None and query.after:
            number = cursor_version(query.after)  # a paging reader stays on the version it started on
        if number is None:
            number = dataset.current_version
        if number is None:
            raise NotFound(f"数据集 {dataset.code} 尚未发布任何版本。", field="version")
        view = queries.version(session, dataset, number)
    if view is None or view.status != VersionStatus.READY.value:
        raise NotFound(f"数据集 {dataset.code} 没有可读的第 {number} 版。", field="version")
    return dataset, view, plan_read(query, number, queries.version_columns(view))


def _record_read(uow: UnitOfWork, actor: Actor, dataset: DatasetRef, plan: ReadPlan, rows: int,
                 counted: bool) -> None:
    """Audit a data read. The platform itself (the exchange, ingestion) records its reads in its own
    events, naming the party it reads for, so its reads are not recorded twice here."""
    if actor.kind is ActorKind.SYSTEM:
        return
    with uow:
        uow.emit(DatasetRecordsRead(
            actor=actor, target=_target(dataset.code), code=dataset.code, version=plan.version,
            columns=tuple(c.name for c in plan.columns),
            filters=tuple(f"{c.column} {c.op.value}" for c in plan.conditions),
            sort=tuple(f"{k.column} {k.direction.value}" for k in plan.sort), rows=rows, counted=counted,
        ))
        uow.commit()


def read_records(uow: UnitOfWork, actor: Actor, store: DatasetStore, dataset_code: str,
                 query: RecordQuery) -> RecordPage:
    """One page of a version's records (the current version unless the query or its cursor names one):
    selected columns, filters, sort and the keyset cursor run inside DuckDB over the Parquet files."""
    dataset, view, plan = _readable(uow, actor, dataset_code, query)
    rows, next_cursor = queries.read_page(store.files(view.path), plan)
    _record_read(uow, actor, dataset, plan, len(rows), counted=False)
    return RecordPage(dataset_code=dataset.code, version=plan.version,
                      columns=[ColumnView(name=c.name, type=c.type) for c in plan.columns], rows=rows,
                      next=next_cursor)


def read_row(uow: UnitOfWork, actor: Actor, store: DatasetStore, dataset_code: str, version: int,
             row: int) -> RecordPage:
    """Row `row` (from 1, in the order the version's rows were written) of a version, as a page of one record:
    where a fused value came from (its lineage names the dataset, the version and the row)."""
    dataset, view, plan = _readable(uow, actor, dataset_code, RecordQuery(version=version, limit=1))
    found = queries.read_row(store.files(view.path), plan, row - 1) if row >= 1 else None
    if found is None:
        raise NotFound(f"数据集 {dataset.code} 第 {version} 版没有第 {row} 行。", field="row")
    _record_read(uow, actor, dataset, plan, 1, counted=False)
    return RecordPage(dataset_code=dataset.code, version=plan.version,
                      columns=[ColumnView(name=c.name, type=c.type) for c in plan.columns], rows=[found], next=None)


def count_records(uow: UnitOfWork, actor: Actor, store: DatasetStore, dataset_code: str,
                  filters: Sequence[Filter] = (), version: int | None = None) -> int:
    """How many records of a version match the filters."""
    query = RecordQuery(filters=tuple(filters), version=version)
    dataset, view, plan = _readable(uow, actor, dataset_code, query)
    total = queries.count(store.files(view.path), plan)
    _record_read(uow, actor, dataset, plan, total, counted=True)
    return total


# --- maintenance: what a killed writer leaves behind ---------------------------------------------------------------

def sweep_abandoned(uow: UnitOfWork, actor: Actor, store: DatasetStore,
                    older_than: timedelta = timedelta(hours=1)) -> SweepResult:
    """清理: versions still `writing` that were reserved longer ago than `older_than` are marked `failed`
    (their files, if the rename happened before the process died, are removed: they were never served), and
    hidden staging folders as old are deleted. A write in progress is younger than that and is left alone."""
    access.require(actor, perms.MAINTAIN)
    before = clock.now() - older_than
    with uow:
        abandoned = repository.abandoned_versions(uow.session, before)
        for row in abandoned:
            store.remove(row["path"])
            reason = "写入进程中断，版本未完成（已清理）"
            repository.set_status(uow.session, row["dataset_id"], row["version"], VersionStatus.FAILED, reason)
            uow.emit(DatasetVersionFailed(actor=actor, target=_target(row["code"]), outcome="failure",
                                          code=row["code"], version=row["version"], reason=reason))
        uow.commit()
    folders = store.stale_staging(before.timestamp())
    for folder in folders:
        store.remove_staging(folder)
    return SweepResult(versions=[f"{r['code']} v{r['version']}" for r in abandoned],
                       folders=[str(f.relative_to(store.root)) for f in folders])


def read_columns(uow: UnitOfWork, actor: Actor, store: DatasetStore, dataset_code: str,
                 columns: Sequence[str] | None, version: int | None = None) -> pl.DataFrame:
    """The chosen columns (None: all) of the current version (or of `version`), every row, as one frame: for
    the platform's own processing over whole datasets (a referential check during a load, fusion), not for
    pages — those read in pages."""
    query = RecordQuery(columns=None if columns is None else tuple(columns), limit=1, version=version)
    dataset, view, plan = _readable(uow, actor, dataset_code, query)
    frame = pl.read_parquet(store.files(view.path), columns=[c.name for c in plan.columns])
    _record_read(uow, actor, dataset, plan, frame.height, counted=False)
    return frame
