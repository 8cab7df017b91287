"""Tables of the sharing module (sharing_*). Names of departments, clients and entries are kept as they were
when the row was written (a request reads as it was made); codes point at their owners' tables."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    text,
)

from zhengshu.core.sharing.domain.values import OPEN
from zhengshu.kernel.database import UTCDateTime, metadata

ENTRY = "catalog_entries.code"
ORGANISATION = "identity_organisations.code"
CLIENT = "identity_api_clients.client_key"

requests = Table(  # 共享申请
    "sharing_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("resource_code", String(32), ForeignKey(ENTRY), nullable=False, index=True),
    Column("resource_name", String(200), nullable=False),
    Column("provider_code", String(32), ForeignKey(ORGANISATION), nullable=False, index=True),
    Column("provider_name", String(100), nullable=False),
    Column("consumer_code", String(32), ForeignKey(ORGANISATION), nullable=False, index=True),
    Column("consumer_name", String(100), nullable=False),
    Column("client_key", String(40), ForeignKey(CLIENT), nullable=False),
    Column("sharing_type", String(16), nullable=False),  # the entry's 共享类型 when the request was made
    Column("published", Boolean, nullable=False),  # whether the entry was published then (provider deadline)
    Column("fields", JSON, nullable=False),
    Column("row_filters", JSON, nullable=False),
    Column("row_scope", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("due_on", Date, nullable=True),  # the current stage's deadline; None when closed or not computable
    Column("refusal_reason", Text, nullable=False),
    Column("dispute_reason", Text, nullable=False),
    Column("outcome", String(16), nullable=True),
    Column("outcome_note", Text, nullable=False),
    Column("requested_by", String(120), nullable=False),
    Column("requested_by_name", String(100), nullable=False),
    Column("submitted_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# One open request per consumer system and resource: the service checks first and says why; this index
# settles two submissions racing past that check (the loser's insert fails and becomes the same Conflict).
_open = requests.c.status.in_([s.value for s in OPEN])
Index("uq_sharing_requests_open", requests.c.client_key, requests.c.resource_code, unique=True,
      sqlite_where=_open, postgresql_where=_open)

request_events = Table(  # what happened to each request, in order (the request page's history)
    "sharing_request_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", Integer, ForeignKey("sharing_requests.id"), nullable=False, index=True),
    Column("step", String(32), nullable=False),
    Column("actor", String(120), nullable=False),
    Column("actor_name", String(100), nullable=False),
    Column("department_code", String(32), nullable=True),
    Column("note", Text, nullable=False),
    Column("occurred_at", UTCDateTime, nullable=False),
)

grants = Table(  # 共享授权: what one consumer system may read of one resource
    "sharing_grants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("request_id", Integer, ForeignKey("sharing_requests.id"), nullable=True, unique=True),
    Column("resource_code", String(32), ForeignKey(ENTRY), nullable=False),
    Column("resource_name", String(200), nullable=False),
    Column("provider_code", String(32), ForeignKey(ORGANISATION), nullable=False, index=True),
    Column("provider_name", String(100), nullable=False),
    Column("consumer_code", String(32), ForeignKey(ORGANISATION), nullable=False, index=True),
    Column("consumer_name", String(100), nullable=False),
    Column("client_key", String(40), ForeignKey(CLIENT), nullable=False),
    Column("fields", JSON, nullable=False),
    Column("pseudonymous_fields", JSON, nullable=False),
    Column("row_filters", JSON, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("legal_basis", Text, nullable=False),
    Column("starts_on", Date, nullable=False),
    Column("expires_on", Date, nullable=False),
    Column("daily_quota", Integer, nullable=True),
    # released in clear although 重要 or personal (never 核心); 仅核验: verification only, no reading of records
    Column("clear_fields", JSON, nullable=False, server_default=text("'[]'")),
    Column("verify_only", Boolean, nullable=False, server_default=false()),
    Column("granted_by", String(120), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("renewals", Integer, nullable=False),
    Column("renewed_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
    Column("revoked_by", String(120), nullable=True),
    Column("revoked_reason", Text, nullable=False),
    Index("ix_sharing_grants_client_resource", "client_key", "resource_code"),
)

needs = Table(  # 数据需求 (供需对接)
    "sharing_needs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("department_code", String(32), ForeignKey(ORGANISATION), nullable=False, index=True),
    Column("department_name", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("purpose", Text, nullable=False),
    Column("status", String(16), nullable=False, index=True),
    Column("posted_by", String(120), nullable=False),
    Column("posted_by_name", String(100), nullable=False),
    Column("posted_at", UTCDateTime, nullable=False),
    Column("closed_at", UTCDateTime, nullable=True),
)

need_answers = Table(  # a provider's answer to a need: one of its catalogue entries
    "sharing_need_answers",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("need_id", Integer, ForeignKey("sharing_needs.id"), nullable=False, index=True),
    Column("resource_code", String(32), ForeignKey(ENTRY), nullable=False),
    Column("resource_name", String(200), nullable=False),
    Column("provider_code", String(32), ForeignKey(ORGANISATION), nullable=False),
    Column("provider_name", String(100), nullable=False),
    Column("note", Text, nullable=False),
    Column("answered_by", String(120), nullable=False),
    Column("answered_by_name", String(100), nullable=False),
    Column("answered_at", UTCDateTime, nullable=False),
    UniqueConstraint("need_id", "resource_code"),
)
