"""Tables of the audit module (audit_*). Only `recorder.py` (through `repository.py`) writes to them."""

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, Integer, String, Table, Text

from zhengshu.kernel.database import UTCDateTime, metadata

# One row per recorded event, in chain order. `seq` is the chain position: 1, 2, 3, ... without gaps.
records = Table(
    "audit_records",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("occurred_at", UTCDateTime, nullable=False),
    Column("actor", String(200), nullable=False),  # Actor.label, e.g. "user:zhangsan"
    Column("actor_name", String(200), nullable=True),
    Column("department_code", String(32), nullable=True),
    Column("action", String(100), nullable=False),  # DomainEvent.action, e.g. "identity.user_created"
    Column("target", Text, nullable=True),
    Column("outcome", String(50), nullable=True),
    Column("client_address", String(100), nullable=True),
    Column("details", Text, nullable=False),  # canonical JSON of DomainEvent.details()
    Column("prev_hash", String(64), nullable=False),  # lowercase hex of the previous record's hash
    Column("hash", String(64), nullable=False),  # lowercase hex SM3(prev_hash || canonical payload)
    # Filters read newest first (seq descending) within one actor, department or action.
    Index("ix_audit_records_actor_seq", "actor", "seq"),
    Index("ix_audit_records_department_seq", "department_code", "seq"),
    Index("ix_audit_records_action_seq", "action", "seq"),
    Index("ix_audit_records_occurred_at", "occurred_at"),
)

# Signed checkpoints: the platform's SM2 signature over (seq, hash at seq, signed_at).
checkpoints = Table(
    "audit_checkpoints",
    metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("hash", String(64), nullable=False),
    Column("signed_at", UTCDateTime, nullable=False),
    Column("signature", String(128), nullable=False),  # raw r || s, hex
    Column("public_key", String(130), nullable=False),  # 04 || x || y, hex
)

# The head of the chain, one row (id = 1): the lock every append takes first, the last seq and hash, and
# where and when the last checkpoint was signed.
chain_head = Table(
    "audit_chain_head",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("seq", BigInteger, nullable=False),
    Column("hash", String(64), nullable=False),
    Column("checkpoint_seq", BigInteger, nullable=False),
    Column("checkpoint_at", UTCDateTime, nullable=False),
    CheckConstraint("id = 1", name="single_row"),
)
