"""Tables of the catalogue (catalog_*)."""

from sqlalchemy import (
    JSON,
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

entries = Table(  # 目录条目: the current version of each entry
    "catalog_entries",
    metadata,
    Column("code", String(32), primary_key=True),  # 信息资源代码 = 分类码-顺序码
    Column("classification_code", String(16), nullable=False),  # 分类码
    Column("sequence", Integer, nullable=False),  # 顺序码
    Column("directory", String(16), nullable=False, index=True),
    Column("section", String(2), nullable=False),
    Column("heading", String(3), nullable=False),
    Column("subheading", String(6), nullable=False),
    Column("name", String(200), nullable=False),
    Column("provider_code", String(32), ForeignKey("identity_organisations.code"), nullable=False, index=True),
    Column("provider_name", String(100), nullable=False),
    Column("provider_credit_code", String(18), nullable=False),
    Column("abstract", Text, nullable=False),
    Column("format_type", String(24), nullable=True),
    Column("format_detail", String(100), nullable=False),
    Column("sharing_type", String(16), nullable=True, index=True),
    Column("sharing_condition", Text, nullable=False),
    Column("sharing_basis", Text, nullable=False),
    Column("sharing_mode", String(16), nullable=True),
    Column("opening_type", String(16), nullable=True),
    Column("opening_condition", Text, nullable=False),
    Column("update_cycle", String(16), nullable=True),
    Column("update_cycle_note", String(100), nullable=False),
    Column("owner", String(100), nullable=False),
    Column("contact", String(100), nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("mount_kind", String(16), nullable=True),
    Column("mount_reference", String(500), nullable=True),
    Column("mount_columns", JSON, nullable=True),
    Column("published_on", Date, nullable=True),
    Column("retired_reason", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("classification_code", "sequence"),
)

items = Table(  # 信息项 of the current version, in their order
    "catalog_items",
    metadata,
    Column("entry_code", String(32), ForeignKey("catalog_entries.code"), primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("data_type", String(1), nullable=False),
    Column("length", Integer, nullable=True),
    Column("level", String(16), nullable=False),
    Column("personal_info", String(16), nullable=False),
    Column("is_key", Boolean, nullable=False),
    UniqueConstraint("entry_code", "name"),
)

related = Table(  # 关联资源代码 (not necessarily in this catalogue: a province's code may be named)
    "catalog_related",
    metadata,
    Column("entry_code", String(32), ForeignKey("catalog_entries.code"), primary_key=True),
    Column("related_code", String(32), primary_key=True),
    Column("position", Integer, nullable=False),
)

versions = Table(  # every published version, as it was published (版本历史)
    "catalog_entry_versions",
    metadata,
    Column("entry_code", String(32), ForeignKey("catalog_entries.code"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("published_on", Date, nullable=False),
    Column("published_at", UTCDateTime, nullable=False),
    Column("published_by", String(100), nullable=False),
    Column("snapshot", JSON, nullable=False),
)

history = Table(  # the lifecycle as the entry page shows it: who did what, when, at which version
    "catalog_entry_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entry_code", String(32), ForeignKey("catalog_entries.code"), nullable=False, index=True),
    Column("action", String(16), nullable=False),
    Column("version", Integer, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("actor_name", String(100), nullable=False),
    Column("note", Text, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
)

sequences = Table(  # the last 顺序码 given under each 分类码 (never reused)
    "catalog_code_sequences",
    metadata,
    Column("classification_code", String(16), primary_key=True),
    Column("last_sequence", Integer, nullable=False),
)
