"""Tables of the dataset store (datasets_*): the metadata of datasets and their versions. The rows of a
version live in Parquet files under the data directory (see `store.py`), never in these tables."""

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Table, UniqueConstraint

from zhengshu.kernel.database import UTCDateTime, metadata

datasets = Table(
    "datasets_datasets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("code", String(64), nullable=False, unique=True),  # stable for ever: URLs, folders, grants
    Column("name", String(200), nullable=False),
    Column("owner_code", String(32), ForeignKey("identity_organisations.code"), nullable=False, index=True),
    Column("current_version", Integer, nullable=True),  # the published version number; None until one is
    Column("created_at", UTCDateTime, nullable=False),
)

versions = Table(
    "datasets_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dataset_id", Integer, ForeignKey("datasets_datasets.id"), nullable=False),
    Column("version", Integer, nullable=False),  # 1, 2, 3 ... per dataset
    Column("status", String(16), nullable=False),  # writing / ready / failed
    Column("row_count", BigInteger, nullable=False),
    Column("columns", JSON, nullable=False),  # [{"name": ..., "type": ...}], the hidden _row not included
    Column("content_hash", String(64), nullable=False),  # SM3 of the version's Parquet file, hex
    Column("path", String(300), nullable=False),  # relative to the data directory: datasets/<code>/v<N>
    Column("failure", String(500), nullable=True),  # why writing failed
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(200), nullable=False),  # the actor's label, e.g. user:zhangsan
    UniqueConstraint("dataset_id", "version"),
    Index("ix_datasets_versions_content_hash", "dataset_id", "content_hash"),
)
