"""The recorder (记录器): the only writer of the audit chain. Subscribed to every DomainEvent, it appends one
record per event inside the event's own transaction, so the record commits or rolls back with the change.

Appending takes the chain head's lock first, so several server workers and a command line beside them
append one unbroken chain: on PostgreSQL the head row is locked by `UPDATE ... RETURNING` until commit;
on SQLite the unit of work's `BEGIN IMMEDIATE` already holds the database's write lock.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhengshu.core.audit import repository
from zhengshu.core.audit.domain import Checkpoint, checkpoint_due, checkpoint_message, entry_for, link_hash
from zhengshu.core.audit.events import AuditCheckpointCreated
from zhengshu.kernel import clock
from zhengshu.kernel.crypto import SM2KeyPair, sign
from zhengshu.kernel.events import DomainEvent

# Where the recorder leaves what it did in the session, for the audit services that need it back.
LAST_SEQ = "zhengshu.audit.last_seq"
LAST_CHECKPOINT = "zhengshu.audit.last_checkpoint"


class Recorder:
    """Appends records to the chain and signs a checkpoint every `every` records or `seconds` seconds."""

    def __init__(self, key: SM2KeyPair, *, every: int, seconds: int) -> None:
        self.key = key
        self.every = every
        self.seconds = seconds

    def __call__(self, session: Session, event: DomainEvent) -> None:
        entry = entry_for(event)  # everything that needs no lock is done before taking it
        connection = session.connection()
        now = clock.now()
        head = repository.advance_head(connection, now)
        seq = head.seq
        digest = link_hash(bytes.fromhex(head.hash), seq, entry).hex()
        checkpoint = None
        if isinstance(event, AuditCheckpointCreated) or checkpoint_due(
            seq, head.checkpoint_seq, head.checkpoint_at, now, self.every, self.seconds
        ):
            checkpoint = session.info[LAST_CHECKPOINT] = self.sign(seq, digest)
        repository.append(connection, seq, entry, head.hash, digest, checkpoint)
        session.info[LAST_SEQ] = seq

    def sign(self, seq: int, hash_hex: str) -> Checkpoint:
        signed_at = clock.now()
        signature = sign(self.key.private_key_hex, checkpoint_message(seq, hash_hex, signed_at))
        return Checkpoint(seq=seq, hash=hash_hex, signed_at=signed_at, signature=signature.hex(),
                          public_key=self.key.public_key_hex)
