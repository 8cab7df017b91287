"""Read-side SQL of ingestion: a resource's saved source and its loads."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhengshu.core.ingest.tables import corrections, loads, sources


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


def open_load_corrections(session: Session, resource_code: str, origin: str = "load") -> dict[str, dict[str, Any]]:
    """A resource's open tasks found by loads (or by fusion runs: `origin` fusion), by problem."""
    query = select(corrections).where(corrections.c.resource_code == resource_code, corrections.c.origin == origin,
                                      corrections.c.status == "open")
    return {r["problem"]: dict(r) for r in session.execute(query).mappings()}


def correction(session: Session, correction_id: int) -> dict[str, Any] | None:
    row = session.execute(select(corrections).where(corrections.c.id == correction_id)).mappings().first()
    return dict(row) if row else None


def corrections_of(session: Session, provider_code: str | None, status: str | None, limit: int = 500
                   ) -> list[dict[str, Any]]:
    """Tasks of one providing department (None: every department), open or closed or both, newest first."""
    query = select(corrections)
    if provider_code is not None:
        query = query.where(corrections.c.provider_code == provider_code)
    if status:
        query = query.where(corrections.c.status == status)
    return [dict(r) for r in session.execute(
        query.order_by(corrections.c.status.desc(), corrections.c.due_on, corrections.c.id.desc()).limit(limit)
    ).mappings()]


def open_correction_count(session: Session, provider_code: str | None, overdue_before: Any = None) -> int:
    query = select(func.count()).select_from(corrections).where(corrections.c.status == "open")
    if provider_code is not None:
        query = query.where(corrections.c.provider_code == provider_code)
    if overdue_before is not None:
        query = query.where(corrections.c.due_on < overdue_before)
    return int(session.execute(query).scalar_one())


def saved_sources(session: Session) -> list[dict[str, Any]]:
    return [dict(r) for r in session.execute(select(sources).order_by(sources.c.resource_code)).mappings()]


def last_loaded(session: Session, resource_code: str) -> Any:
    """When the resource's newest successful load started (None: never)."""
    return session.execute(select(func.max(loads.c.started_at)).where(
        loads.c.resource_code == resource_code, loads.c.status == "loaded")).scalar()


def failed_resources(session: Session, provider_code: str | None) -> list[str]:
    """Resources whose newest load failed (of one provider, or all)."""
    newest = select(loads.c.resource_code, func.max(loads.c.id).label("id")).group_by(loads.c.resource_code)
    if provider_code is not None:
        newest = newest.where(loads.c.provider_code == provider_code)
    latest = newest.subquery()
    query = select(loads.c.resource_code).join(latest, loads.c.id == latest.c.id).where(loads.c.status == "failed")
    return list(session.execute(query).scalars())
