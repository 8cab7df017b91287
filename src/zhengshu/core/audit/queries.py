"""Read-side SQL of the audit module: the chain for verification, pages of records, export batches."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import ColumnElement, Connection, or_, select
from sqlalchemy.orm import Session

from zhengshu.core.audit.domain import AuditRecord, Checkpoint, Head, RecordFilter
from zhengshu.core.audit.tables import chain_head, checkpoints, records
from zhengshu.kernel.actor import ActorKind

_CHAIN_COLUMNS = (
    records.c.seq, records.c.occurred_at, records.c.actor, records.c.actor_name, records.c.department_code,
    records.c.action, records.c.target, records.c.outcome, records.c.client_address, records.c.details,
    records.c.prev_hash, records.c.hash,
)
_ALL_RECORDS = select(*_CHAIN_COLUMNS).order_by(records.c.seq)
_HEAD = select(chain_head.c.seq, chain_head.c.hash, chain_head.c.checkpoint_seq, chain_head.c.checkpoint_at)
_CHECKPOINTS = select(checkpoints.c.seq, checkpoints.c.hash, checkpoints.c.signed_at, checkpoints.c.signature,
                      checkpoints.c.public_key)


def snapshot(session: Session) -> Connection:
    """The session's connection, reading one consistent snapshot of the chain for the whole transaction
    (PostgreSQL: REPEATABLE READ; SQLite: a read transaction always is one)."""
    if session.get_bind().dialect.name == "postgresql":
        return session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    return session.connection()


def head(connection: Connection) -> Head | None:
    row = connection.execute(_HEAD).first()
    return Head(*row) if row else None


def all_checkpoints(connection: Connection) -> list[Checkpoint]:
    return [Checkpoint(*row) for row in connection.execute(_CHECKPOINTS.order_by(checkpoints.c.seq))]


def latest_checkpoint(connection: Connection) -> Checkpoint | None:
    row = connection.execute(_CHECKPOINTS.order_by(checkpoints.c.seq.desc()).limit(1)).first()
    return Checkpoint(*row) if row else None


def chain_rows(connection: Connection, batch_size: int) -> Iterator[tuple]:
    """Every record in seq order as plain rows (seq, occurred_at, ..., prev_hash, hash), streamed with a
    server-side cursor in batches so memory stays flat however long the chain is."""
    result = connection.execution_options(yield_per=batch_size).execute(_ALL_RECORDS)
    for partition in result.partitions():
        yield from partition


def _conditions(record_filter: RecordFilter) -> list[ColumnElement[bool]]:
    c = records.c
    conditions: list[ColumnElement[bool]] = []
    if record_filter.actor:
        who = record_filter.actor
        labels = [who] if ":" in who else [f"{kind.value}:{who}" for kind in ActorKind]
        conditions.append(or_(c.actor.in_(labels), c.actor_name == who))
    if record_filter.department:
        conditions.append(c.department_code == record_filter.department)
    if record_filter.action:
        action = record_filter.action
        if action.endswith("*"):
            conditions.append(c.action.startswith(action.rstrip("*"), autoescape=True))
        else:
            conditions.append(c.action == action)
    if record_filter.since:
        conditions.append(c.occurred_at >= record_filter.since)
    if record_filter.until:
        conditions.append(c.occurred_at < record_filter.until)
    return conditions


def newest_records(session: Session, record_filter: RecordFilter, *, before: int | None,
                   limit: int) -> list[AuditRecord]:
    """Up to `limit` matching records with seq below `before`, newest first."""
    conditions = _conditions(record_filter)
    if before is not None:
        conditions.append(records.c.seq < before)
    query = select(*_CHAIN_COLUMNS).where(*conditions).order_by(records.c.seq.desc()).limit(limit)
    return [AuditRecord(*row) for row in session.execute(query)]


def records_after(session: Session, record_filter: RecordFilter, *, after: int, up_to: int,
                  limit: int) -> list[AuditRecord]:
    """Up to `limit` matching records with after < seq <= up_to, oldest first (one export batch)."""
    conditions = [*_conditions(record_filter), records.c.seq > after, records.c.seq <= up_to]
    query = select(*_CHAIN_COLUMNS).where(*conditions).order_by(records.c.seq).limit(limit)
    return [AuditRecord(*row) for row in session.execute(query)]


def last_seq(session: Session) -> int:
    row = session.execute(select(chain_head.c.seq)).first()
    return row[0] if row else 0
