"""Read-side SQL of the exchange: a grant's use on a day (its quota), and the call log for monitoring."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengshu.core.exchange.schemas import CallView
from zhengshu.core.exchange.tables import calls, usage


def rows_used(session: Session, grant_id: int, day: date) -> int:
    """Records the grant has had on that day (counting toward its daily quota)."""
    used = session.execute(select(usage.c.rows).where(usage.c.grant_id == grant_id, usage.c.day == day)).scalar()
    return int(used or 0)


def recent_calls(session: Session, *, since: datetime, resource_code: str | None = None,
                 client_key: str | None = None, limit: int = 100) -> list[CallView]:
    """The newest calls since a moment, optionally of one resource or one client."""
    query = select(calls).where(calls.c.occurred_at >= since)
    if resource_code:
        query = query.where(calls.c.resource_code == resource_code)
    if client_key:
        query = query.where(calls.c.client_key == client_key)
    rows = session.execute(query.order_by(calls.c.id.desc()).limit(limit)).mappings()
    return [CallView(**row) for row in rows]

