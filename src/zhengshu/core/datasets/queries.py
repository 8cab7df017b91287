"""Read-side SQL of the dataset store: the metadata views (SQLAlchemy), and the records of a version read from
its Parquet files with DuckDB. This is the only file with DuckDB SQL.

DuckDB runs in memory, one instance per process, each read on its own cursor; it reads Parquet with its
built-in reader only (extension auto-install and auto-load are off: nothing is ever downloaded), and keeps
recently read versions as in-memory tables within a budget (see "versions held as DuckDB tables"). Column
names come from the version's own column list and are quoted; every value — filter values, cursor values,
the file list — is a bound parameter, never part of the SQL text (the page size and row ids are integers
the platform made).
"""

from __future__ import annotations

import itertools
import os
import threading
from collections import OrderedDict
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import and_, bindparam, select
from sqlalchemy.orm import Session

from zhengshu.core.datasets.domain import (
    ROW_KEY,
    Column,
    Condition,
    DatasetRef,
    Direction,
    Op,
    ReadPlan,
    VersionStatus,
)
from zhengshu.core.datasets.schemas import ColumnView, DatasetView, VersionView
from zhengshu.core.datasets.tables import datasets, versions

# --- metadata --------------------------------------------------------------------------------------------


# built once (every record read runs these two): a fresh statement costs more to build than to run
_DATASET_BY_CODE = select(datasets).where(datasets.c.code == bindparam("code"))
_VERSION = select(versions).where(versions.c.dataset_id == bindparam("dataset_id"),
                                  versions.c.version == bindparam("number"))


def dataset_ref(session: Session, code: str) -> DatasetRef | None:
    row = session.execute(_DATASET_BY_CODE, {"code": code}).mappings().first()
    if row is None:
        return None
    return DatasetRef(row["id"], row["code"], row["name"], row["owner_code"], row["current_version"])


def _dataset_views(session: Session, *where: Any) -> list[DatasetView]:
    current = and_(versions.c.dataset_id == datasets.c.id, versions.c.version == datasets.c.current_version)
    query = (
        select(datasets, versions.c.row_count)
        .select_from(datasets.outerjoin(versions, current))
        .where(*where)
        .order_by(datasets.c.code)
    )
    return [
        DatasetView(code=r["code"], name=r["name"], owner_code=r["owner_code"],
                    current_version=r["current_version"], current_row_count=r["row_count"],
                    created_at=r["created_at"])
        for r in session.execute(query).mappings()
    ]


def list_datasets(session: Session, owner_code: str | None = None) -> list[DatasetView]:
    """Every dataset (or one department's), by code."""
    return _dataset_views(session, *([datasets.c.owner_code == owner_code] if owner_code is not None else []))


def dataset_view(session: Session, code: str) -> DatasetView | None:
    found = _dataset_views(session, datasets.c.code == code)
    return found[0] if found else None


def _version_view(row: Any, dataset: DatasetRef) -> VersionView:
    status = VersionStatus(row["status"])
    return VersionView(
        dataset_code=dataset.code, version=row["version"], status=status.value, status_title=status.title,
        row_count=row["row_count"], columns=[ColumnView(**c) for c in row["columns"]],
        content_hash=row["content_hash"], path=row["path"], failure=row["failure"],
        created_at=row["created_at"], created_by=row["created_by"],
        current=row["version"] == dataset.current_version,
    )


def list_versions(session: Session, dataset: DatasetRef) -> list[VersionView]:
    """Every version of a dataset, newest first."""
    query = select(versions).where(versions.c.dataset_id == dataset.id).order_by(versions.c.version.desc())
    return [_version_view(r, dataset) for r in session.execute(query).mappings()]


def version(session: Session, dataset: DatasetRef, number: int) -> VersionView | None:
    row = session.execute(_VERSION, {"dataset_id": dataset.id, "number": number}).mappings().first()
    return _version_view(row, dataset) if row is not None else None


def version_columns(view: VersionView) -> tuple[Column, ...]:
    return tuple(Column(c.name, c.type) for c in view.columns)


# --- records, with DuckDB over Parquet ---------------------------------------------------------------------

