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
_MOVE_HEAD = update(chain_head).where(_HEAD).values(hash=bindparam("new_hash"))
_MOVE_HEAD_TO_CHECKPOINT = _MOVE_HEAD.values(checkpoint_seq=bindparam("cp_seq"), checkpoint_at=bindparam("cp_at"))
_INSERT_RECORD = insert(records).values({c.name: bindparam(f"r_{c.name}") for c in records.columns})
_INSERT_CHECKPOINT = insert(checkpoints)
# On PostgreSQL the record's INSERT rides along with the head's UPDATE (a data-modifying WITH): one round
# trip fewer on every audited write.
_PG_APPEND = {cp: move.add_cte(_INSERT_RECORD.cte("new_record"))
              for cp, move in ((False, _MOVE_HEAD), (True, _MOVE_HEAD_TO_CHECKPOINT))}


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
    created = connection.execute(genesis.on_conflict_do_nothing().returning(chain_head.c.id)).first()
    if created and connection.execute(select(records.c.seq).limit(1)).first() is not None:
        # Records exist but their head was gone: someone deleted it. Refuse to write a second chain.
        raise IntegrityError("审计链头记录缺失而审计记录仍在，链可能被篡改；"
                             "请运行 zhengshu audit verify 检查。")


def append(connection: Connection, seq: int, entry: Entry, prev_hash: str, hash_hex: str,
           checkpoint: Checkpoint | None = None) -> None:
    """Store the record at `seq` (and the checkpoint signed at it, if any) and move the head onto it."""
    params = {
        "r_seq": seq, "r_occurred_at": entry.occurred_at, "r_actor": entry.actor,
        "r_actor_name": entry.actor_name, "r_department_code": entry.department_code, "r_action": entry.action,
        "r_target": entry.target, "r_outcome": entry.outcome, "r_client_address": entry.client_address,
        "r_details": entry.details, "r_prev_hash": prev_hash, "r_hash": hash_hex, "new_hash": hash_hex,
    }
    if checkpoint is not None:
        connection.execute(_INSERT_CHECKPOINT, checkpoint._asdict())
        params.update(cp_seq=checkpoint.seq, cp_at=checkpoint.signed_at)
    if connection.dialect.name == "postgresql":
        connection.execute(_PG_APPEND[checkpoint is not None], params)
    else:
        connection.execute(_INSERT_RECORD, params)
        connection.execute(_MOVE_HEAD_TO_CHECKPOINT if checkpoint else _MOVE_HEAD, params)
