"""Schema migrations (Alembic). `upgrade_schema` brings any database to the newest revision of every module.

Each module keeps its own revisions in `<module>/migrations/`, a branch labelled with the module's name, so
modules grow their schemas independently; a revision that needs another module's tables names it in
`depends_on`. New revision for a module, against an up-to-date database:

    ZHENGSHU_DATABASE_URL=sqlite:////tmp/x.db .venv/bin/alembic -c src/zhengshu/migrations/alembic.ini \
        revision --autogenerate --head=<module>@head -m "what changed"

(the first revision of a new module: `--branch-label <module> --head=base --version-path
src/zhengshu/.../<module>/migrations --rev-id <module>_0001`).
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


def version_locations() -> list[Path]:
    """The `migrations/` folder of every module that has one."""
    folders = []
    for name in MODULES:
        package = importlib.import_module(name)
        folder = Path(package.__path__[0]) / "migrations"
        if folder.is_dir():
            folders.append(folder)
    return folders


def alembic_config(engine: Engine | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.set_main_option("version_locations", " ".join(str(f) for f in version_locations()))
    config.set_main_option("path_separator", "space")
    if engine is not None:
        config.attributes["engine"] = engine
    return config


def upgrade_schema(engine: Engine) -> None:
    """Create the schema or upgrade every module's branch to its newest revision, in one transaction where the
    backend allows."""
    command.upgrade(alembic_config(engine), "heads")


def current_revision(engine: Engine) -> str | None:
    """The revisions the database is at, one per module branch ("audit_0001 identity_0001"), or None."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
    return " ".join(sorted(heads)) or None
