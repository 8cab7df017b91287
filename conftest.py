"""Shared test fixtures. Every test that touches the database runs twice: on SQLite and on PostgreSQL.

PostgreSQL comes from ZHENGSHU_TEST_DATABASE_URL (default: the local server's `test` database); the tests
use their own schema there, created fresh for each run. The schema is built once per backend by the real
Alembic migrations; each test then starts from empty tables.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import text
from sqlalchemy.engine import make_url

from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.database import Database, metadata
from zhengshu.kernel.permissions import Role
from zhengshu.migrations import upgrade_schema
from zhengshu.modules import Platform
from zhengshu.settings import Settings, load_settings

PG_URL = os.environ.get(
    "ZHENGSHU_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
PG_SCHEMA = f"zhengshu_test_{os.getpid()}"
BACKENDS = ("sqlite", "postgresql")


def _postgres_url() -> str:
    url = make_url(PG_URL)
    return url.update_query_dict({"options": f"-csearch_path={PG_SCHEMA}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture(scope="session")
def _databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Database]]:
    sqlite_file = tmp_path_factory.mktemp("db") / "zhengshu.db"
    sqlite = Database.from_url(f"sqlite:///{sqlite_file}")
    admin = Database.from_url(PG_URL)
    admin.check_reachable()  # fail loudly: PostgreSQL tests are never skipped
    with admin.engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
        connection.execute(text(f"CREATE SCHEMA {PG_SCHEMA}"))
    postgres = Database.from_url(_postgres_url())
    databases = {"sqlite": sqlite, "postgresql": postgres}
    for database in databases.values():
        upgrade_schema(database.engine)
    yield databases
    for database in databases.values():
        database.dispose()
    with admin.engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA IF EXISTS {PG_SCHEMA} CASCADE"))
    admin.dispose()


def _empty_tables(database: Database) -> None:
    tables = list(reversed(metadata.sorted_tables))
    with database.engine.begin() as connection:
        if database.backend == "postgresql":
            names = ", ".join(t.name for t in tables)
            connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(table.delete())


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def database(backend: str, _databases: dict[str, Database]) -> Database:
    db = _databases[backend]
    _empty_tables(db)
    return db


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    """Settings a test module changes for its platform: override this fixture there."""
    return {}


@pytest.fixture
def settings(tmp_path: Path, database: Database, settings_overrides: dict[str, Any]) -> Settings:
    return load_settings(**{
        "data_dir": tmp_path / "var",
        "database_url": database.engine.url.render_as_string(hide_password=False),
        "audit_checkpoint_every": 10,
        **settings_overrides,
    })


@pytest.fixture
def platform(settings: Settings, database: Database) -> Platform:
    return Platform.start(settings, database=database)


def make_actor(role: Role | None = None, department: str | None = "130300001", name: str = "测试用户") -> Actor:
    """An actor with one role, for service tests that need one."""
    roles = frozenset({role.value}) if role else frozenset()
    return Actor(kind=ActorKind.USER, id=f"test-{role or 'none'}", name=name, department_code=department,
                 roles=roles, client_address="127.0.0.1")


@pytest.fixture
def admin() -> Actor:
    return make_actor(Role.PLATFORM_ADMIN, name="平台管理员")


@pytest.fixture
def sql(platform: Platform):
    """Run one hand-written SQL statement in its own transaction, as someone with database access would;
    reads return the rows."""

    def run(statement: str, **params: object) -> list:
        with platform.database.engine.begin() as connection:
            result = connection.execute(text(statement), params)
            return result.all() if result.returns_rows else []

    return run


@pytest.fixture
def audit_trail(platform: Platform):
    """The audit records so far, in chain order: (action, actor, target, outcome)."""

    def read() -> list[tuple[str, str, str, str]]:
        with platform.database.reading() as session:
            rows = session.execute(
                text("SELECT action, actor, target, outcome FROM audit_records ORDER BY seq")
            ).all()
        return [tuple(r) for r in rows]

    return read


# --- pages through the real application ------------------------------------------------------------------------

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@contextmanager
def web_as(platform: Platform, actor: Actor | None) -> Iterator[tuple[TestClient, dict[str, Actor | None]]]:
    """A client on the real app and a switch saying who is signed in (`who["actor"]`, `actor` at first)."""
    from zhengshu.app import create_app

    app = create_app(platform)
    who: dict[str, Actor | None] = {"actor": actor}
    app.state.authenticate = lambda request: who["actor"]
    with TestClient(app, follow_redirects=False) as client:
        yield client, who


def page(response: Response, status: int = 200) -> str:
    """The HTML of a page answered with `status`: a Chinese page of the shell, never a traceback."""
    assert response.status_code == status, response.text[:800]
    html = response.text
    assert '<html lang="zh-CN">' in html and "Traceback" not in html
    return html


def csrf(html: str) -> str:
    """The CSRF token of the page's form."""
    match = CSRF_FIELD.search(html)
    assert match, "the page has no CSRF field"
    return match.group(1)


@pytest.fixture
def run_cli(settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run `zhengshu.cli.main` (the real error mapping) against this test's database: `run_cli(*args)` gives
    (exit code, stdout, stderr)."""
    import sys

    from zhengshu import cli

    assert settings.database_url
    monkeypatch.setenv("ZHENGSHU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ZHENGSHU_DATABASE_URL", settings.database_url)

    def main(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["zhengshu", *args])
        with pytest.raises(SystemExit) as exited:
            cli.main()
        captured = capsys.readouterr()
        return int(exited.value.code or 0), captured.out, captured.err

    return main
