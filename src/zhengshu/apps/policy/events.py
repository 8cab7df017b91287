"""Events of the policy module (past tense; the audit log records each one)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PolicyDocumentImported(DomainEvent):
    """A document entered the library, or replaced the one with the same source (`replaced`)."""

    action = "policy.document_imported"
    title: str
    number: str
    source: str
    passages: int
    replaced: bool = False


@dataclass(frozen=True, kw_only=True)
class PolicyValidityChanged(DomainEvent):
    """A document's validity changed because another one repealed or superseded it."""

    action = "policy.validity_changed"
    validity: str
    by: str


@dataclass(frozen=True, kw_only=True)
class PolicyVectorsComputed(DomainEvent):
    """Passage vectors for semantic retrieval were computed and stored (检索向量)."""

    action = "policy.vectors_computed"
    passages: int
    remaining: int
