"""Read-side SQL of the dataset store: the metadata views (SQLAlchemy), and the records of a version read from
its Parquet files with DuckDB. This is the only file with DuckDB SQL.

DuckDB runs in memory, one instance per process, each read on its own cursor; it reads Parquet with its
built-in reader only (extension auto-install and auto-load are off: nothing is ever downloaded). Column names
come from the version's own column list and are quoted; every value — filter values, cursor values, the
file list, the page size — is a bound parameter, never part of the SQL text.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
from sqlalchemy import and_, select
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


def dataset_ref(session: Session, code: str) -> DatasetRef | None:
    row = session.execute(select(datasets).where(datasets.c.code == code)).mappings().first()
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
    query = select(versions).where(versions.c.dataset_id == dataset.id, versions.c.version == number)
    row = session.execute(query).mappings().first()
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


def read_page(files: Sequence[Path], plan: ReadPlan) -> tuple[list[dict[str, Any]], str | None]:
    """One page of records and the cursor of the next page (None on the last page).

    In file order (no sort keys) the rows come straight from a filtered scan that stops after the page:
    DuckDB keeps file order for a scan with WHERE and LIMIT, and `_row` is that order. With sort keys the
    page is found first from the sort columns and `_row` alone (a narrow top-N), then only its rows are
    fetched with every selected column — decoding wide text columns for every matching row would cost
    several times more."""
    source: list[Any] = [[str(f) for f in files]]
    selected = ", ".join([*(_quote(c.name) for c in plan.columns), f"{ROW_KEY} AS __row"])
    take = int(plan.limit) + 1
    if not plan.sort:
        params = list(source)
        where = _where(plan, params, with_cursor=True)
        fetched = _fetch(f"SELECT {selected} FROM read_parquet(?) WHERE {where} LIMIT {take}", params)
        keys: list[tuple] = [(r[-1],) for r in fetched]
    else:
        params = list(source)
        where = _where(plan, params, with_cursor=True)
        key_columns = ", ".join([*(_quote(k.column) for k in plan.sort), ROW_KEY])
        keys = _fetch(f"SELECT {key_columns} FROM read_parquet(?) WHERE {where} "
                      f"ORDER BY {_order_sql(plan)} LIMIT {take}", params)
        rows = [k[-1] for k in keys]
        by_row: dict[int, tuple] = {}
        if rows:
            found = _fetch(f"SELECT {selected} FROM read_parquet(?) "
                           f"WHERE {ROW_KEY} BETWEEN ? AND ? AND list_contains(?, {ROW_KEY})",
                           [*source, min(rows), max(rows), rows])
            by_row = {r[-1]: r for r in found}
        fetched = [by_row[row] for row in rows]
    width = len(plan.columns)
    names = [c.name for c in plan.columns]
    page = [dict(zip(names, map(_as_utc, r[:width]), strict=True)) for r in fetched[: plan.limit]]
    next_cursor = None
    if len(fetched) > plan.limit:
        last = keys[plan.limit - 1]
        next_cursor = plan.next_cursor(last[:-1], last[-1])
    return page, next_cursor


def count(files: Sequence[Path], plan: ReadPlan) -> int:
    """How many records match the plan's filters (columns, sort, cursor and page size do not matter)."""
    params: list[Any] = [[str(f) for f in files]]
    sql = f"SELECT count(*) FROM read_parquet(?) WHERE {_where(plan, params, with_cursor=False)}"
    return int(_fetch(sql, params)[0][0])
