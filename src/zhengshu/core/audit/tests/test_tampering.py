"""Tampering by hand in SQL, as someone with write access to the database would, and `verify` naming the
first bad record each time. The chain holds 25 records with signed checkpoints at 1, 10 and 20."""

from __future__ import annotations

from dataclasses import asdict, fields, replace

import pytest
from sqlalchemy import Row, select, update

from zhengshu.core.audit import service
from zhengshu.core.audit.domain import Entry, VerificationResult, checkpoint_message, link_hash
from zhengshu.core.audit.tables import chain_head, checkpoints, records
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.crypto import SM2KeyPair, sign
from zhengshu.modules import Platform


@pytest.fixture
def chain(platform: Platform, append) -> Platform:
    append(25)
    return platform


def _verify(platform: Platform, admin: Actor) -> VerificationResult:
    return service.verify_chain(platform.uow(), admin, platform.audit_key.public_key_hex)


def _bad(platform: Platform, admin: Actor) -> int | None:
    result = _verify(platform, admin)
    assert not result.ok
    return result.first_bad_seq


def test_the_untouched_chain_verifies(chain: Platform, admin: Actor) -> None:
    result = _verify(chain, admin)
    assert (result.ok, result.records_checked, result.checkpoints_checked) == (True, 25, 3)


# ------------------------------------------------------------------ 1. a record changed (any field)

CHANGES = {
    "occurred_at": "occurred_at = (SELECT occurred_at FROM audit_records WHERE seq = 8)",
    "actor": "actor = 'user:someone_else'",
    "actor_name": "actor_name = '李四'",
    "department_code": "department_code = NULL",
    "action": "action = 'identity.user_signed_out'",
    "target": "target = 'user:victim'",
    "outcome": "outcome = 'failure'",
    "client_address": "client_address = '6.6.6.6'",
    "details": "details = '{}'",
    "prev_hash": "prev_hash = hash",
    "hash": "hash = prev_hash",
}


@pytest.mark.parametrize("column", CHANGES)
def test_a_changed_record_is_caught(chain: Platform, admin: Actor, sql, column: str) -> None:
    sql(f"UPDATE audit_records SET {CHANGES[column]} WHERE seq = 7")
    assert _bad(chain, admin) == 7


# ------------------------------------------------------------------ 2. a record deleted


@pytest.mark.parametrize("seq", [1, 7, 10, 25])
def test_a_deleted_record_is_caught(chain: Platform, admin: Actor, sql, seq: int) -> None:
    sql("DELETE FROM audit_records WHERE seq = :seq", seq=seq)
    result = _verify(chain, admin)
    assert (result.ok, result.first_bad_seq) == (False, seq)
    assert "缺失" in result.reason or "截断" in result.reason


# ------------------------------------------------------------------ 3. a record inserted


def _entry(row: Row) -> Entry:
    return Entry(row.occurred_at, row.actor, row.actor_name, row.department_code, row.action, row.target,
                 row.outcome, row.client_address, row.details)


def _forged_row(platform: Platform, seq: int, prev_hash: str) -> dict:
    """A record whose hash is right for its place: an attacker who knows the format can compute it."""
    with platform.database.reading() as session:
        first = session.execute(select(records).where(records.c.seq == 1)).one()
    entry = Entry(first.occurred_at, "user:ghost", "幽灵", None, "identity.user_created", "user:planted",
                  "success", "1.2.3.4", "{}")
    digest = link_hash(bytes.fromhex(prev_hash), seq, entry).hex()
    return {"seq": seq, **asdict(entry), "prev_hash": prev_hash, "hash": digest}


def test_a_record_inserted_in_the_middle_is_caught(chain: Platform, admin: Actor, sql) -> None:
    hash_6 = sql("SELECT hash FROM audit_records WHERE seq = 6")[0][0]
    sql("UPDATE audit_records SET seq = -seq WHERE seq >= 7")  # make room: 7.. become 8..
    sql("UPDATE audit_records SET seq = 1 - seq WHERE seq < 0")
    with chain.database.engine.begin() as connection:
        connection.execute(records.insert(), _forged_row(chain, 7, hash_6))
    assert _bad(chain, admin) == 8  # the planted record links to 6, but the next one does not link to it


def test_a_record_appended_behind_the_head_is_caught(chain: Platform, admin: Actor, sql) -> None:
    hash_25 = sql("SELECT hash FROM audit_records WHERE seq = 25")[0][0]
    with chain.database.engine.begin() as connection:
        connection.execute(records.insert(), _forged_row(chain, 26, hash_25))
    result = _verify(chain, admin)
    assert (result.first_bad_seq, result.reason_en) == (26, "records after seq 25 are not in the head "
                                                            "(records inserted)")


