"""Read-side SQL of the exchange: a grant's use on a day (its quota), and the call log for monitoring."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import bindparam, case, func, select
from sqlalchemy.orm import Session

from zhengshu.core.exchange.schemas import CallView
from zhengshu.core.exchange.tables import calls, subject_reads, usage


def rows_used(session: Session, grant_id: int, day: date) -> int:
    """Records the grant has had on that day (counting toward its daily quota)."""
    used = session.execute(select(usage.c.rows).where(usage.c.grant_id == grant_id, usage.c.day == day)).scalar()
    return int(used or 0)


def calls_since(session: Session, grant_id: int, since: datetime) -> int:
    """A grant's calls (any outcome) since a moment: the rate limit's count."""
    return int(session.execute(_CALLS_SINCE, {"grant_id": grant_id, "since": since}).scalar_one())


_CALLS_SINCE = select(func.count()).select_from(calls).where(
    calls.c.grant_id == bindparam("grant_id"), calls.c.occurred_at >= bindparam("since"))


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



# --- monitoring ---------------------------------------------------------------------------------------------

def _in(since: datetime, until: datetime) -> Any:
    return (calls.c.occurred_at >= since) & (calls.c.occurred_at < until)


def _measures() -> list[Any]:
    return [func.count().label("calls"), func.coalesce(func.sum(calls.c.rows), 0).label("rows"),
            func.sum(case((calls.c.outcome == "denied", 1), else_=0)).label("denied"),
            func.sum(case((calls.c.outcome == "failure", 1), else_=0)).label("failures"),
            func.coalesce(func.avg(calls.c.latency_ms), 0).label("avg_latency_ms")]


def call_totals(session: Session, since: datetime, until: datetime) -> dict[str, Any]:
    """Calls, rows, denials, failures and mean latency of the calls in [since, until)."""
    return dict(session.execute(select(*_measures()).where(_in(since, until))).mappings().one())


def latency_at(session: Session, since: datetime, until: datetime, position: int) -> int:
    """The latency at a 0-based position among the period's latencies in ascending order."""
    query = (select(calls.c.latency_ms).where(_in(since, until)).order_by(calls.c.latency_ms)
             .offset(position).limit(1))
    return int(session.execute(query).scalar() or 0)


def calls_by(session: Session, since: datetime, until: datetime, *keys: str) -> list[dict[str, Any]]:
    """The period's measures grouped by columns of the call log (resource_code, consumer_code, client_key)."""
    columns = [calls.c[k] for k in keys]
    query = select(*columns, *_measures()).where(_in(since, until)).group_by(*columns)
    return [dict(row) for row in session.execute(query).mappings()]


def _bucket(bounds: Sequence[datetime]) -> Any:
    """The index of the day (bounds[i] <= occurred_at < bounds[i + 1]) a call falls in."""
    return case(*((calls.c.occurred_at < bound, i) for i, bound in enumerate(bounds[1:])), else_=-1)


def calls_per_day(session: Session, bounds: Sequence[datetime]) -> list[dict[str, Any]]:
    """Calls and rows per day; `bounds` are the days' starts (UTC) and the last day's end. Days are given
    by the caller (Asia/Shanghai), so the grouping is the same on every database. Returns `day` as an index."""
    inner = (select(_bucket(bounds).label("day"), calls.c.rows)
             .where(_in(bounds[0], bounds[-1])).subquery())
    query = (select(inner.c.day, func.count().label("calls"), func.coalesce(func.sum(inner.c.rows), 0).label("rows"))
             .group_by(inner.c.day))
    return [dict(row) for row in session.execute(query).mappings()]


def rows_per_client(session: Session, since: datetime, until: datetime) -> dict[str, int]:
    """Rows each client read in [since, until) (successful calls)."""
    query = (select(calls.c.client_key, func.sum(calls.c.rows))
             .where(_in(since, until), calls.c.outcome == "success").group_by(calls.c.client_key))
    return {key: int(rows or 0) for key, rows in session.execute(query)}


# --- who read the data ----------------------------------------------------------------------------------------

def reads_of_subject(session: Session, subject: str, limit: int) -> list[Mapping[str, Any]]:
    """The newest successful calls that returned or checked a record about one subject (a keyed hash)."""
    query = (select(calls.c.occurred_at, calls.c.consumer_code, calls.c.resource_code, calls.c.operation,
                    calls.c.purpose, calls.c.fields)
             .join(subject_reads, subject_reads.c.call_id == calls.c.id)
             .where(subject_reads.c.subject == subject, calls.c.outcome == "success")
             .order_by(calls.c.occurred_at.desc(), calls.c.id.desc()).limit(limit))
    return list(session.execute(query).mappings())


def consumers_of_provider(session: Session, provider_code: str, since: datetime) -> list[Mapping[str, Any]]:
    """A provider's resources' calls since a moment, per consuming department, resource and purpose."""
    query = (select(calls.c.consumer_code, calls.c.resource_code, calls.c.purpose,
                    func.count().label("calls"), func.sum(calls.c.rows).label("rows"),
                    func.sum(case((calls.c.outcome == "denied", 1), else_=0)).label("denied"),
                    func.max(calls.c.occurred_at).label("last_at"))
             .where(calls.c.provider_code == provider_code, calls.c.occurred_at >= since)
             .group_by(calls.c.consumer_code, calls.c.resource_code, calls.c.purpose)
             .order_by(func.max(calls.c.occurred_at).desc()))
    return list(session.execute(query).mappings())
