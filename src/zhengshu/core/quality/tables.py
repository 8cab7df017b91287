"""Tables of data quality (quality_*): rule sets by resource and version, and the quality result of each load
with its counts per rule and sample bad rows. The samples hold source values (possibly personal data) for the
providing department to fix; they are read only through this module's services."""

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from zhengshu.kernel.database import UTCDateTime, metadata

rule_sets = Table(
    "quality_rule_sets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resource_code", String(64), nullable=False),  # the catalogue entry's code
    Column("version", Integer, nullable=False),  # 1, 2, 3 … per resource; the newest is in force
    Column("document", JSON, nullable=False),  # the rule set as its JSON document (standardisers and rules)
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(200), nullable=False),
    UniqueConstraint("resource_code", "version"),
)

load_results = Table(
    "quality_load_results",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resource_code", String(64), nullable=False),
    Column("load_id", String(64), nullable=False),  # given by the caller (the ingest pipeline's load)
    # the catalogue entry's provider when the load was recorded (the ranking groups by it; None: recorded
    # before quality_0002, resolved through the catalogue when read)
    Column("provider_code", String(64), nullable=True),
    Column("rule_set_version", Integer, nullable=True),  # None: the suggested rules were used
    Column("rows", BigInteger, nullable=False),
    Column("rejected", BigInteger, nullable=False),
    Column("scores", JSON, nullable=False),  # {dimension: 0–100 or null}
    Column("rule_counts", JSON, nullable=False),  # [{rule_id, kind, dimension, severity, fields, checked, failed}]
    Column("skipped", JSON, nullable=False),  # {rule_id: why}
    Column("evaluated_at", UTCDateTime, nullable=False),
    Column("recorded_by", String(200), nullable=False),
    UniqueConstraint("resource_code", "load_id"),
    Index("ix_quality_load_results_resource", "resource_code", "evaluated_at"),
)

bad_rows = Table(
    "quality_bad_rows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("result_id", Integer, ForeignKey("quality_load_results.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("rule_id", String(64), nullable=False),
    Column("row", BigInteger, nullable=True),  # the source row number (None: a resource-level rule)
    Column("field", String(400), nullable=False),
    Column("value", String(500), nullable=True),
    Column("message", String(200), nullable=False),
)
