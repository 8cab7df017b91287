"""A table or one SELECT query of a department's database (数据库), read-only, streamed.

This is the department's database, reached by a SQLAlchemy URL — not the platform's own (whose SQL stays in
`tables`/`repository`/`queries`). Three guards keep it read-only:

1. a query must parse (sqlglot, in the URL's dialect) as exactly one SELECT (or UNION of SELECTs, CTEs allowed)
   with no SELECT INTO, no row locks and no statement that writes anywhere inside it;
2. the connection itself is read-only where the dialect allows: SQLite files are opened `mode=ro`, PostgreSQL
   transactions are `READ ONLY`, MySQL sessions `SET TRANSACTION READ ONLY`;
3. nothing is ever committed.

Rows stream with a server-side cursor (`yield_per`), BATCH_ROWS at a time. Values become text
(`domain.as_text`); a row's number is its place in the result, from 1.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlglot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError, SQLAlchemyError
from sqlglot import exp

from zhengshu.core.ingest.connectors.base import Batch, RowBatcher, SourceReader, closing_on_failure
from zhengshu.core.ingest.domain import BATCH_ROWS, SourceProblem, SourceUnreachable, as_text, column_names
from zhengshu.core.ingest.schemas import SourceSpec

_DIALECTS = {"postgresql": "postgres", "sqlite": "sqlite", "mysql": "mysql", "mariadb": "mysql",
             "mssql": "tsql", "oracle": "oracle"}
_WRITES = (exp.Insert, exp.Update, exp.Delete, exp.Merge, exp.Create, exp.Drop, exp.Alter, exp.Command,
           exp.Into, exp.Lock, exp.TruncateTable)


def check_select(query: str, dialect: str, source: str) -> None:
    """Refuse anything but a single read-only SELECT (naming what was found instead)."""
    try:
        statements = [s for s in sqlglot.parse(query, read=_DIALECTS.get(dialect)) if s is not None]
    except sqlglot.errors.SqlglotError as exc:
        raise SourceProblem(source, f"查询语句无法解析：{str(exc).splitlines()[0]}", field="query") from None
    if len(statements) != 1:
        raise SourceProblem(source, f"只能执行一条 SELECT 查询语句，这里有 {len(statements)} 条", field="query")
    statement = statements[0]
    if not isinstance(statement, exp.Query):
        raise SourceProblem(source, f"只能执行 SELECT 查询，不能执行 {statement.key.upper()}", field="query")
    found = next(statement.find_all(*_WRITES), None)
    if found is not None:
        raise SourceProblem(source, f"查询中含有写入或加锁的部分（{found.key.upper()}），只能只读查询", field="query")


class DatabaseReader(SourceReader):
    """The rows of a table or a SELECT, as text; `detected` names the dialect and what was read."""

    @closing_on_failure
    def __init__(self, spec: SourceSpec) -> None:
        super().__init__(spec.display_name)
        self._engine = _engine(spec, self.source)
        dialect = self._engine.dialect
        if spec.query is not None:
            check_select(spec.query, dialect.name, self.source)
            sql = spec.query.strip().rstrip(";")
        else:
            schema, _, name = (spec.table or "").rpartition(".")
            quote = dialect.identifier_preparer.quote
            sql = f"SELECT * FROM {quote(schema) + '.' if schema else ''}{quote(name)}"
        self._connection: Connection | None = None
        try:
            self._connection = self._open()
        except SQLAlchemyError as exc:
            raise SourceUnreachable(self.source, f"无法连接数据库：{_first_line(getattr(exc, 'orig', exc))}") from None
        try:
            self._result = self._connection.execute(text(sql))
        except SQLAlchemyError as exc:
            what = f"表“{spec.table}”不存在或无法读取" if spec.table else "查询执行失败"
            raise SourceProblem(self.source, f"{what}：{_first_line(getattr(exc, 'orig', exc))}") from None
        self.columns = column_names(list(self._result.keys()), self.source, 0)
        self.detected = {"dialect": dialect.name, "read": f"表 {spec.table}" if spec.table else "查询"}

    def _open(self) -> Connection:
        connection = self._engine.connect()
        options: dict[str, object] = {"yield_per": BATCH_ROWS}
        if self._engine.dialect.name == "postgresql":
            options["postgresql_readonly"] = True
        connection = connection.execution_options(**options)
        if self._engine.dialect.name in ("mysql", "mariadb"):
            connection.exec_driver_sql("SET TRANSACTION READ ONLY")
        return connection

    def batches(self) -> Iterator[Batch]:
        batcher = RowBatcher(self.source, self.columns)
        number = 0
        try:
            for partition in self._result.partitions():
                for row in partition:
                    number += 1
                    batch = batcher.add(number, [as_text(v) for v in row])
                    if batch is not None:
                        yield batch
        except DBAPIError as exc:
            raise SourceUnreachable(self.source, f"读取第 {number + 1:,} 行时数据库出错：{_first_line(exc.orig)}"
                                    ) from None
        last = batcher.cut()
        if last is not None:
            yield last

    def close(self) -> None:
        connection, self._connection = getattr(self, "_connection", None), None
        if connection is not None:
            connection.rollback()
            connection.close()
        engine = getattr(self, "_engine", None)
        if engine is not None:
            engine.dispose()


def _engine(spec: SourceSpec, source: str) -> Engine:
    try:
        url = make_url(spec.location)
    except ArgumentError:
        raise SourceProblem(source, "数据库地址格式不正确（应为 SQLAlchemy URL，如 postgresql+psycopg://用户@主机/库）",
                            field="location") from None
    timeout = max(1, int(spec.timeout_seconds))
    try:
        if url.get_backend_name() == "sqlite":
            path = Path(url.database or "")
            if not url.database or url.database == ":memory:" or not path.is_file():
                raise SourceProblem(source, "SQLite 数据库文件不存在", field="location")
            uri = f"{path.resolve().as_uri()}?mode=ro"
            return create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=timeout,
                                                                             check_same_thread=False))
        if url.get_backend_name() == "postgresql":
            return create_engine(url, connect_args={"connect_timeout": timeout}, pool_pre_ping=False)
        return create_engine(url)
    except (NoSuchModuleError, ModuleNotFoundError) as exc:
        raise SourceProblem(source, f"不支持的数据库类型：{url.drivername}（{exc}）", field="location") from None


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
