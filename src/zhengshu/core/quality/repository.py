"""Write-side SQL of data quality. Functions take the unit of work's session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from zhengshu.core.quality.tables import bad_rows, load_results, rule_sets


def next_rule_set_version(session: Session, resource_code: str) -> int:
    query = select(func.max(rule_sets.c.version)).where(rule_sets.c.resource_code == resource_code)
    return (session.execute(query).scalar_one() or 0) + 1


def add_rule_set(session: Session, *, resource_code: str, version: int, document: dict[str, Any],
                 created_at: datetime, created_by: str) -> None:
    session.execute(insert(rule_sets).values(resource_code=resource_code, version=version, document=document,
                                             created_at=created_at, created_by=created_by))


def load_recorded(session: Session, resource_code: str, load_id: str) -> bool:
    query = select(func.count()).select_from(load_results).where(
        load_results.c.resource_code == resource_code, load_results.c.load_id == load_id)
    return session.execute(query).scalar_one() > 0


def add_load_result(session: Session, values: dict[str, Any], samples: list[dict[str, Any]]) -> int:
    """The result row and its sample bad rows; returns the result's id."""
    result_id = session.execute(insert(load_results).values(**values).returning(load_results.c.id)).scalar_one()
    if samples:
        session.execute(insert(bad_rows), [{**s, "result_id": result_id} for s in samples])
    return result_id
