"""Alembic environment: runs against the engine handed in by `upgrade_schema`, or ZHENGSHU_DATABASE_URL."""

from __future__ import annotations

from alembic import context

from zhengshu.kernel.database import make_engine, metadata
from zhengshu.migrations import import_all_tables

import_all_tables()
config = context.config
engine = config.attributes.get("engine")
if engine is None:
    from zhengshu.settings import load_settings

    engine = make_engine(load_settings().resolved_database_url)

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
