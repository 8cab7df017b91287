"""The audit chain's rules, pure Python: what a record holds, how it is hashed, when a checkpoint is due,
what a checkpoint signs, and how a stream of records is verified (审计链校验).

Record hash (one link of the chain):

    hash(seq) = SM3(prev_hash || payload(seq)),   prev_hash of seq 1 = 32 zero bytes

`payload` is the 8-byte big-endian `seq` followed by nine fields in a fixed order, each as a 4-byte
big-endian length and its UTF-8 bytes (a missing value is the length 0xFFFFFFFF and no bytes):
occurred_at (ISO 8601 UTC with microseconds, `2026-11-26T02:03:04.000005+00:00`), actor, actor_name,
department_code, action, target, outcome, client_address, details (canonical JSON).
A checkpoint signs `zhengshu-audit-checkpoint|<seq>|<hash hex>|<signed_at ISO>` (UTF-8) with SM2.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from typing import Any, NamedTuple

from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.crypto import chain_hash, verify
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.events import DomainEvent

GENESIS_HASH = bytes(32)
GENESIS_HEX = GENESIS_HASH.hex()
CHECKPOINT_PREFIX = "zhengshu-audit-checkpoint"
_NONE = b"\xff\xff\xff\xff"


def canonical_time(moment: datetime) -> str:
    """The form a timestamp takes in hashes and signatures: UTC, ISO 8601, always with microseconds."""
    return clock.as_utc(moment).isoformat(timespec="microseconds")


def json_safe(value: Any) -> Any:
    """`value` as plain JSON types, deterministically: enums by value, datetimes as canonical UTC ISO,
    sets as lists sorted by their JSON text, other unknown objects by `str`."""
    if value is None or (isinstance(value, bool | int | str) and not isinstance(value, Enum)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Enum):
        return json_safe(value.value)
    if isinstance(value, datetime):
        return canonical_time(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Actor):
        return value.label
    if isinstance(value, bytes | bytearray):
        return bytes(value).hex()
    if isinstance(value, Mapping):
        return {str(json_safe(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, set | frozenset):
        items = [json_safe(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json_safe({f.name: getattr(value, f.name) for f in dataclasses.fields(value)})
    return str(value)  # Decimal, UUID, Path, ...


def details_json(details: Mapping[str, Any]) -> str:
    """Canonical JSON of an event's details: sorted keys, no spaces, Chinese kept as is."""
    return json.dumps(json_safe(details), sort_keys=True, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True, slots=True)
class Entry:
    """What one record says about one event, before it gets its place in the chain."""

    occurred_at: datetime
    actor: str
    actor_name: str | None
    department_code: str | None
    action: str
    target: str | None
    outcome: str | None
    client_address: str | None
    details: str


def entry_for(event: DomainEvent) -> Entry:
    actor = event.actor
    return Entry(
        occurred_at=clock.as_utc(event.occurred_at),
        actor=actor.label,
        actor_name=actor.name,
        department_code=actor.department_code,
        action=event.action,
        target=event.target,
        outcome=event.outcome,
        client_address=actor.client_address,
        details=details_json(event.details()),
    )


def canonical_payload(seq: int, *fields: str | None) -> bytes:
    """The bytes hashed for a record: seq, then the nine fields in table order, the time first as its
    `canonical_time` text. Verification runs this for every record, so it is written for speed."""
    parts = [seq.to_bytes(8, "big")]
    append = parts.append
    for value in fields:
        if value is None:
            append(_NONE)
        else:
            data = value.encode()
            append(len(data).to_bytes(4, "big"))
            append(data)
    return b"".join(parts)


def link_hash(prev_hash: bytes, seq: int, entry: Entry) -> bytes:
    """The hash of the record at `seq` holding `entry`, after the record whose hash is `prev_hash`."""
    payload = canonical_payload(
        seq, canonical_time(entry.occurred_at), entry.actor, entry.actor_name, entry.department_code,
        entry.action, entry.target, entry.outcome, entry.client_address, entry.details,
    )
    return chain_hash(prev_hash, payload)


def checkpoint_message(seq: int, hash_hex: str, signed_at: datetime) -> bytes:
    """What the platform's SM2 key signs for a checkpoint."""
    return f"{CHECKPOINT_PREFIX}|{seq}|{hash_hex}|{canonical_time(signed_at)}".encode()


def checkpoint_due(seq: int, checkpoint_seq: int, checkpoint_at: datetime, now: datetime,
                   every: int, seconds: int) -> bool:
    """A checkpoint is due at the chain's first record (a chain starts signed), at every multiple of `every`,
    and once `seconds` have passed since the last one."""
    return (checkpoint_seq == 0 or seq // every > checkpoint_seq // every
            or now - checkpoint_at >= timedelta(seconds=seconds))


