"""Events of open data (past tense; the audit log records each one). `target` is `opendata:<code>` for an
opening, `opendata_developer:<id>` for a developer, `opendata_application:<id>` for an application."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class OpeningProposed(DomainEvent):
    """A data officer proposed opening an entry; `passed` says whether the privacy gate let it through."""

    action = "opendata.opening_proposed"
    code: str
    entry_code: str
    kind: str
    passed: bool
    refused_fields: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class OpeningDecided(DomainEvent):
    action = "opendata.opening_decided"
    code: str
    approved: bool
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class OpeningRefreshed(DomainEvent):
    """The source has a new version; it passed the gate again and is what the portal now serves."""

    action = "opendata.opening_refreshed"
    code: str
    source_version: int
    served_version: int


@dataclass(frozen=True, kw_only=True)
class OpeningWithdrawn(DomainEvent):
    action = "opendata.opening_withdrawn"
    code: str
    reason: str
    refused_fields: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DeveloperRegistered(DomainEvent):
    action = "opendata.developer_registered"
    developer_id: int
    name: str
    key_prefix: str


@dataclass(frozen=True, kw_only=True)
class ApplicationSubmitted(DomainEvent):
    action = "opendata.application_submitted"
    application_id: int
    code: str
    developer_id: int


@dataclass(frozen=True, kw_only=True)
class ApplicationReviewed(DomainEvent):
    action = "opendata.application_reviewed"
    application_id: int
    code: str
    approved: bool
