"""Read-side SQL of ingestion: a resource's saved source and its loads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengshu.core.ingest.tables import loads, sources


def saved_source(session: Session, resource_code: str) -> dict[str, Any] | None:
    row = session.execute(select(sources).where(sources.c.resource_code == resource_code)).mappings().first()
    return dict(row) if row else None


def load(session: Session, load_id: str) -> dict[str, Any] | None:
    row = session.execute(select(loads).where(loads.c.load_id == load_id)).mappings().first()
    return dict(row) if row else None


def loads_of(session: Session, resource_code: str, limit: int = 50) -> list[dict[str, Any]]:
    query = (select(loads).where(loads.c.resource_code == resource_code)
             .order_by(loads.c.started_at.desc(), loads.c.id.desc()).limit(limit))
    return [dict(r) for r in session.execute(query).mappings()]