_duck: duckdb.DuckDBPyConnection | None = None
_duck_pid: int | None = None
_duck_lock = threading.Lock()


def _cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on the process's in-memory DuckDB (made on first use, and again in a forked child). Opening
    a connection costs about 20 ms; a cursor on an open one costs nothing, and keeps Parquet footers cached."""
    global _duck, _duck_pid
    with _duck_lock:
        if _duck is None or _duck_pid != os.getpid():
            connection = duckdb.connect(":memory:", config={"autoinstall_known_extensions": False,
                                                            "autoload_known_extensions": False})
            connection.execute("SET parquet_metadata_cache = true")
            # read_page relies on this documented guarantee: FROM one table, WHERE and LIMIT keep file order
            connection.execute("SET preserve_insertion_order = true")
            _duck, _duck_pid = connection, os.getpid()
            _tables.clear()  # a forked child starts with an empty database of its own
            _not_cached.clear()
            _loading.clear()
        return _duck.cursor()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_COMPARISONS = {Op.EQ: "=", Op.NE: "<>", Op.LT: "<", Op.LE: "<=", Op.GT: ">", Op.GE: ">="}


def _condition_sql(condition: Condition, params: list[Any]) -> str:
    column = _quote(condition.column)
    op, value = condition.op, condition.value
    if value is None:
        return f"{column} IS NULL" if op is Op.EQ else f"{column} IS NOT NULL"
    if op is Op.IN:
        params.extend(value)
        return f"{column} IN ({', '.join('?' for _ in value)})"
    params.append(value)
    if op is Op.PREFIX:
        return f"starts_with({column}, ?)"
    if op is Op.CONTAINS:
        return f"contains({column}, ?)"  # plain substring: % and _ in the value are just characters
    return f"{column} {_COMPARISONS[op]} ?"


def _after_sql(plan: ReadPlan, params: list[Any]) -> str:
    """Rows strictly after the cursor in the page order: sort keys (ascending: empty values last;
    descending: empty values first), then the row ordinal. Written out as an OR of "equal on the first i
    keys and after on key i", so that each key may run its own direction."""
    assert plan.after is not None
    alternatives: list[tuple[str, list[Any]]] = []
    equal_sql: list[str] = []
    equal_params: list[Any] = []
    for key, value in zip(plan.sort, plan.after.values, strict=True):
        column = _quote(key.column)
        after: tuple[str, list[Any]] | None
        if key.direction is Direction.ASC:
            after = None if value is None else (f"({column} > ? OR {column} IS NULL)", [value])
        else:
            after = (f"{column} IS NOT NULL", []) if value is None else (f"{column} < ?", [value])
        if after is not None:
            alternatives.append((" AND ".join([*equal_sql, after[0]]), [*equal_params, *after[1]]))
        if value is None:
            equal_sql.append(f"{column} IS NULL")
        else:
            equal_sql.append(f"{column} = ?")
            equal_params.append(value)
    alternatives.append((" AND ".join([*equal_sql, f"{ROW_KEY} > ?"]), [*equal_params, plan.after.row]))
    for _, values in alternatives:
        params.extend(values)
    return "(" + " OR ".join(f"({sql})" for sql, _ in alternatives) + ")"


def _where(plan: ReadPlan, params: list[Any], *, with_cursor: bool) -> str:
    parts = [_condition_sql(c, params) for c in plan.conditions]
    if with_cursor and plan.after is not None:
        parts.append(_after_sql(plan, params))
    return " AND ".join(parts) if parts else "TRUE"


def _order_sql(plan: ReadPlan) -> str:
    keys = [f"{_quote(k.column)} ASC NULLS LAST" if k.direction is Direction.ASC
            else f"{_quote(k.column)} DESC NULLS FIRST" for k in plan.sort]
    return ", ".join([*keys, f"{ROW_KEY} ASC"])


def _as_utc(value: Any) -> Any:
    return value.astimezone(UTC) if isinstance(value, datetime) else value


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    cursor = _cursor()
    try:
        return cursor.execute(sql, params).fetchall()
    finally:
        cursor.close()


