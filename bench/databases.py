"""The databases a benchmark runs on: a SQLite file in a temporary folder, or a throwaway schema on the
PostgreSQL server of ZHENGSHU_BENCH_DATABASE_URL (default: the local server's `test` database)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.engine import make_url

from zhengshu.kernel.database import Database

PG_URL = os.environ.get("ZHENGSHU_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def bench_database(backend: str, name: str) -> Iterator[Database]:
    """An empty database of `backend` ("sqlite" or "postgresql"), removed afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            database = Database.from_url(f"sqlite:///{folder}/bench.db")
            try:
                yield database
            finally:
                database.dispose()
        return
    schema = f"bench_{name}_{os.getpid()}"
    admin = Database.from_url(PG_URL)
    with admin.engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"))
    url = make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database.from_url(url.render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with admin.engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
