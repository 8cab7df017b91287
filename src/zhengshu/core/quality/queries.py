"""Read-side SQL of data quality."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from zhengshu.core.quality.tables import bad_rows, load_results, rule_sets


def latest_rule_set(session: Session, resource_code: str) -> dict[str, Any] | None:
    query = (select(rule_sets).where(rule_sets.c.resource_code == resource_code)
             .order_by(rule_sets.c.version.desc()).limit(1))
    row = session.execute(query).mappings().first()
    return dict(row) if row else None


def load_result(session: Session, resource_code: str, load_id: str) -> dict[str, Any] | None:
    query = select(load_results).where(load_results.c.resource_code == resource_code,
                                       load_results.c.load_id == load_id)
    row = session.execute(query).mappings().first()
    return dict(row) if row else None


def bad_rows_of(session: Session, result_id: int) -> list[dict[str, Any]]:
    query = select(bad_rows).where(bad_rows.c.result_id == result_id).order_by(bad_rows.c.id)
    return [dict(r) for r in session.execute(query).mappings()]


def load_results_of(session: Session, resource_code: str, limit: int = 100) -> list[dict[str, Any]]:
    """The resource's load results, newest first."""
    query = (select(load_results).where(load_results.c.resource_code == resource_code)
             .order_by(load_results.c.evaluated_at.desc(), load_results.c.id.desc()).limit(limit))
    return [dict(r) for r in session.execute(query).mappings()]


def last_evaluated_at(session: Session, resource_code: str) -> datetime | None:
    rows = load_results_of(session, resource_code, limit=1)
    return rows[0]["evaluated_at"] if rows else None


def latest_results(session: Session, provider_code: str | None = None) -> list[dict[str, Any]]:
    """Each resource's latest load result (by evaluation time, then id), optionally of one provider's (with the
    results whose provider was not kept)."""
    newest = func.row_number().over(partition_by=load_results.c.resource_code,
                                    order_by=(load_results.c.evaluated_at.desc(), load_results.c.id.desc()))
    ranked = select(load_results.c.resource_code, load_results.c.provider_code, load_results.c.load_id,
                    load_results.c.rows, load_results.c.rejected, load_results.c.scores,
                    load_results.c.rule_set_version, load_results.c.evaluated_at,
                    newest.label("newest")).subquery()
    query = select(ranked).where(ranked.c.newest == 1).order_by(ranked.c.resource_code)
    if provider_code is not None:
        query = query.where(or_(ranked.c.provider_code == provider_code, ranked.c.provider_code.is_(None)))
    return [dict(r) for r in session.execute(query).mappings()]