# ------------------------------------------------------------------ 4. records reordered


def test_two_records_with_seq_swapped_are_caught(chain: Platform, admin: Actor, sql) -> None:
    sql("UPDATE audit_records SET seq = -1 WHERE seq = 5")
    sql("UPDATE audit_records SET seq = 5 WHERE seq = 6")
    sql("UPDATE audit_records SET seq = 6 WHERE seq = -1")
    assert _bad(chain, admin) == 5


def test_two_records_with_contents_swapped_are_caught(chain: Platform, admin: Actor, sql) -> None:
    columns = [f.name for f in fields(Entry)]  # everything but seq and the hashes
    with chain.database.engine.begin() as connection:
        five, six = connection.execute(select(records).where(records.c.seq.in_([5, 6])).order_by("seq"))
        for seq, source in ((5, six), (6, five)):
            values = {c: getattr(source, c) for c in columns}
            connection.execute(update(records).where(records.c.seq == seq).values(values))
    assert _bad(chain, admin) == 5


# ------------------------------------------------------------------ 5. the tail truncated past a checkpoint


def test_truncation_past_a_checkpoint_is_caught_even_with_the_head_mended(chain: Platform, admin: Actor,
                                                                          sql) -> None:
    sql("DELETE FROM audit_records WHERE seq > 15")
    sql("UPDATE audit_chain_head SET seq = 15, checkpoint_seq = 10, "
        "hash = (SELECT hash FROM audit_records WHERE seq = 15)")
    result = _verify(chain, admin)
    assert (result.first_bad_seq, result.reason_en) == (16, "checkpoint 20 refers to a missing record "
                                                            "(tail truncated)")


def test_truncation_is_caught_by_the_head(chain: Platform, admin: Actor, sql) -> None:
    sql("DELETE FROM audit_records WHERE seq > 22")
    assert _bad(chain, admin) == 23


def test_a_deleted_checkpoint_is_caught_by_the_head(chain: Platform, admin: Actor, sql) -> None:
    sql("DELETE FROM audit_checkpoints WHERE seq = 20")
    assert _bad(chain, admin) == 20


# ------------------------------------------------------------------ history rewritten with new hashes


def _rewrite_from(platform: Platform, seq: int) -> str:
    """Change record `seq` and recompute every later hash and the head: all an attacker without the
    platform's signing key can do. Returns the new hash at checkpoint 10."""
    with platform.database.engine.begin() as connection:
        rows = list(connection.execute(select(records).order_by(records.c.seq)))
        prev = bytes.fromhex(rows[seq - 2].hash)
        new_hashes = {}
        for row in rows[seq - 1:]:
            entry = _entry(row)
            if row.seq == seq:
                entry = replace(entry, target="user:victim")
            digest = link_hash(prev, row.seq, entry)
            connection.execute(update(records).where(records.c.seq == row.seq).values(
                target=entry.target, prev_hash=prev.hex(), hash=digest.hex()))
            new_hashes[row.seq] = digest.hex()
            prev = digest
        connection.execute(update(chain_head).values(hash=prev.hex()))
    return new_hashes[10]


def test_rewritten_history_is_caught_at_the_next_checkpoint(chain: Platform, admin: Actor) -> None:
    _rewrite_from(chain, 7)
    result = _verify(chain, admin)
    assert (result.first_bad_seq, result.reason_en) == (10, "checkpoint 10 hash differs from the record "
                                                            "(history rewritten)")


def test_a_checkpoint_cannot_be_forged_without_the_platform_key(chain: Platform, admin: Actor) -> None:
    new_hash = _rewrite_from(chain, 7)
    with chain.database.engine.begin() as connection:
        connection.execute(update(checkpoints).where(checkpoints.c.seq == 10).values(hash=new_hash))
    assert "signature is invalid" in _verify(chain, admin).reason_en

    stranger = SM2KeyPair.generate()
    with chain.database.engine.begin() as connection:
        at = connection.execute(select(checkpoints.c.signed_at).where(checkpoints.c.seq == 10)).scalar_one()
        signature = sign(stranger.private_key_hex, checkpoint_message(10, new_hash, at)).hex()
        connection.execute(update(checkpoints).where(checkpoints.c.seq == 10).values(
            signature=signature, public_key=stranger.public_key_hex))
    result = _verify(chain, admin)
    assert (result.first_bad_seq, result.reason_en) == (10, "checkpoint 10 is not signed by the platform key")
