"""Events of the catalogue (past tense; the audit log records each one). `target` is `catalog_entry:<code>`."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class EntryRegistered(DomainEvent):
    action = "catalog.entry_registered"
    code: str
    name: str
    provider_code: str


@dataclass(frozen=True, kw_only=True)
class EntryUpdated(DomainEvent):
    action = "catalog.entry_updated"
    code: str
    version: int
    new_version: bool  # the entry was published: the change made a new, published version
    items_changed: bool
    unmounted: bool  # the items no longer match the mounted dataset: back to registered


@dataclass(frozen=True, kw_only=True)
class EntryMounted(DomainEvent):
    action = "catalog.entry_mounted"
    code: str
    kind: str
    reference: str


@dataclass(frozen=True, kw_only=True)
class EntryPublished(DomainEvent):
    action = "catalog.entry_published"
    code: str
    version: int
    published_on: str


@dataclass(frozen=True, kw_only=True)
class EntryRetired(DomainEvent):
    action = "catalog.entry_retired"
    code: str
    version: int
    reason: str
