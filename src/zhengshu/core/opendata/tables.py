"""Tables of open data (opendata_*): openings, developers and their keys, applications for 有条件开放
datasets, and usage counted per day, dataset, developer and kind. The data itself stays in the dataset store."""

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from zhengshu.kernel.database import UTCDateTime, metadata

openings = Table(
    "opendata_openings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),  # the stable URL: /open/datasets/<code>
    Column("entry_code", String(64), nullable=False, index=True),  # the catalogue entry opened
    Column("source_dataset", String(64), nullable=False),  # the dataset the entry is mounted on
    Column("provider_code", String(32), nullable=False, index=True),
    Column("provider_name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),  # whole / view
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("theme", String(32), nullable=False, index=True),
    Column("licence", String(32), nullable=False),
    Column("open_type", String(16), nullable=False),  # unconditional / conditional (from the catalogue)
    Column("open_condition", String(5000), nullable=False),  # the catalogue's 开放条件 (有条件开放)
    Column("format", String(24), nullable=False),  # the catalogue entry's format type, its Chinese label (facet)
    Column("update_cycle", String(16), nullable=False),  # the catalogue entry's update cycle, its Chinese label (facet)
    Column("fields", JSON, nullable=False),  # whole: the opened fields; view: the source fields it reads
    Column("view", JSON, nullable=True),  # view: {"group_by", "generalise", "measures"}
    Column("status", String(16), nullable=False, index=True),
    Column("gate_report", JSON, nullable=False),  # the last verdict of the privacy gate
    Column("checked_version", Integer, nullable=True),  # the source version the gate last passed
    Column("served_dataset", String(64), nullable=True),  # whole: the source; view: its derived dataset
    Column("served_version", Integer, nullable=True),  # the version of served_dataset the portal serves
    Column("row_count", BigInteger, nullable=True),
    Column("columns", JSON, nullable=True),  # [{"name", "type"}] of what is served
    Column("note", String(2000), nullable=False, default=""),  # the decision's or the withdrawal's reason
    Column("proposed_by", String(200), nullable=False),
    Column("decided_by", String(200), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("opened_at", UTCDateTime, nullable=True),
    Column("updated_at", UTCDateTime, nullable=False),  # the last time what is served changed
)

history = Table(  # 更新记录: what the portal served, version by version
    "opendata_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("opening_id", Integer, ForeignKey("opendata_openings.id"), nullable=False, index=True),
    Column("action", String(32), nullable=False),  # proposed, refused, approved, rejected, refreshed, withdrawn
    Column("source_version", Integer, nullable=True),
    Column("row_count", BigInteger, nullable=True),
    Column("note", String(2000), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
)

developers = Table(
    "opendata_developers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("email", String(200), nullable=False, unique=True),
    Column("organisation", String(200), nullable=False),
    Column("key_prefix", String(16), nullable=False, unique=True),  # shown to the developer, finds the row
    Column("key_hash", String(64), nullable=False),  # SM3 of the whole key; the key itself is never stored
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

applications = Table(  # 有条件开放的使用申请
    "opendata_applications",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("opening_id", Integer, ForeignKey("opendata_openings.id"), nullable=False, index=True),
    Column("developer_id", Integer, ForeignKey("opendata_developers.id"), nullable=False, index=True),
    Column("purpose", String(2000), nullable=False),
    Column("status", String(16), nullable=False),  # pending / approved / rejected
    Column("note", String(2000), nullable=False),
    Column("reviewed_by", String(200), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reviewed_at", UTCDateTime, nullable=True),
)

usage = Table(  # 使用统计: one counter per city day, dataset, developer ("" for anonymous) and kind
    "opendata_usage",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("day", Date, nullable=False),
    Column("code", String(64), nullable=False),
    Column("developer", String(16), nullable=False),  # key prefix, or "" for anonymous use
    Column("kind", String(16), nullable=False),  # api / download / view
    Column("count", BigInteger, nullable=False),
    UniqueConstraint("day", "code", "developer", "kind"),
)
