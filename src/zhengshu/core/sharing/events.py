"""Events of the sharing module (past tense; the audit log records each one). `target` is
`sharing_request:<id>`, `sharing_grant:<id>` or `sharing_need:<id>`."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class RequestSubmitted(DomainEvent):
    action = "sharing.request_submitted"
    request_id: int
    resource_code: str
    provider_code: str
    consumer_code: str
    fields: tuple[str, ...]
    due_on: str  # the compliance review deadline ("" when the calendar does not cover it)


@dataclass(frozen=True, kw_only=True)
class ComplianceApproved(DomainEvent):
    action = "sharing.compliance_approved"
    request_id: int
    due_on: str  # the provider's deadline ("" when granted at once)


@dataclass(frozen=True, kw_only=True)
class ComplianceRefused(DomainEvent):
    action = "sharing.compliance_refused"
    request_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class ProviderApproved(DomainEvent):
    action = "sharing.provider_approved"
    request_id: int


@dataclass(frozen=True, kw_only=True)
class ProviderRefused(DomainEvent):
    action = "sharing.provider_refused"
    request_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class RequestDisputed(DomainEvent):
    action = "sharing.request_disputed"
    request_id: int
    reason: str
    due_on: str


@dataclass(frozen=True, kw_only=True)
class DisputeCoordinated(DomainEvent):
    action = "sharing.dispute_coordinated"
    request_id: int
    outcome: str  # share | uphold
    note: str


@dataclass(frozen=True, kw_only=True)
class GrantIssued(DomainEvent):
    """A grant was made: by the provider, at once for 无条件共享, or by coordination. The provider is
    notified through this event (the audit log and its subscribers)."""

    action = "sharing.grant_issued"
    grant_id: int
    request_id: int
    resource_code: str
    provider_code: str
    consumer_code: str
    client_key: str
    fields: tuple[str, ...]
    starts_on: str
    expires_on: str
    how: str  # provider | at_once | coordination
    clear_fields: tuple[str, ...] = ()  # released in clear although 重要 or personal
    verify_only: bool = False  # 仅核验


@dataclass(frozen=True, kw_only=True)
class GrantRevoked(DomainEvent):
    action = "sharing.grant_revoked"
    grant_id: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class GrantRenewed(DomainEvent):
    action = "sharing.grant_renewed"
    grant_id: int
    previous_expires_on: str
    expires_on: str


@dataclass(frozen=True, kw_only=True)
class NeedPosted(DomainEvent):
    action = "sharing.need_posted"
    need_id: int
    department_code: str
    title: str


@dataclass(frozen=True, kw_only=True)
class NeedAnswered(DomainEvent):
    action = "sharing.need_answered"
    need_id: int
    resource_code: str
    provider_code: str


@dataclass(frozen=True, kw_only=True)
class NeedClosed(DomainEvent):
    action = "sharing.need_closed"
    need_id: int
