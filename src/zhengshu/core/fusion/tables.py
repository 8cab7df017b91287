"""Tables of fusion: one row per fusion run of a registry (what it read, linked and published, or why it
failed), and the review decisions (复核) people made on doubtful clusters, applied by every later run."""

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text

from zhengshu.kernel.database import UTCDateTime, metadata

runs = Table(
    "fusion_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("registry", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # running, succeeded, failed
    Column("mode", String(16), nullable=False),  # full (no previous run) or incremental
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("started_by", String(200), nullable=False),
    # per source: resource code, dataset, version, rows, read (or reused), links per kind
    Column("sources", JSON, nullable=False),
    # figures: records, rows, relinked rows, added, removed, touched, new ids, conflicts; outputs: dataset → version
    Column("counts", JSON, nullable=False),
    Column("error", Text, nullable=False, server_default=""),
    Index("ix_fusion_runs_registry", "registry", "started_at"),
)

decisions = Table(
    "fusion_decisions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("registry", String(32), nullable=False),
    Column("record_id", String(32), nullable=False),  # the cluster's id when it was decided
    Column("fingerprint", String(32), nullable=False),  # the cluster's rows when it was decided
    Column("decision", String(16), nullable=False),  # confirm, split
    Column("rows", JSON, nullable=False),  # split: the rows (source, hash, dup) that are another one
    Column("note", Text, nullable=False, server_default=""),
    Column("decided_by", String(200), nullable=False),
    Column("decided_at", UTCDateTime, nullable=False),
    Index("ix_fusion_decisions_registry", "registry", "record_id"),
)
