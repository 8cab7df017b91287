"""Tables of the exchange (exchange_*): metering per grant and day (daily quotas), and one row per call for
monitoring. The audit trail, not these tables, is the record of who read what."""

from sqlalchemy import BigInteger, Column, Date, Index, Integer, String, Table

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
    Index("ix_exchange_calls_resource", "resource_code", "occurred_at"),
    Index("ix_exchange_calls_client", "client_key", "occurred_at"),
)