# --- versions held as DuckDB tables --------------------------------------------------------------------------
#
# Scanning Parquet decodes (and decompresses) every row group a query touches, on every read: a top-N over a
# million records cost 0.1-0.4 s that way, and fetching a page of rows scattered over the file decoded the
# whole file again. A version is immutable, so the process keeps recently read versions as tables of its
# in-memory DuckDB (loaded on the first read, within a memory budget, least recently read dropped first) and
# reads those instead: the same SQL, the same order (a table scan keeps insertion order = `_row` order), a
# few milliseconds. Versions bigger than the budget, or being loaded, are read from their Parquet files.

DEFAULT_TABLE_BUDGET = 1 << 30  # bytes of DuckDB memory for cached versions, per process (ZHENGSHU_DATASET_CACHE_MB)
_tables: OrderedDict[tuple, tuple[str, int]] = OrderedDict()  # file identity -> (table name, bytes), LRU last
_table_budget = DEFAULT_TABLE_BUDGET
_not_cached: set[tuple] = set()
_loading: set[tuple] = set()
_table_lock = threading.Lock()
_table_numbers = itertools.count(1)


def set_table_budget(size_bytes: int) -> None:
    """How much memory this process may spend holding versions as tables (0: read Parquet every time)."""
    global _table_budget
    with _table_lock:
        _table_budget = max(0, int(size_bytes))
        _not_cached.clear()
        dropped = _evict_locked()
    _drop(dropped)


def _identity(files: Sequence[Path]) -> tuple:
    """Which files these are: path, size and change time (a version's files never change; size and time
    also tell apart a folder removed and written again under the same name)."""
    identity = []
    for f in files:
        stat = os.stat(f)
        identity.append((str(f), stat.st_size, stat.st_mtime_ns))
    return tuple(identity)


def _evict_locked() -> list[str]:
    dropped = []
    while _tables and sum(size for _, size in _tables.values()) > _table_budget:
        _, (name, _) = _tables.popitem(last=False)
        dropped.append(name)
    return dropped


def _drop(names: Sequence[str]) -> None:
    for name in names:  # a read already running on a dropped table finishes on its own snapshot
        _fetch(f"DROP TABLE IF EXISTS {name}", [])


