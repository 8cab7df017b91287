"""Read-side SQL of the audit module: the chain for verification, pages of records, export batches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import ColumnElement, Connection, literal_column, or_, select
from sqlalchemy.orm import Session

from zhengshu.core.audit.domain import AuditRecord, Checkpoint, Head, RecordFilter
from zhengshu.core.audit.tables import chain_head, checkpoints, records
from zhengshu.kernel.actor import ActorKind

_TEXT_COLUMNS = (
    records.c.actor, records.c.actor_name, records.c.department_code, records.c.action, records.c.target,
    records.c.outcome, records.c.client_address, records.c.details, records.c.prev_hash, records.c.hash,
)
_RECORD_COLUMNS = (records.c.seq, records.c.occurred_at, *_TEXT_COLUMNS)

# For verification the database itself writes occurred_at as `domain.canonical_time` text (UTC, ISO 8601,
# microseconds, "+00:00"), which saves parsing a datetime per record in Python. SQLite keeps SQLAlchemy's
# fixed "YYYY-MM-DD HH:MM:SS.ffffff" UTC text; PostgreSQL formats the instant in UTC, whatever the session's
# time zone. A stored value in any other shape gives other text, so verification reports it as changed.
_CANONICAL_TIME = {
    "sqlite": literal_column("substr(occurred_at, 1, 10) || 'T' || substr(occurred_at, 12) || '+00:00'"),
    "postgresql": literal_column(
        """to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
    ),
}
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


@contextmanager
def chain_batches(connection: Connection, batch_size: int) -> Iterator[Iterator[list[tuple]]]:
    """Every record in seq order as batches of plain tuples (seq, occurred_at text, the eight text fields,
    prev_hash, hash), in the connection's transaction, so memory stays flat however long the chain.

    Verification reads every record, so this one query reads the driver's cursor directly (SQLAlchemy's
    result rows cost about as much as hashing a record does): on PostgreSQL a named, server-side cursor; on
    SQLite a cursor that steps through the table as it is fetched."""
    dialect = connection.dialect
    query = select(records.c.seq, _CANONICAL_TIME[dialect.name], *_TEXT_COLUMNS).order_by(records.c.seq)
    sql = str(query.compile(dialect=dialect))
    driver = connection.connection.driver_connection
    cursor = driver.cursor(name="zhengshu_audit_chain") if dialect.name == "postgresql" else driver.cursor()
    try:
        cursor.execute(sql)
        yield iter(lambda: cursor.fetchmany(batch_size), [])
    finally:
        cursor.close()


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
    query = select(*_RECORD_COLUMNS).where(*conditions).order_by(records.c.seq.desc()).limit(limit)
    return [AuditRecord(*row) for row in session.execute(query)]


def records_after(session: Session, record_filter: RecordFilter, *, after: int, up_to: int,
                  limit: int) -> list[AuditRecord]:
    """Up to `limit` matching records with after < seq <= up_to, oldest first (one export batch)."""
    conditions = [*_conditions(record_filter), records.c.seq > after, records.c.seq <= up_to]
    query = select(*_RECORD_COLUMNS).where(*conditions).order_by(records.c.seq).limit(limit)
    return [AuditRecord(*row) for row in session.execute(query)]
