"""Audit use cases: read, export and verify the log, and sign a checkpoint on request. Each checks the
actor's permission at `core.identity.access`; none writes the audit tables except through an event, which
the recorder appends."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from zhengshu.core.audit import queries
from zhengshu.core.audit.domain import (
    AuditRecord,
    ChainVerifier,
    Checkpoint,
    RecordFilter,
    RecordPage,
    VerificationResult,
    canonical_time,
)
from zhengshu.core.audit.events import AuditCheckpointCreated, AuditExported
from zhengshu.core.audit.permissions import AUDIT_CHECKPOINT, AUDIT_READ
from zhengshu.core.audit.recorder import LAST_CHECKPOINT, LAST_SEQ
from zhengshu.core.identity.access import require
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork

MAX_PAGE_SIZE = 200
EXPORT_BATCH = 2000
VERIFY_BATCH = 5000
CHAIN_TARGET = "audit:chain"


def list_records(uow: UnitOfWork, actor: Actor, record_filter: RecordFilter, *, before: int | None = None,
                 limit: int = 50) -> RecordPage:
    """One page of matching records, newest first; `next_before` fetches the next (older) page."""
    require(actor, AUDIT_READ)
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput(f"每页条数须在 1–{MAX_PAGE_SIZE} 之间", field="limit")
    with uow.reading() as session:
        rows = queries.newest_records(session, record_filter, before=before, limit=limit + 1)
    more = len(rows) > limit
    rows = rows[:limit]
    return RecordPage(records=rows, next_before=rows[-1].seq if more else None)


def verify_chain(uow: UnitOfWork, actor: Actor, trusted_key: str, *,
                 batch_size: int = VERIFY_BATCH) -> VerificationResult:
    """Check the whole chain and every signed checkpoint against the platform's public key `trusted_key`,
    in one consistent snapshot, and report the first bad record."""
    require(actor, AUDIT_READ)
    with uow.reading() as session:
        connection = queries.snapshot(session)
        head = queries.head(connection)
        verifier = ChainVerifier(queries.all_checkpoints(connection), [trusted_key])
        with queries.chain_batches(connection, batch_size) as batches:
            for batch in batches:
                if not verifier.feed(batch):
                    break
        return verifier.result(head)


def create_checkpoint(uow: UnitOfWork, actor: Actor) -> Checkpoint:
    """Sign a checkpoint now. It covers the record of this very request (the recorder signs at that seq)."""
    require(actor, AUDIT_CHECKPOINT)
    with uow:
        uow.emit(AuditCheckpointCreated(actor=actor, target=CHAIN_TARGET))
        uow.commit()
        return uow.session.info[LAST_CHECKPOINT]


CSV_HEADER = ("序号", "时间（北京时间）", "时间（UTC）", "操作人", "姓名", "部门代码", "操作", "对象", "结果",
              "来源地址", "详情", "前一哈希", "哈希")


def export_csv(uow: UnitOfWork, actor: Actor, record_filter: RecordFilter) -> Iterator[str]:
    """Record the export, then stream the matching records as CSV text (UTF-8 BOM first, so Excel reads the
    Chinese), oldest first, up to and including the export's own record."""
    require(actor, AUDIT_READ)
    with uow:
        uow.emit(AuditExported(actor=actor, target="audit:records", format="csv",
                               filters=record_filter.describe()))
        uow.commit()
        up_to = uow.session.info[LAST_SEQ]
    return _csv_chunks(uow, record_filter, up_to)


def _csv_chunks(uow: UnitOfWork, record_filter: RecordFilter, up_to: int) -> Iterator[str]:
    yield "\ufeff" + _csv_text([CSV_HEADER])
    after = 0
    while True:
        with uow.reading() as session:  # a short read per batch: no transaction held open while streaming
            batch = queries.records_after(session, record_filter, after=after, up_to=up_to,
                                          limit=EXPORT_BATCH)
        if not batch:
            return
        yield _csv_text(_csv_row(record) for record in batch)
        after = batch[-1].seq


def _csv_row(record: AuditRecord) -> tuple[str, ...]:
    text = (record.actor, record.actor_name, record.department_code, record.action, record.target,
            record.outcome, record.client_address, record.details)
    return (str(record.seq), clock.for_display(record.occurred_at), canonical_time(record.occurred_at),
            *(_cell(value) for value in text), record.prev_hash, record.hash)


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str | None) -> str:
    """A text cell that a spreadsheet will not run as a formula (CSV injection): such cells get a `'`."""
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def _csv_text(rows: Iterable[Iterable[str]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()
