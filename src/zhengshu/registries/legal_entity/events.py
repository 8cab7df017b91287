"""Events of the legal-entity base registry (past tense; the audit log records each one). `target` is
the entity, person or source resource read (the fusion's own events are the engine's)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PortraitViewed(DomainEvent):
    """A member of staff opened a portrait (法人画像 or 人员画像): a read of personal and credit data."""

    action = "legal_entity.portrait_viewed"
    subject: str


@dataclass(frozen=True, kw_only=True)
class SourceRowViewed(DomainEvent):
    """A member of staff opened the source row a registry value came from."""

    action = "legal_entity.source_row_viewed"
    resource_code: str
    version: int
    row: int
