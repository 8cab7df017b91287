"""Schema migrations (Alembic). `upgrade_schema` brings any database to the newest revision.

Every module's `tables.py` declares its tables on `kernel.database.metadata`; the revisions in `versions/`
create and change them. New revision: `alembic -c src/zhengshu/migrations/alembic.ini revision
--autogenerate -m "what changed"` with ZHENGSHU_DATABASE_URL pointing at an up-to-date database.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

from zhengshu.modules import MODULES

HERE = Path(__file__).parent


def import_all_tables() -> None:
    """Import every module's tables so they are registered on the shared metadata."""
    for name in MODULES:
        try:
            importlib.import_module(f"{name}.tables")
        except ModuleNotFoundError as exc:
            if exc.name != f"{name}.tables":
                raise


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade_schema(engine: Engine) -> None:
    """Create the schema or upgrade it to the newest revision, in one transaction where the backend allows."""
    command.upgrade(alembic_config(engine), "head")


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
