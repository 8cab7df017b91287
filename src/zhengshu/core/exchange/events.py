"""Events of the exchange (past tense; the audit log records each one). Every call leaves exactly one event,
refusals included (`outcome` "denied", with the rule in `reason`); filter values are not recorded, only which
fields were filtered and how, and the subjects read are named by keyed hashes (see `masking.subject_hash`)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class ExchangeCall(DomainEvent):
    """What every exchange call records (the actor is the client system, in its department)."""

    resource_code: str
    grant_id: int | None = None
    consumer_code: str | None = None  # the consuming department (the grant's)
    end_user: str = ""  # the person in the consumer's system on whose behalf it asked (X-End-User)
    purpose: str = ""
    fields: tuple[str, ...] = ()  # the fields returned or checked
    filters: tuple[str, ...] = ()  # "field op", values left out
    rows: int = 0  # records returned (a verification: records compared)
    latency_ms: int = 0
    subjects: tuple[str, ...] = ()  # keyed hashes of the key values of the records returned or compared
    reason: str = ""  # why a call was refused


@dataclass(frozen=True, kw_only=True)
class ExchangeRecordsRead(ExchangeCall):
    action = "exchange.records_read"
    treatments: tuple[str, ...] = ()  # "field:masked" for every field returned


@dataclass(frozen=True, kw_only=True)
class ExchangeVerified(ExchangeCall):
    action = "exchange.verified"
    matched: bool = False


@dataclass(frozen=True, kw_only=True)
class SubjectReadsViewed(DomainEvent):
    """A citizen looked up who read records about them (谁查询了我的数据)."""

    action = "exchange.subject_reads_viewed"
    calls: int
