"""The recorder and the audit services on both databases."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import Table, delete, select, update

from zhengshu.core.audit import service
from zhengshu.core.audit.domain import (
    GENESIS_HEX,
    RecordFilter,
    VerificationResult,
    checkpoint_message,
    make_filter,
)
from zhengshu.core.audit.events import AuditCheckpointCreated
from zhengshu.core.audit.tables import chain_head, checkpoints, records
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.clock import DISPLAY_ZONE
from zhengshu.kernel.crypto import verify
from zhengshu.kernel.errors import IntegrityError, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

OFFICER = Actor(kind=ActorKind.USER, id="wangwu", name="王五", department_code="130300003",
                roles=frozenset({Role.DATA_OFFICER.value}), client_address="10.1.2.3")


def _rows(platform: Platform, table: Table = records) -> list:
    with platform.database.reading() as session:
        return list(session.execute(select(table).order_by(*table.primary_key.columns)))


def _verify(platform: Platform, admin: Actor) -> VerificationResult:
    return service.verify_chain(platform.uow(), admin, platform.audit_key.public_key_hex)


def test_each_event_becomes_one_chained_record(platform: Platform, admin: Actor, append) -> None:
    append(3, actor=OFFICER, note="第一条\n备注")
    rows = _rows(platform)
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == GENESIS_HEX
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    first = rows[0]
    assert (first.actor, first.actor_name, first.department_code, first.action, first.target, first.outcome,
            first.client_address) == ("user:wangwu", "王五", "130300003", "test.something_happened",
                                      "thing:0", "success", "10.1.2.3")
    assert first.details == '{"note":"第一条\\n备注","number":0}'
    assert first.occurred_at.tzinfo is not None
    head = _rows(platform, chain_head)[0]
    assert (head.seq, head.hash) == (3, rows[-1].hash)
    assert _verify(platform, admin).ok


def test_times_round_trip_through_the_database(platform: Platform, admin: Actor) -> None:
    moments = [datetime(2026, 1, 1, 8, 0, tzinfo=timezone(timedelta(hours=8))),  # no microseconds
               datetime(2026, 6, 30, 23, 59, 59, 999999, tzinfo=UTC), datetime(2026, 3, 1, 12, 0, 0, 1)]
    for moment in moments:
        with platform.uow() as uow:
            uow.emit(AuditCheckpointCreated(actor=admin, occurred_at=moment))
            uow.commit()
    assert [r.occurred_at for r in _rows(platform)] == [clock.as_utc(m) for m in moments]
    assert _verify(platform, admin).ok


def test_a_rolled_back_write_leaves_no_record_and_no_gap(platform: Platform, admin: Actor, append) -> None:
    append(1)
    with platform.uow() as uow:
        # recorded and signed, then rolled back: no commit
        uow.bus.publish(uow.session, AuditCheckpointCreated(actor=admin))
    append(1)
    assert [r.seq for r in _rows(platform)] == [1, 2]
    assert [c.seq for c in _rows(platform, checkpoints)] == [1]  # the first record's; not the rolled-back one
    assert _verify(platform, admin).ok


def test_checkpoints_are_signed_every_n_records(platform: Platform, admin: Actor, append) -> None:
    append(25)
    signed = _rows(platform, checkpoints)
    assert [c.seq for c in signed] == [1, 10, 20]
    by_seq = {r.seq: r.hash for r in _rows(platform)}
    for checkpoint in signed:
        assert checkpoint.hash == by_seq[checkpoint.seq]
        assert checkpoint.public_key == platform.audit_key.public_key_hex
        message = checkpoint_message(checkpoint.seq, checkpoint.hash, checkpoint.signed_at)
        assert verify(checkpoint.public_key, message, bytes.fromhex(checkpoint.signature))
    result = _verify(platform, admin)
    assert (result.ok, result.records_checked, result.checkpoints_checked) == (True, 25, 3)


def test_a_checkpoint_is_signed_when_time_has_passed(platform: Platform, admin: Actor, append) -> None:
    append(3)
    long_ago = datetime.now(UTC) - timedelta(seconds=platform.settings.audit_checkpoint_seconds + 1)
    with platform.database.engine.begin() as connection:
        connection.execute(update(chain_head).values(checkpoint_at=long_ago))
    append(1)
    assert [c.seq for c in _rows(platform, checkpoints)] == [1, 4]
    assert _rows(platform, chain_head)[0].checkpoint_seq == 4


def test_create_checkpoint_covers_its_own_record(platform: Platform, admin: Actor, append) -> None:
    append(2)
    signed = service.create_checkpoint(platform.uow(), admin)
    assert signed.seq == 3
    assert _rows(platform)[-1].action == "audit.checkpoint_created"
    assert _verify(platform, admin).checkpoints_checked == 2  # the first record's, and this one
    stored = _rows(platform, checkpoints)[-1]
    assert (stored.seq, stored.hash, stored.signature) == (signed.seq, signed.hash, signed.signature)


def test_appending_refuses_when_the_head_was_deleted(platform: Platform, admin: Actor, append) -> None:
    append(2)
    with platform.database.engine.begin() as connection:
        connection.execute(delete(chain_head))
    with pytest.raises(IntegrityError):
        append(1)
    result = _verify(platform, admin)
    assert (result.ok, result.reason_en) == (False, "chain head row is missing")


def test_records_are_listed_newest_first_with_filters(platform: Platform, admin: Actor, append) -> None:
    append(3, actor=OFFICER)
    append(2, target="other:{i}")
    every = service.list_records(platform.uow(), admin, RecordFilter())
    assert [r.seq for r in every.records] == [5, 4, 3, 2, 1] and every.next_before is None
    page = service.list_records(platform.uow(), admin, RecordFilter(), limit=2)
    assert ([r.seq for r in page.records], page.next_before) == ([5, 4], 4)
    older = service.list_records(platform.uow(), admin, RecordFilter(), before=page.next_before, limit=2)
    assert [r.seq for r in older.records] == [3, 2]

    def seqs(**kwargs: str) -> list[int]:
        found = service.list_records(platform.uow(), admin, make_filter(**kwargs))
        return [r.seq for r in found.records]

    assert seqs(actor="user:wangwu") == seqs(actor="wangwu") == seqs(actor="王五") == [3, 2, 1]
    assert seqs(department="130300003") == [3, 2, 1]
    assert seqs(action="test.something_happened") == seqs(action="test.*") == [5, 4, 3, 2, 1]
    assert seqs(action="test") == seqs(action="identity.*") == []
    today = datetime.now(UTC).astimezone(DISPLAY_ZONE).date().isoformat()
    assert seqs(since=today, until=today) == [5, 4, 3, 2, 1]
    assert seqs(until="2000-01-01") == []


def test_export_is_recorded_and_gives_excel_friendly_csv(platform: Platform, admin: Actor, append) -> None:
    append(2, actor=OFFICER, target="=HYPERLINK(\"http://evil\")")
    text = "".join(service.export_csv(platform.uow(), admin, make_filter(since="2026-01-01")))
    assert text.startswith("\ufeff序号,时间（北京时间）,时间（UTC）,操作人")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r[0] for r in rows[1:]] == ["1", "2", "3"]  # the export's own record is the last one
    assert rows[1][7] == "'=HYPERLINK(\"http://evil\")"  # not run as a formula by a spreadsheet
    assert rows[3][6] == "audit.exported"
    exported = _rows(platform)[-1]
    assert exported.actor == admin.label
    assert '"filters":{"since":"2025-12-31T16:00:00.000000+00:00"}' in exported.details
    assert _verify(platform, admin).ok


@pytest.mark.parametrize("call", ["list", "verify", "export", "checkpoint"])
def test_only_platform_admins_may_use_the_log(platform: Platform, call: str) -> None:
    uow, key = platform.uow(), platform.audit_key.public_key_hex
    calls = {
        "list": lambda: service.list_records(uow, OFFICER, RecordFilter()),
        "verify": lambda: service.verify_chain(uow, OFFICER, key),
        "export": lambda: service.export_csv(uow, OFFICER, RecordFilter()),
        "checkpoint": lambda: service.create_checkpoint(uow, OFFICER),
    }
    with pytest.raises(NotFound):
        calls[call]()
    assert _rows(platform) == []  # a refused export or checkpoint records nothing
