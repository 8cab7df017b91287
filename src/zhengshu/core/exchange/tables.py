"""Tables of the exchange (exchange_*): metering per grant and day (daily quotas), one row per call for
monitoring and the providers' view, and the subjects each call returned (for "who read my data"). The audit
trail, not these tables, is the record of who read what; these are its indexes for people to look things up."""

from sqlalchemy import BigInteger, Column, Date, ForeignKey, Index, Integer, String, Table, Text

from zhengshu.kernel.database import UTCDateTime, metadata

usage = Table(
    "exchange_usage",
    metadata,
    Column("grant_id", Integer, primary_key=True),  # sharing's grant id (no foreign key: grants are sharing's)
    Column("day", Date, primary_key=True),  # the day in Asia/Shanghai
    Column("calls", Integer, nullable=False),
    Column("rows", BigInteger, nullable=False),  # records returned (a verification counts one)
)

calls = Table(
    "exchange_calls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("occurred_at", UTCDateTime, nullable=False, index=True),
    Column("client_key", String(40), nullable=False),
    Column("consumer_code", String(32), nullable=True),
    Column("resource_code", String(64), nullable=False),
    Column("grant_id", Integer, nullable=True),
    Column("operation", String(16), nullable=False),  # read, verify
    Column("rows", Integer, nullable=False),
    Column("latency_ms", Integer, nullable=False),
    Column("outcome", String(16), nullable=False),  # success, denied, failure
    Column("reason", String(64), nullable=False),  # the refusal's rule, "" on success
    Column("provider_code", String(32), nullable=True),  # the resource's providing department
    Column("purpose", String(200), nullable=False, server_default=""),
    Column("fields", Text, nullable=False, server_default=""),  # the fields returned or checked, "、"-joined
    Index("ix_exchange_calls_resource", "resource_code", "occurred_at"),
    Index("ix_exchange_calls_client", "client_key", "occurred_at"),
    Index("ix_exchange_calls_provider", "provider_code", "occurred_at"),
    Index("ix_exchange_calls_grant", "grant_id", "occurred_at"),
)

subject_reads = Table(
    "exchange_subject_reads",
    metadata,
    Column("subject", String(32), primary_key=True),  # kernel.subjects.subject_hash of a key value returned
    Column("call_id", Integer, ForeignKey("exchange_calls.id", ondelete="CASCADE"), primary_key=True),
)
