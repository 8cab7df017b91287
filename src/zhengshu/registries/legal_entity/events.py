"""Events of the legal-entity base registry (past tense; the audit log records each one). `target` is
`registry:legal_entity`, or the entity or source row read."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class EntitiesFused(DomainEvent):
    """A fusion run wrote a new version of the registry (golden records, lineage and members)."""

    action = "legal_entity.fused"
    sources: tuple[str, ...]
    rows: int
    entities: int
    conflicts: int
    version: int


@dataclass(frozen=True, kw_only=True)
class PortraitViewed(DomainEvent):
    """A member of staff opened a portrait (法人画像 or 人员画像): a read of personal and credit data."""

    action = "legal_entity.portrait_viewed"
    subject: str


@dataclass(frozen=True, kw_only=True)
class SourceRowViewed(DomainEvent):
    """A member of staff opened the source row a registry value came from."""

    action = "legal_entity.source_row_viewed"
    dataset_code: str
    version: int
    row: int