# ---------------------------------------------------------------- verification (校验)


class Head(NamedTuple):
    seq: int
    hash: str
    checkpoint_seq: int
    checkpoint_at: datetime


class Checkpoint(NamedTuple):
    """A signed checkpoint (检查点): the chain's hash at `seq`, signed at `signed_at`."""

    seq: int
    hash: str
    signed_at: datetime
    signature: str
    public_key: str


@dataclass(frozen=True)
class VerificationResult:
    """What `verify` found: all well, or the first bad record and why (in Chinese and English)."""

    ok: bool
    records_checked: int
    checkpoints_checked: int
    first_bad_seq: int | None = None
    reason: str = ""
    reason_en: str = ""
    last_seq: int = 0

    @property
    def summary(self) -> str:
        if self.ok:
            records, checkpoints = self.records_checked, self.checkpoints_checked
            return (f"审计链完整：已校验 {records} 条记录、{checkpoints} 个签名检查点"
                    f" (chain intact: {records} records, {checkpoints} checkpoints)")
        where = f"第 {self.first_bad_seq} 条记录" if self.first_bad_seq is not None else "审计链"
        return f"审计链异常：{where}：{self.reason} ({self.reason_en})"


class ChainVerifier:
    """Checks records fed in seq order against the chain rules and the signed checkpoints.

    `feed(rows)` takes rows (seq, occurred_at as its `canonical_time` text, the eight text fields, prev_hash,
    hash) and returns False at the first bad record; `result(head)` then says what was found.
    Besides the checkpoints (one per `audit_checkpoint_every` records) it keeps only the last link.
    """

    def __init__(self, checkpoints: Iterable[Checkpoint], trusted_keys: Iterable[str]) -> None:
        self._checkpoints = {c.seq: c for c in checkpoints}
        self._trusted = {k.lower() for k in trusted_keys}
        self._expected = 1
        self._prev = GENESIS_HASH
        self._prev_hex = GENESIS_HEX
        self.records_checked = 0
        self.checkpoints_checked = 0
        self._bad: tuple[int | None, str, str] | None = None

    def _fail(self, seq: int | None, reason: str, reason_en: str) -> bool:
        self._bad = (seq, reason, reason_en)
        return False

    def feed(self, rows: Iterable[tuple]) -> bool:
        """Check the next rows; False at the first bad one. The loop is kept tight: it runs per record."""
        expected, prev, prev_hex, checked = self._expected, self._prev, self._prev_hex, self.records_checked
        checkpoints = self._checkpoints
        ok = True
        for seq, occurred_at, actor, name, department, action, target, outcome, address, details, \
                row_prev, row_hash in rows:
            if seq != expected or row_prev != prev_hex:
                ok = self._out_of_place(seq, expected)
                break
            payload = canonical_payload(seq, occurred_at, actor, name, department, action, target, outcome,
                                        address, details)
            digest = chain_hash(prev, payload)
            if digest.hex() != row_hash:
                ok = self._fail(seq, "记录内容与哈希不符（记录被修改或调换）",
                                "record content does not match its hash (record changed or reordered)")
                break
            if seq in checkpoints and not self._check_checkpoint(checkpoints[seq], row_hash):
                ok = False
                break
            expected, prev, prev_hex, checked = seq + 1, digest, row_hash, checked + 1
        self._expected, self._prev, self._prev_hex, self.records_checked = expected, prev, prev_hex, checked
        return ok

    def _out_of_place(self, seq: int, expected: int) -> bool:
        if seq < expected:
            return self._fail(seq, f"序号 {seq} 重复或次序颠倒（记录被插入）",
                              f"seq {seq} repeats or is out of order (record inserted)")
        if seq > expected:
            missing = f"{expected}" if seq == expected + 1 else f"{expected}–{seq - 1}"
            return self._fail(expected, f"记录 {missing} 缺失（记录被删除）",
                              f"record {missing} missing (record deleted)")
        return self._fail(seq, "前一哈希与上一条记录不符（记录被插入、删除或调换）",
                          "prev_hash does not match the previous record (inserted, deleted or reordered)")

    def _check_checkpoint(self, checkpoint: Checkpoint, record_hash: str) -> bool:
        seq = checkpoint.seq
        if checkpoint.hash != record_hash:
            return self._fail(seq, f"签名检查点 {seq} 的哈希与记录不符（检查点之前的记录被改写）",
                              f"checkpoint {seq} hash differs from the record (history rewritten)")
        if checkpoint.public_key.lower() not in self._trusted:
            return self._fail(seq, f"签名检查点 {seq} 不是由平台密钥签名的",
                              f"checkpoint {seq} is not signed by the platform key")
        message = checkpoint_message(seq, checkpoint.hash, checkpoint.signed_at)
        try:
            signature = bytes.fromhex(checkpoint.signature)
        except ValueError:
            signature = b""
        if not verify(checkpoint.public_key, message, signature):
            return self._fail(seq, f"签名检查点 {seq} 的签名无效", f"checkpoint {seq} signature is invalid")
        self.checkpoints_checked += 1
        return True

    def result(self, head: Head | None) -> VerificationResult:
        """The verdict once every record was fed (or `feed` returned False), given the chain head."""
        if self._bad is None:
            self._check_end(head)
        last = self._expected - 1
        if self._bad is not None:
            seq, reason, reason_en = self._bad
            return VerificationResult(False, self.records_checked, self.checkpoints_checked, seq, reason,
                                      reason_en, last)
        return VerificationResult(True, self.records_checked, self.checkpoints_checked, last_seq=last)

    def _check_end(self, head: Head | None) -> None:
        last = self._expected - 1
        beyond = [seq for seq in self._checkpoints if seq > last]
        if beyond:
            self._fail(last + 1, f"签名检查点 {min(beyond)} 指向不存在的记录（末尾记录被截断）",
                       f"checkpoint {min(beyond)} refers to a missing record (tail truncated)")
        elif head is None:
            if last > 0:
                self._fail(None, "链头缺失（audit_chain_head 被删除）", "chain head row is missing")
        elif head.seq > last or head.checkpoint_seq > last:
            self._fail(last + 1, f"链头记到第 {head.seq} 条，记录只到第 {last} 条（末尾记录被截断）",
                       f"head is at seq {head.seq} but records end at {last} (tail truncated)")
        elif head.seq < last:
            self._fail(head.seq + 1, f"第 {head.seq} 条之后的记录不在链头中（记录被追加插入）",
                       f"records after seq {head.seq} are not in the head (records inserted)")
        elif head.hash != self._prev_hex:
            self._fail(last, "最后一条记录的哈希与链头不符", "last record hash differs from the head")
        elif head.checkpoint_seq and head.checkpoint_seq not in self._checkpoints:
            missing = head.checkpoint_seq
            self._fail(missing, f"链头记录的签名检查点 {missing} 不见了（检查点被删除）",
                       f"checkpoint {missing} named by the head is missing (checkpoint deleted)")


