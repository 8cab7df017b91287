"""Write-side SQL of open data: openings and their history, developers, applications, usage counters.
Functions take the unit of work's session."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from zhengshu.core.opendata.tables import applications, developers, history, openings, usage


def opening_for_update(session: Session, code: str) -> dict[str, Any] | None:
    query = select(openings).where(openings.c.code == code)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    row = session.execute(query).mappings().first()
    return dict(row) if row else None


def replace_proposal(session: Session, values: dict[str, Any]) -> int:
    """A new proposal under its code (a refused or rejected one with the same code, and its history, go)."""
    old = session.execute(select(openings.c.id).where(openings.c.code == values["code"])).scalar()
    if old is not None:
        session.execute(delete(history).where(history.c.opening_id == old))
        session.execute(delete(openings).where(openings.c.id == old))
    return int(session.execute(insert(openings).values(**values).returning(openings.c.id)).scalar_one())


def save_opening(session: Session, opening_id: int, **values: Any) -> None:
    session.execute(update(openings).where(openings.c.id == opening_id).values(**values))


def add_history(session: Session, opening_id: int, action: str, actor: str, at: datetime, note: str = "",
                source_version: int | None = None, row_count: int | None = None) -> None:
    session.execute(insert(history).values(opening_id=opening_id, action=action, actor=actor, occurred_at=at,
                                           note=note[:2000], source_version=source_version, row_count=row_count))


def add_developer(session: Session, **values: Any) -> int:
    return int(session.execute(insert(developers).values(**values).returning(developers.c.id)).scalar_one())


def email_taken(session: Session, email: str) -> bool:
    return session.execute(select(developers.c.id).where(developers.c.email == email)).first() is not None


def add_application(session: Session, **values: Any) -> int:
    return int(session.execute(insert(applications).values(**values).returning(applications.c.id)).scalar_one())


def application_for_update(session: Session, application_id: int) -> dict[str, Any] | None:
    row = session.execute(select(applications).where(applications.c.id == application_id)).mappings().first()
    return dict(row) if row else None


def save_application(session: Session, application_id: int, **values: Any) -> None:
    session.execute(update(applications).where(applications.c.id == application_id).values(**values))


def count_use(session: Session, day: date, code: str, developer: str, kind: str, n: int = 1) -> None:
    """Add to a usage counter, creating it the first time (an upsert on both backends)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(usage).values(day=day, code=code, developer=developer, kind=kind, count=n)
    session.execute(statement.on_conflict_do_update(index_elements=["day", "code", "developer", "kind"],
                                                    set_={"count": usage.c.count + n}))


def opening_by_id(session: Session, opening_id: int) -> dict[str, Any] | None:
    row = session.execute(select(openings).where(openings.c.id == opening_id)).mappings().first()
    return dict(row) if row else None
