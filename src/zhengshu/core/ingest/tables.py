"""Tables of ingestion (ingest_*): the saved source of each resource (where its data comes from, how columns
map to items, the load policy), one row per load, and the correction tasks (校核纠错) sent back to providers.
Rejected rows live in a Parquet file per load under <data_dir>/ingest/rejected/."""

from sqlalchemy import JSON, Boolean, Column, Date, Index, Integer, String, Table, Text

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
    Column("provider_code", String(32), nullable=False),  # the resource's providing department
    Column("source", Text, nullable=False),  # how the source is named in messages (password masked)
    Column("policy", String(32), nullable=False),
    Column("status", String(16), nullable=False),  # queued, running, loaded, refused, failed
    Column("stage", String(16), nullable=False, server_default=""),  # 读取, 标准化, 校验, 写入 while running
    Column("progress_rows", Integer, nullable=False, server_default="0"),
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
    Index("ix_ingest_loads_provider", "provider_code", "started_at"),
)

corrections = Table(
    "ingest_corrections",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resource_code", String(64), nullable=False),
    Column("provider_code", String(32), nullable=False),  # the department that must fix it at source
    Column("origin", String(16), nullable=False),  # load (a rule its rows broke) or consumer (reported)
    Column("problem", Text, nullable=False),  # the rule's message, or what the consumer reported
    Column("rows", Integer, nullable=False, server_default="0"),  # rows of the newest load with the problem
    Column("load_id", String(64), nullable=True),  # the load that found it (newest)
    Column("record_key", String(200), nullable=True),  # a reported record's key value, as the consumer gave it
    Column("reported_by", String(200), nullable=True),  # department code of who reported it
    Column("status", String(16), nullable=False),  # open, closed
    Column("due_on", Date, nullable=False),  # working days from opening (ZHENGSHU_CORRECTION_DAYS)
    Column("opened_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("closing_note", Text, nullable=False, server_default=""),
    Index("ix_ingest_corrections_provider", "provider_code", "status"),
    Index("ix_ingest_corrections_resource", "resource_code", "status"),
)
