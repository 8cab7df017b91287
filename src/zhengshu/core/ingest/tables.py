"""Tables of ingestion (ingest_*): the saved source of each resource (where its data comes from, how columns
map to items, the load policy) and one row per load. Rejected rows live in a Parquet file per load under
<data_dir>/ingest/rejected/, named by the load's row."""

from sqlalchemy import JSON, Boolean, Column, Index, Integer, String, Table, Text

from zhengshu.kernel.database import UTCDateTime, metadata

sources = Table(
    "ingest_sources",
    metadata,
    Column("resource_code", String(64), primary_key=True),  # the catalogue entry (no foreign key: catalog's)
    Column("source", JSON, nullable=False),  # SourceSpec as data
    Column("mapping", JSON, nullable=False),  # source column → catalogue item
    Column("policy", String(32), nullable=False),
    Column("saved_at", UTCDateTime, nullable=False),
    Column("saved_by", String(200), nullable=False),
)

loads = Table(
    "ingest_loads",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("load_id", String(64), nullable=False, unique=True),
    Column("resource_code", String(64), nullable=False),
    Column("source", Text, nullable=False),  # how the source is named in messages (password masked)
    Column("policy", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # running, loaded, refused, failed
    Column("rows_read", Integer, nullable=False, server_default="0"),
    Column("rows_loaded", Integer, nullable=False, server_default="0"),
    Column("rows_rejected", Integer, nullable=False, server_default="0"),
    Column("dataset_code", String(64), nullable=True),
    Column("version", Integer, nullable=True),
    Column("reused", Boolean, nullable=False, server_default="0"),  # the same content as an existing version
    Column("rejected_path", String(300), nullable=True),  # relative to the data directory
    Column("message", Text, nullable=False, server_default=""),
    Column("discoveries", JSON, nullable=True),  # classification proposals from the values (敏感数据识别)
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime, nullable=True),
    Column("started_by", String(200), nullable=False),
    Index("ix_ingest_loads_resource", "resource_code", "started_at"),
)
