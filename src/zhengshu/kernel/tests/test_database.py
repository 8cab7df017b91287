"""The metadata database's two kinds of session: reads cannot write, writers of one process take turns on
SQLite, and a pooled PostgreSQL connection the server closed while it sat idle is replaced unnoticed."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from zhengshu.kernel import database as database_module
from zhengshu.kernel.database import Database


def test_a_read_session_cannot_write(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS kernel_probe (n INTEGER)"))
    try:
        if database.backend == "postgresql":
            with pytest.raises(DBAPIError, match="read-only"), database.reading() as session:
                session.execute(text("INSERT INTO kernel_probe VALUES (1)"))
        else:  # SQLite: whatever a read session did is rolled back
            with database.reading() as session:
                session.execute(text("INSERT INTO kernel_probe VALUES (1)"))
        with database.reading() as session:
            assert session.execute(text("SELECT count(*) FROM kernel_probe")).scalar_one() == 0
    finally:
        with database.engine.begin() as connection:
            connection.execute(text("DROP TABLE kernel_probe"))


@pytest.mark.parametrize("backend", ["postgresql"])
def test_an_idle_connection_the_server_closed_is_replaced(database: Database,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    database._read_engine.dispose()  # one pooled read connection: the next read must get this one back
    with database.reading() as session:
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
    with database.engine.begin() as connection:
        connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    monkeypatch.setattr(database_module, "PING_AFTER_IDLE_SECONDS", 0.0)
    with database.reading() as session:
        assert session.execute(text("SELECT pg_backend_pid()")).scalar_one() != pid


@pytest.mark.parametrize("backend", ["sqlite"])
def test_writers_of_one_process_take_turns_and_always_give_the_lock_back(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS kernel_probe (n INTEGER)"))

    def write(n: int) -> None:
        with database.write_session() as session:
            session.execute(text("INSERT INTO kernel_probe VALUES (:n)"), {"n": n})
            if n % 5 == 0:
                session.rollback()  # given up: the lock comes back too
            else:
                session.commit()

    try:
        with ThreadPoolExecutor(4) as pool:
            list(pool.map(write, range(80)))
        started = time.monotonic()
        write(1)
        assert time.monotonic() - started < 5
        with database.reading() as session:
            assert session.execute(text("SELECT count(*) FROM kernel_probe")).scalar_one() == 80 - 16 + 1
    finally:
        with database.engine.begin() as connection:
            connection.execute(text("DROP TABLE kernel_probe"))
