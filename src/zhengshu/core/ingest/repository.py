"""Write-side SQL of ingestion: saving a resource's source and recording loads."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session

from zhengshu.core.ingest.tables import corrections, loads, sources


def save_source(session: Session, resource_code: str, source: dict[str, Any], mapping: dict[str, str], policy: str,
                saved_at: datetime, saved_by: str) -> None:
    session.execute(delete(sources).where(sources.c.resource_code == resource_code))
    session.execute(insert(sources).values(resource_code=resource_code, source=source, mapping=mapping,
                                           policy=policy, saved_at=saved_at, saved_by=saved_by))


def start_load(session: Session, *, load_id: str, resource_code: str, provider_code: str, source: str,
               policy: str, started_at: datetime, started_by: str, status: str = "running") -> None:
    session.execute(insert(loads).values(load_id=load_id, resource_code=resource_code, provider_code=provider_code,
                                         source=source[:4000], policy=policy, status=status, started_at=started_at,
                                         started_by=started_by))


def finish_load(session: Session, load_id: str, **values: Any) -> None:
    session.execute(update(loads).where(loads.c.load_id == load_id).values(**values))


def open_correction(session: Session, **values: Any) -> int:
    return int(session.execute(insert(corrections).values(status="open", **values).returning(corrections.c.id))
               .scalar_one())


def update_correction(session: Session, correction_id: int, **values: Any) -> None:
    session.execute(update(corrections).where(corrections.c.id == correction_id).values(**values))
