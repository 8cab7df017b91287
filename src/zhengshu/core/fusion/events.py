"""Events of fusion (past tense; the audit log records each one). `target` is `registry:<code>`."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class FusionStarted(DomainEvent):
    action = "fusion.started"
    registry: str
    run_id: int


@dataclass(frozen=True, kw_only=True)
class FusionFinished(DomainEvent):
    """A run ended: `succeeded` (its outputs published) or `failed` (the last good version keeps serving)."""

    action = "fusion.finished"
    registry: str
    run_id: int
    status: str
    records: int = 0
    relinked_rows: int = 0
    error: str = ""


@dataclass(frozen=True, kw_only=True)
class ClusterReviewed(DomainEvent):
    """A person confirmed or split a doubtful cluster; the next run applies the decision."""

    action = "fusion.cluster_reviewed"
    registry: str
    record_id: str
    decision: str
    rows: int


@dataclass(frozen=True, kw_only=True)
class RecordRead(DomainEvent):
    """A registry record was read with its lineage (a portrait)."""

    action = "fusion.record_read"
    registry: str
    record_id: str
