"""Events of ingestion (past tense; the audit log records each one)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class SourceSaved(DomainEvent):
    """A resource's source, column mapping and load policy were saved (数据源登记)."""

    action = "ingest.source_saved"
    resource_code: str
    source: str
    policy: str


@dataclass(frozen=True, kw_only=True)
class LoadStarted(DomainEvent):
    action = "ingest.load_started"
    load_id: str
    resource_code: str
    source: str
    policy: str


@dataclass(frozen=True, kw_only=True)
class LoadFinished(DomainEvent):
    """A load ended: loaded (a version, new or the same content again), refused by its policy, or failed."""

    action = "ingest.load_finished"
    load_id: str
    resource_code: str
    source: str
    status: str
    rows_read: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    version: int | None = None
    reused: bool = False
    message: str = ""


@dataclass(frozen=True, kw_only=True)
class ClassificationApplied(DomainEvent):
    """An officer adopted what a load's values showed as the items' classification (敏感数据识别 → 分级)."""

    action = "ingest.classification_applied"
    load_id: str
    resource_code: str
    items: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class CorrectionOpened(DomainEvent):
    """A correction task (校核纠错) sent to the providing department: a rule a load's rows broke, or an error a
    consumer reported."""

    action = "ingest.correction_opened"
    correction_id: int
    resource_code: str
    provider_code: str
    origin: str
    problem: str
    due_on: str


@dataclass(frozen=True, kw_only=True)
class CorrectionClosed(DomainEvent):
    """Fixed at source: a later load no longer has the problem, or the provider closed a reported error."""

    action = "ingest.correction_closed"
    correction_id: int
    resource_code: str
    note: str = ""
