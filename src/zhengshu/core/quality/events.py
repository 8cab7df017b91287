"""Events of data quality (past tense; the audit log records each one). `target` is `resource:<code>`."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class RuleSetSaved(DomainEvent):
    """A new version of a resource's rule set was saved."""

    action = "quality.rule_set_saved"
    resource_code: str
    version: int
    rules: int


@dataclass(frozen=True, kw_only=True)
class LoadQualityRecorded(DomainEvent):
    """A load's quality result (scores, counts per rule, sample bad rows) was recorded."""

    action = "quality.load_recorded"
    resource_code: str
    load_id: str
    rows: int
    rejected: int
    scores: dict[str, float | None]
