"""The metadata database's two kinds of session: reads cannot write, and a pooled connection the server
closed while it sat idle is replaced without the caller noticing."""

from __future__ import annotations

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
