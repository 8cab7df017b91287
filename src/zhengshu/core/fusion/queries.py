"""Read-side SQL of fusion: a registry's runs (the last successful one is the state the next run starts
from) and its review decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhengshu.core.fusion.tables import decisions, runs


def runs_of(session: Session, registry: str, limit: int = 20) -> list[dict[str, Any]]:
    query = select(runs).where(runs.c.registry == registry).order_by(runs.c.id.desc()).limit(limit)
    return [dict(r) for r in session.execute(query).mappings()]


def last_good_run(session: Session, registry: str) -> dict[str, Any] | None:
    query = (select(runs).where(runs.c.registry == registry, runs.c.status == "succeeded")
             .order_by(runs.c.id.desc()).limit(1))
    row = session.execute(query).mappings().first()
    return dict(row) if row else None


def decisions_of(session: Session, registry: str) -> list[dict[str, Any]]:
    query = select(decisions).where(decisions.c.registry == registry).order_by(decisions.c.id)
    return [dict(r) for r in session.execute(query).mappings()]
