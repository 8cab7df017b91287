"""Write-side SQL of fusion: runs and review decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, update
from sqlalchemy.orm import Session

from zhengshu.core.fusion.tables import decisions, runs


def start_run(session: Session, **values: Any) -> int:
    return int(session.execute(insert(runs).values(status="running", sources=[], counts={}, **values)
                               .returning(runs.c.id)).scalar_one())


def finish_run(session: Session, run_id: int, **values: Any) -> None:
    session.execute(update(runs).where(runs.c.id == run_id).values(**values))


def add_decision(session: Session, **values: Any) -> int:
    return int(session.execute(insert(decisions).values(**values).returning(decisions.c.id)).scalar_one())
