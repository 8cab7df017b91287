"""Shapes at the edges of data quality: the rule set (defined with its rules in `domain.rules`, re-exported
here for other modules) and the views services return."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from zhengshu.core.quality.domain.evaluation import Evaluation, RuleOutcome
from zhengshu.core.quality.domain.rules import CYCLE_DAYS, DIMENSIONS, RuleSet, parse_rule_set, parse_rule_set_text
from zhengshu.core.quality.domain.standardisers import STANDARDISERS, Standardised

__all__ = ["CYCLE_DAYS", "DIMENSIONS", "STANDARDISERS", "BadRowView", "ColumnReport", "Evaluation",
           "LoadQualitySummary", "LoadQualityView", "RuleCountView", "RuleOutcome", "RuleSet", "RuleSetView",
           "Standardised", "StandardisedFrame", "parse_rule_set", "parse_rule_set_text"]


class RuleSetView(BaseModel):
    resource_code: str
    version: int
    rule_set: RuleSet
    created_at: datetime
    created_by: str


class ColumnReport(BaseModel):
    """What a standardiser did to one column (标准化结果)."""

    column: str
    standardiser: str
    changed: int
    unfixable: int


class StandardisedFrame:
    """A standardised frame and the report per column (a plain class: it carries a Polars frame)."""

    def __init__(self, frame, columns: list[ColumnReport]) -> None:
        self.frame = frame
        self.columns = columns


class RuleCountView(BaseModel):
    rule_id: str
    kind: str
    dimension: str
    severity: str
    fields: list[str]
    message: str
    checked: int
    failed: int


class BadRowView(BaseModel):
    rule_id: str
    row: int | None
    field: str
    value: str | None
    message: str


class LoadQualitySummary(BaseModel):
    resource_code: str
    load_id: str
    rule_set_version: int | None
    rows: int
    rejected: int
    scores: dict[str, float | None]
    evaluated_at: datetime


class LoadQualityView(LoadQualitySummary):
    """A load's quality result: scores per dimension, counts per rule (worst first) and sample bad rows."""

    rules: list[RuleCountView]
    skipped: dict[str, str]
    recorded_by: str
    samples: list[BadRowView]
