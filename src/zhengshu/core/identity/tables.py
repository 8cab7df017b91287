"""Tables of the identity module (identity_*)."""

from sqlalchemy import JSON, Boolean, Column, ForeignKey, Integer, String, Table

from zhengshu.kernel.database import UTCDateTime, metadata

organisations = Table(
    "identity_organisations",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("name", String(100), nullable=False),
    Column("full_name", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("parent_code", String(32), ForeignKey("identity_organisations.code"), nullable=True, index=True),
    Column("sort_order", Integer, nullable=False, default=0),
    Column("uscc", String(18), nullable=True),  # 统一社会信用代码, filled in by administrators
    Column("created_at", UTCDateTime, nullable=False),
)

users = Table(
    "identity_users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(32), nullable=False, unique=True),
    Column("display_name", String(100), nullable=False),
    Column("organisation_code", String(32), ForeignKey("identity_organisations.code"), nullable=False),
    Column("roles", JSON, nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("failed_sign_ins", Integer, nullable=False, default=0),
    Column("locked_until", UTCDateTime, nullable=True),
    Column("session_epoch", Integer, nullable=False, default=0),  # bumped to end every session of a user
    Column("last_sign_in_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

api_clients = Table(
    "identity_api_clients",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("client_key", String(40), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("organisation_code", String(32), ForeignKey("identity_organisations.code"), nullable=False),
    Column("secret_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("last_token_at", UTCDateTime, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)
