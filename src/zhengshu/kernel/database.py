"""The metadata database: one SQLAlchemy engine, SQLite (WAL) embedded or PostgreSQL in production.

Tables are declared in each module's `tables.py` against the one `metadata` here, so Alembic sees them all.
On SQLite a write transaction starts with `BEGIN IMMEDIATE`: it takes the write lock up front, so two
writers queue instead of one failing half-way (SQLite's deferred BEGIN would let both read and then make
one of them fail with "database is locked" when it tries to write).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, NoSuchModuleError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from zhengshu.kernel import clock
from zhengshu.kernel.errors import ConfigurationError

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored in UTC and always read back timezone-aware (SQLite would hand back a naive one)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        aware = clock.as_utc(value)
        return aware.replace(tzinfo=None) if dialect.name == "sqlite" else aware

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        return None if value is None else clock.as_utc(value)


_WRITE = "zhengshu_write"
_WRITER = "zhengshu_holds_write_lock"
_BUSY_SECONDS = 30


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_BUSY_SECONDS * 1000}")
        cursor.close()

    # The writers of this process queue on a lock of their own before BEGIN IMMEDIATE, held until the
    # connection goes back to the pool: SQLite's busy handler would make them sleep and poll instead
    # (1, 2, 5, 10, 15, 20, 25 ms... between tries), which left a write waiting long after the lock was free.
    # Writers of other processes still meet at SQLite's lock, with the busy timeout.
    writers = threading.Lock()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        if not connection.get_execution_options().get(_WRITE, False):
            connection.exec_driver_sql("BEGIN")
            return
        # a nested writer in the same thread would wait forever here: after the busy timeout it goes on and
        # meets SQLite's lock, which refuses it as before
        if writers.acquire(timeout=_BUSY_SECONDS):
            connection.info[_WRITER] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            _release(connection.info)
            raise

    def _release(info: dict) -> None:
        if info.pop(_WRITER, False):
            writers.release()

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        _release(record.info)

    @event.listens_for(engine, "invalidate")
    def _on_invalidate(_dbapi_connection: Any, record: Any, _exception: Any) -> None:
        _release(record.info)


PING_AFTER_IDLE_SECONDS = 10.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled PostgreSQL connection with a round trip only when it sat unused for a while (the
    server may have closed it meanwhile); one used moments ago is taken as it is. A connection that still
    turns out dead fails that one statement, and SQLAlchemy then invalidates the whole pool. (A ping on every
    checkout cost one round trip of every read and every transaction.)"""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["zhengshu_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("zhengshu_idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the pool replaces this connection and tries again
            raise DisconnectionError(str(exc)) from exc


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create the engine for a database URL, configured for the platform's needs on each backend."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"数据库地址无法解析 (ZHENGSHU_DATABASE_URL): {url!r}") from exc
    try:
        if parsed.get_backend_name() == "sqlite":
            engine = create_engine(parsed, connect_args={"timeout": _BUSY_SECONDS}, **kwargs)
            _configure_sqlite(engine)
        else:
            engine = create_engine(parsed, **kwargs)
            _ping_when_idle(engine)
    except (NoSuchModuleError, ImportError) as exc:
        raise ConfigurationError(f"不支持的数据库类型: {parsed.drivername}") from exc
    return engine


def _read_engine(engine: Engine) -> Engine:
    """The engine read sessions use. SQLite: the same one (a deferred BEGIN, local and cheap, gives the reads
    one snapshot). PostgreSQL: a second pool whose connections run in autocommit and refuse every write
    (`default_transaction_read_only`), so a read costs its statements only, not a BEGIN and a ROLLBACK round
    trip besides. At READ COMMITTED, PostgreSQL's default, each statement takes a fresh snapshot anyway,
    inside a transaction or not, so the reads see exactly what they saw before."""
    if engine.dialect.name != "postgresql":
        return engine
    url = engine.url
    options = url.query.get("options") or ""
    options = " ".join([*([options] if isinstance(options, str) else options), "-c default_transaction_read_only=on"])
    reads = create_engine(url.update_query_dict({"options": options.strip()}), isolation_level="AUTOCOMMIT")
    _ping_when_idle(reads)
    return reads


class Database:
    """The engine plus the two kinds of session: write (one transaction, locks up front on SQLite) and read."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._read_engine = _read_engine(engine)
        self._writes = sessionmaker(bind=engine.execution_options(**{_WRITE: True}), expire_on_commit=False)
        self._reads = sessionmaker(bind=self._read_engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Database:
        return cls(make_engine(url, **kwargs))

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def write_session(self) -> Session:
        return self._writes()

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; whatever it did is rolled back at the end (on PostgreSQL it cannot write)."""
        session = self._reads()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def check_reachable(self) -> None:
        """Raise a clear ConfigurationError when the database cannot be reached."""
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except OperationalError as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            safe_url = self.engine.url.render_as_string(hide_password=True)
            raise ConfigurationError(f"无法连接数据库 {safe_url}: {reason}") from exc

    def dispose(self) -> None:
        if self._read_engine is not self.engine:
            self._read_engine.dispose()
        self.engine.dispose()
