"""Write-side SQL of the exchange: metering a grant's day, logging a call and the subjects it returned.
Functions take the unit of work's session and run inside the transaction that records the call's audit
event.

The statements are built once, with bound parameters: building and hashing a fresh statement with its
values on every call cost more than running it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import bindparam, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from zhengshu.core.exchange.tables import calls, subject_reads, usage


def _upsert(dialect: type[postgresql.Insert] | type[sqlite.Insert]) -> postgresql.Insert | sqlite.Insert:
    statement = dialect(usage).values(grant_id=bindparam("grant_id"), day=bindparam("day"), calls=1,
                                      rows=bindparam("rows"))
    return statement.on_conflict_do_update(
        index_elements=[usage.c.grant_id, usage.c.day],
        set_={"calls": usage.c.calls + statement.excluded.calls, "rows": usage.c.rows + statement.excluded.rows},
    )


_ADD_USAGE = {"postgresql": _upsert(postgresql.Insert), "sqlite": _upsert(sqlite.Insert)}
_ADD_CALL = insert(calls).returning(calls.c.id)
_ADD_SUBJECT = insert(subject_reads)


def add_usage(session: Session, grant_id: int, day: date, rows: int) -> None:
    """One more call and `rows` more records for the grant on that day (an upsert: concurrent calls add up)."""
    backend = "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"
    session.execute(_ADD_USAGE[backend], {"grant_id": grant_id, "day": day, "rows": rows})


def add_call(session: Session, *, occurred_at: datetime, client_key: str, consumer_code: str | None,
             resource_code: str, grant_id: int | None, operation: str, rows: int, latency_ms: int, outcome: str,
             reason: str, provider_code: str | None = None, purpose: str = "", fields: Sequence[str] = ()) -> int:
    """Log one call; its id."""
    return int(session.execute(_ADD_CALL, {
        "occurred_at": occurred_at, "client_key": client_key[:40], "consumer_code": consumer_code,
        "provider_code": provider_code, "resource_code": resource_code[:64], "grant_id": grant_id,
        "operation": operation, "rows": rows, "latency_ms": latency_ms, "outcome": outcome, "reason": reason[:64],
        "purpose": purpose[:200], "fields": "、".join(fields),
    }).scalar_one())


def add_subjects(session: Session, call_id: int, subjects: Sequence[str]) -> None:
    """The subjects (keyed hashes) a call returned, each once."""
    unique = dict.fromkeys(subjects)
    if unique:
        session.execute(_ADD_SUBJECT, [{"subject": s, "call_id": call_id} for s in unique])
