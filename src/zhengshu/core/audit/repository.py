"""Write-side SQL of the audit chain. Only the recorder calls these, inside the event's own transaction."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from zhengshu.core.audit.domain import GENESIS_HEX, Checkpoint, Entry, Head
from zhengshu.core.audit.tables import chain_head, checkpoints, records
from zhengshu.kernel.errors import IntegrityError

_HEAD = chain_head.c.id == 1

# Taking the head's row lock is the first thing an append does: it serialises every writer of the chain
# (a row lock on PostgreSQL; on SQLite the write transaction already holds the database's write lock).
_ADVANCE = (
    update(chain_head)
    .where(_HEAD)
    .values(seq=chain_head.c.seq + 1)
    .returning(chain_head.c.seq, chain_head.c.hash, chain_head.c.checkpoint_seq, chain_head.c.checkpoint_at)
)
_SET_HASH = update(chain_head).where(_HEAD).values(hash=bindparam("new_hash"))
_SET_HASH_AND_CHECKPOINT = (
    update(chain_head)
    .where(_HEAD)
    .values(hash=bindparam("new_hash"), checkpoint_seq=bindparam("cp_seq"), checkpoint_at=bindparam("cp_at"))
)
_INSERT_RECORD = insert(records)
_INSERT_CHECKPOINT = insert(checkpoints)


def advance_head(connection: Connection, now: datetime) -> Head:
    """Lock the chain head, move it one place on, and return it (its `seq` is the new record's place;
    its `hash` still the previous record's). Creates the head on the very first append."""
    row = connection.execute(_ADVANCE).first()
    if row is None:
        _create_head(connection, now)
        row = connection.execute(_ADVANCE).one()
    return Head(*row)


def _create_head(connection: Connection, now: datetime) -> None:
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    genesis = dialect.insert(chain_head).values(id=1, seq=0, hash=GENESIS_HEX, checkpoint_seq=0,
                                                checkpoint_at=now)
    created = connection.execute(genesis.on_conflict_do_nothing()).rowcount == 1
    if created and connection.execute(select(records.c.seq).limit(1)).first() is not None:
        # Records exist but their head was gone: someone deleted it. Refuse to write a second chain.
        raise IntegrityError("审计链头记录缺失而审计记录仍在，链可能被篡改；"
                             "请运行 zhengshu audit verify 检查。")


def insert_record(connection: Connection, seq: int, entry: Entry, prev_hash: str, hash_hex: str) -> None:
    connection.execute(_INSERT_RECORD, {
        "seq": seq,
        "occurred_at": entry.occurred_at,
        "actor": entry.actor,
        "actor_name": entry.actor_name,
        "department_code": entry.department_code,
        "action": entry.action,
        "target": entry.target,
        "outcome": entry.outcome,
        "client_address": entry.client_address,
        "details": entry.details,
        "prev_hash": prev_hash,
        "hash": hash_hex,
    })


def set_head_hash(connection: Connection, hash_hex: str) -> None:
    connection.execute(_SET_HASH, {"new_hash": hash_hex})


def insert_checkpoint(connection: Connection, checkpoint: Checkpoint) -> None:
    """Store a signed checkpoint and note it in the head (whose hash is the checkpoint's)."""
    connection.execute(_INSERT_CHECKPOINT, checkpoint._asdict())
    connection.execute(_SET_HASH_AND_CHECKPOINT,
                       {"new_hash": checkpoint.hash, "cp_seq": checkpoint.seq, "cp_at": checkpoint.signed_at})