# ---------------------------------------------------------------- reading (查询)


@dataclass(frozen=True)
class AuditRecord:
    """One record as readers see it."""

    seq: int
    occurred_at: datetime
    actor: str
    actor_name: str | None
    department_code: str | None
    action: str
    target: str | None
    outcome: str | None
    client_address: str | None
    details: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class RecordFilter:
    """Which records to read: by actor (label, id or name), department, action (`x.*` for a prefix) and a
    half-open time range [since, until) in UTC."""

    actor: str | None = None
    department: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def describe(self) -> dict[str, str]:
        """The filter as plain text, for the export event."""
        values = dataclasses.asdict(self)
        return {k: (canonical_time(v) if isinstance(v, datetime) else v) for k, v in values.items() if v}


@dataclass(frozen=True)
class RecordPage:
    records: list[AuditRecord]
    next_before: int | None  # pass as `before` for the next (older) page; None on the last page


_LOCAL_FORMATS = (("%Y-%m-%d %H:%M:%S", timedelta(seconds=1)), ("%Y-%m-%d %H:%M", timedelta(minutes=1)),
                  ("%Y-%m-%d", timedelta(days=1)))


def parse_local_time(text: str | None, *, field: str, end: bool = False) -> datetime | None:
    """A time a user typed, in Asia/Shanghai, as aware UTC. As the end of a range it is inclusive of the
    whole day, minute or second given (`2026-11-26` ends before 2026-11-27 00:00)."""
    if text is None or not text.strip():
        return None
    value = text.strip().replace("T", " ")
    for pattern, step in _LOCAL_FORMATS:
        try:
            moment = datetime.strptime(value, pattern)
        except ValueError:
            continue
        if end:
            moment += step
        return moment.replace(tzinfo=clock.DISPLAY_ZONE).astimezone(UTC)
    raise InvalidInput(f"时间格式应为 YYYY-MM-DD 或 YYYY-MM-DD HH:MM：{text}", field=field)


def make_filter(actor: str | None = None, department: str | None = None, action: str | None = None,
                since: str | None = None, until: str | None = None) -> RecordFilter:
    """A filter from what a user typed; empty values mean no condition."""
    record_filter = RecordFilter(
        actor=(actor or "").strip() or None,
        department=(department or "").strip() or None,
        action=(action or "").strip() or None,
        since=parse_local_time(since, field="from"),
        until=parse_local_time(until, field="to", end=True),
    )
    if record_filter.since and record_filter.until and record_filter.since >= record_filter.until:
        raise InvalidInput("结束时间必须晚于开始时间", field="to")
    return record_filter