def _table_memory() -> int:
    return int(_fetch("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                      "WHERE tag = 'IN_MEMORY_TABLE'", [])[0][0])


def _load(key: tuple, files: list[str]) -> str | None:
    """Copy a version into a table, unless its decoded size would not fit the budget."""
    decoded = int(_fetch("SELECT coalesce(sum(total_uncompressed_size), 0) FROM parquet_metadata(?)",
                         [files])[0][0])
    names = {r[0].lower() for r in _fetch("SELECT name FROM parquet_schema(?)", [files])}
    if decoded > _table_budget or "rowid" in names:  # a column named rowid would hide the table's own
        with _table_lock:
            _not_cached.add(key)
        return None
    name = f"version_{next(_table_numbers)}"
    before = _table_memory()
    _fetch(f"CREATE TABLE {name} AS SELECT * FROM read_parquet(?)", [files])
    size = max(_table_memory() - before, decoded)
    with _table_lock:
        _tables[key] = (name, size)
        dropped = _evict_locked()
    _drop(dropped)
    return None if name in dropped else name


def _table_for(files: Sequence[Path]) -> str | None:
    """The table holding these files' records, loaded now if it is not yet; None to read Parquet (too big
    for the budget, or another reader is loading it right now)."""
    key = _identity(files)
    with _table_lock:
        found = _tables.get(key)
        if found is not None:
            _tables.move_to_end(key)
            return found[0]
        if _table_budget == 0 or key in _not_cached or key in _loading:
            return None
        _loading.add(key)
    try:
        return _load(key, [str(f) for f in files])
    finally:
        with _table_lock:
            _loading.discard(key)


def _fetch_page(source: str, params: list[Any], plan: ReadPlan, *, table: bool) -> tuple[list[tuple], list[tuple]]:
    """The page's rows (plus one) with every selected column and `_row` last, and their sort keys."""
    selected = ", ".join([*(_quote(c.name) for c in plan.columns), f"{ROW_KEY} AS __row"])
    take = int(plan.limit) + 1
    where = _where(plan, params, with_cursor=True)
    if not plan.sort:
        fetched = _fetch(f"SELECT {selected} FROM {source} WHERE {where} LIMIT {take}", params)
        return fetched, [(r[-1],) for r in fetched]
    # the page is found from the sort columns and `_row` alone (a narrow top-N), then only its rows are
    # fetched with every selected column: decoding wide text columns for every matching row costs more
    key_columns = ", ".join([*(_quote(k.column) for k in plan.sort), ROW_KEY, *(["rowid"] if table else [])])
    found = _fetch(f"SELECT {key_columns} FROM {source} WHERE {where} ORDER BY {_order_sql(plan)} LIMIT {take}",
                   params)
    keys = [k[:-1] for k in found] if table else found
    rows = [k[-1] for k in keys]
    if not rows:
        return [], keys
    if table:  # by the table's own row ids: a lookup, not a scan
        qualified = ", ".join([*(f"t.{_quote(c.name)}" for c in plan.columns), f"t.{ROW_KEY}", "t.rowid"])
        by = _fetch(f"SELECT {qualified} FROM {source} AS t JOIN (SELECT unnest(?::BIGINT[]) AS id) AS k "
                    f"ON t.rowid = k.id", [[k[-1] for k in found]])
        by_row = {r[-2]: r[:-1] for r in by}
    else:
        by = _fetch(f"SELECT {selected} FROM {source} WHERE {ROW_KEY} BETWEEN ? AND ? "
                    f"AND list_contains(?, {ROW_KEY})", [*params[:1], min(rows), max(rows), rows])
        by_row = {r[-1]: r for r in by}
    return [by_row[row] for row in rows], keys


def _run(files: Sequence[Path], read: Any) -> Any:
    """`read(source, params, table=...)` on the version's table, or on its Parquet files."""
    table = _table_for(files)
    if table is not None:
        try:
            return read(table, [], table=True)
        except duckdb.CatalogException:  # dropped for a newer version meanwhile: read the files
            pass
    return read("read_parquet(?)", [[str(f) for f in files]], table=False)


def read_page(files: Sequence[Path], plan: ReadPlan) -> tuple[list[dict[str, Any]], str | None]:
    """One page of records and the cursor of the next page (None on the last page).

    In file order (no sort keys) the rows come straight from a filtered scan that stops after the page:
    DuckDB keeps file order for a scan with WHERE and LIMIT, and `_row` is that order. With sort keys the
    page is found first from the sort columns and `_row` alone, then only its rows are fetched."""
    fetched, keys = _run(files, lambda source, params, table: _fetch_page(source, params, plan, table=table))
    width = len(plan.columns)
    names = [c.name for c in plan.columns]
    page = [dict(zip(names, map(_as_utc, r[:width]), strict=True)) for r in fetched[: plan.limit]]
    next_cursor = None
    if len(fetched) > plan.limit:
        last = keys[plan.limit - 1]
        next_cursor = plan.next_cursor(last[:-1], last[-1])
    return page, next_cursor


def read_row(files: Sequence[Path], plan: ReadPlan, ordinal: int) -> dict[str, Any] | None:
    """The record at `ordinal` (0-based, in the order the version's rows were given), or None."""

    def fetched(source: str, params: list[Any], table: bool) -> list[tuple]:
        columns = ", ".join(_quote(c.name) for c in plan.columns)
        return _fetch(f"SELECT {columns} FROM {source} WHERE {ROW_KEY} = ?", [*params, ordinal])

    rows = _run(files, fetched)
    return dict(zip([c.name for c in plan.columns], map(_as_utc, rows[0]), strict=True)) if rows else None


def count(files: Sequence[Path], plan: ReadPlan) -> int:
    """How many records match the plan's filters (columns, sort, cursor and page size do not matter)."""

    def counted(source: str, params: list[Any], table: bool) -> int:
        sql = f"SELECT count(*) FROM {source} WHERE {_where(plan, params, with_cursor=False)}"
        return int(_fetch(sql, params)[0][0])

    return _run(files, counted)
