"""The chain's pure rules: canonical forms, hashing as documented, checkpoint timing, verification logic."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum

import pytest
from pysmx.SM3 import digest as independent_sm3

from zhengshu.core.audit.domain import (
    GENESIS_HASH,
    GENESIS_HEX,
    ChainVerifier,
    Checkpoint,
    Entry,
    Head,
    canonical_payload,
    canonical_time,
    checkpoint_due,
    checkpoint_message,
    details_json,
    entry_for,
    json_safe,
    link_hash,
    make_filter,
    parse_local_time,
)
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.crypto import SM2KeyPair, sign
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.events import DomainEvent

T0 = datetime(2026, 11, 26, 2, 3, 4, 5, tzinfo=UTC)
KEY = SM2KeyPair.generate()


class Colour(StrEnum):
    RED = "red"


def test_canonical_time_is_utc_iso_with_microseconds_always() -> None:
    assert canonical_time(T0) == "2026-11-26T02:03:04.000005+00:00"
    naive = datetime(2026, 11, 26, 2, 3, 4)  # taken as UTC
    assert canonical_time(naive) == "2026-11-26T02:03:04.000000+00:00"
    beijing = T0.astimezone(timezone(timedelta(hours=8)))
    assert canonical_time(beijing) == canonical_time(T0)


def test_details_are_canonical_json() -> None:
    details = {"b": {3, 1, 2}, "a": T0, "c": Colour.RED, "d": ("x", b"\x01"), "名称": "公安局",
               "e": date(2026, 1, 2)}
    text = details_json(details)
    assert text == ('{"a":"2026-11-26T02:03:04.000005+00:00","b":[1,2,3],"c":"red","d":["x","01"],'
                    '"e":"2026-01-02","名称":"公安局"}')
    assert details_json(dict(reversed(list(details.items())))) == text  # key order does not matter
    assert json_safe({frozenset({"b", "a"}): float("nan"), 1: Decimal("1.10"), "o": object}) == {
        "['a', 'b']": "nan", "1": "1.10", "o": "<class 'object'>"}


def test_entry_takes_actor_and_event_fields() -> None:
    @dataclass(frozen=True, kw_only=True)
    class Renamed(DomainEvent):
        action = "test.renamed"
        old: str

    actor = Actor(kind=ActorKind.USER, id="zhangsan", name="张三", department_code="130300003",
                  client_address="10.0.0.8")
    entry = entry_for(Renamed(actor=actor, target="user:lisi", old="李四", occurred_at=T0))
    assert entry == Entry(T0, "user:zhangsan", "张三", "130300003", "test.renamed", "user:lisi", "success",
                          "10.0.0.8", '{"old":"李四"}')


def _independent_hash(prev: bytes, seq: int, fields: list[str | None]) -> bytes:
    """The record hash written from the documented format alone, with another SM3 implementation."""
    payload = struct.pack(">Q", seq)
    for value in fields:
        data = None if value is None else value.encode("utf-8")
        payload += b"\xff\xff\xff\xff" if data is None else struct.pack(">I", len(data)) + data
    return bytes(independent_sm3(prev + payload))


def test_link_hash_follows_the_documented_format() -> None:
    entry = Entry(T0, "user:zhangsan", "张三", None, "test.done", "", "success", None, "{}")
    fields = ["2026-11-26T02:03:04.000005+00:00", "user:zhangsan", "张三", None, "test.done", "", "success",
              None, "{}"]
    assert link_hash(GENESIS_HASH, 1, entry) == _independent_hash(bytes(32), 1, fields)
    assert GENESIS_HEX == "0" * 64


def test_payload_separates_fields_unambiguously() -> None:
    when = canonical_time(T0)
    one = canonical_payload(1, when, "ab", "c", None, "", "", "", "", "")
    two = canonical_payload(1, when, "a", "bc", None, "", "", "", "", "")
    empty_vs_none = canonical_payload(1, when, "ab", "c", "", "", "", "", "", "")
    assert len({one, two, empty_vs_none}) == 3


def test_checkpoint_is_due_first_then_by_count_or_by_time() -> None:
    assert checkpoint_due(1, 0, T0, T0, every=10, seconds=300)  # the chain starts signed
    assert checkpoint_due(10, 1, T0, T0, every=10, seconds=300)
    assert not checkpoint_due(9, 1, T0, T0 + timedelta(seconds=299), every=10, seconds=300)
    assert checkpoint_due(9, 1, T0, T0 + timedelta(seconds=300), every=10, seconds=300)
    assert not checkpoint_due(19, 13, T0, T0, every=10, seconds=300)  # a timed one does not shift the count
    assert checkpoint_due(20, 13, T0, T0, every=10, seconds=300)


def test_local_times_are_asia_shanghai_and_end_is_inclusive() -> None:
    assert parse_local_time("2026-11-26", field="from") == datetime(2026, 11, 25, 16, tzinfo=UTC)
    assert parse_local_time("2026-11-26", field="to", end=True) == datetime(2026, 11, 26, 16, tzinfo=UTC)
    assert parse_local_time("2026-11-26T08:30", field="to", end=True) == datetime(2026, 11, 26, 0, 31,
                                                                                  tzinfo=UTC)
    assert parse_local_time(" ", field="from") is None
    with pytest.raises(InvalidInput) as error:
        parse_local_time("26/11/2026", field="from")
    assert error.value.field == "from"
    with pytest.raises(InvalidInput):
        make_filter(since="2026-11-27", until="2026-11-26")
    assert make_filter(actor=" 张三 ", action="").actor == "张三"


# ------------------------------------------------------------------ verification on rows built in memory


def _chain(count: int) -> list[tuple]:
    rows, prev = [], GENESIS_HASH
    for seq in range(1, count + 1):
        entry = Entry(T0 + timedelta(seconds=seq), "user:zhangsan", "张三", "130300003", "test.done",
                      f"thing:{seq}", "success", "10.0.0.8", f'{{"n":{seq}}}')
        digest = link_hash(prev, seq, entry)
        rows.append((seq, canonical_time(entry.occurred_at), entry.actor, entry.actor_name,
                     entry.department_code, entry.action, entry.target, entry.outcome, entry.client_address,
                     entry.details, prev.hex(), digest.hex()))
        prev = digest
    return rows


def _checkpoint(rows: list[tuple], seq: int, key: SM2KeyPair = KEY) -> Checkpoint:
    hash_hex = rows[seq - 1][11]
    signature = sign(key.private_key_hex, checkpoint_message(seq, hash_hex, T0)).hex()
    return Checkpoint(seq, hash_hex, T0, signature, key.public_key_hex)


def _verify(rows: list[tuple], checkpoints: list[Checkpoint] = (), head: Head | None = None):
    verifier = ChainVerifier(checkpoints, [KEY.public_key_hex])
    if verifier.feed(rows[:3]):  # in two batches, as the service feeds it
        verifier.feed(rows[3:])
    if head is None and rows:
        head = Head(rows[-1][0], rows[-1][11], 0, T0)
    return verifier.result(head)


def test_an_intact_chain_verifies() -> None:
    rows = _chain(12)
    result = _verify(rows, [_checkpoint(rows, 5), _checkpoint(rows, 10)])
    assert (result.ok, result.records_checked, result.checkpoints_checked) == (True, 12, 2)
    assert result.last_seq == 12
    assert _verify([], head=None).ok


@pytest.mark.parametrize("column", range(1, 12))
def test_any_changed_column_is_caught_at_its_record(column: int) -> None:
    rows = _chain(8)
    row = list(rows[4])
    if column == 1:
        row[column] = canonical_time(T0)  # another time
    else:
        row[column] = "0" * 64 if column >= 10 else "x"
    rows[4] = tuple(row)
    result = _verify(rows)
    assert (result.ok, result.first_bad_seq, result.records_checked) == (False, 5, 4)


def test_gap_duplicate_and_reorder_are_caught() -> None:
    rows = _chain(8)
    assert _verify(rows[:3] + rows[4:]).first_bad_seq == 4
    assert _verify(rows[1:]).first_bad_seq == 1
    assert _verify([*rows[:4], rows[3], *rows[4:]]).first_bad_seq == 4
    swapped = [*rows[:2], (3, *rows[3][1:]), (4, *rows[2][1:]), *rows[4:]]
    assert _verify(swapped).first_bad_seq == 3


def test_checkpoint_faults_are_caught() -> None:
    rows = _chain(8)
    good = _checkpoint(rows, 4)
    assert _verify(rows, [good._replace(hash="0" * 64)]).first_bad_seq == 4
    assert "签名无效" in _verify(rows, [good._replace(signature="00" * 64)]).reason
    assert "签名无效" in _verify(rows, [good._replace(signature="zz")]).reason
    stranger = SM2KeyPair.generate()
    forged = _verify(rows, [_checkpoint(rows, 4, stranger)])
    assert (forged.first_bad_seq, forged.reason_en) == (4, "checkpoint 4 is not signed by the platform key")


def test_truncation_is_caught_by_checkpoint_or_head() -> None:
    rows = _chain(8)
    beyond = _verify(rows[:5], [_checkpoint(rows, 4), _checkpoint(rows, 7)], Head(5, rows[4][11], 7, T0))
    assert (beyond.first_bad_seq, "tail truncated" in beyond.reason_en) == (6, True)
    assert _verify(rows[:5], head=Head(8, rows[7][11], 0, T0)).first_bad_seq == 6
    assert _verify(rows, head=Head(6, rows[5][11], 0, T0)).first_bad_seq == 7  # rows beyond the head
    assert _verify(rows, head=Head(8, "0" * 64, 0, T0)).first_bad_seq == 8
    missing_head = ChainVerifier([], [KEY.public_key_hex])
    assert missing_head.feed(rows)
    assert missing_head.result(None).reason_en == "chain head row is missing"
    assert not _verify([], head=Head(3, rows[2][11], 0, T0)).ok
