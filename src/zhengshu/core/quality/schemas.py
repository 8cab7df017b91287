"""Shapes at the edges of data quality: the rule set (defined with its rules in `domain.rules`, re-exported
here for other modules), the standardisers and identifier checks other modules reuse (entity resolution
standardises and checks ID numbers the same way loads do), and the views services return."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from zhengshu.core.quality.domain.checks import credit_code_valid, id_birth, id_number_valid
from zhengshu.core.quality.domain.evaluation import Evaluation, RuleOutcome
from zhengshu.core.quality.domain.rules import CYCLE_DAYS, DIMENSIONS, RuleSet, parse_rule_set, parse_rule_set_text
from zhengshu.core.quality.domain.standardisers import STANDARDISERS, Standardised, address_district

__all__ = ["CYCLE_DAYS", "DIMENSIONS", "STANDARDISERS", "BadRowView", "ColumnReport", "Evaluation",
           "LoadQualitySummary", "LoadQualityView", "RuleCountView", "RuleOutcome", "RuleSet", "RuleSetView",
           "Standardised", "StandardisedFrame", "address_district", "credit_code_valid", "id_birth", "id_number_valid",
           "parse_rule_set",
           "parse_rule_set_text"]


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


class RuleSetInForce(BaseModel):
    """The rules that apply to a resource's next load: its saved rule set, or the suggestion while none is."""

    resource_code: str
    resource_name: str
    version: int | None  # None: suggested, not saved
    rule_set: RuleSet
    can_manage: bool  # the reader may save a new version


class ResourceScore(BaseModel):
    """A resource's latest load in the overview (最新一次加载的质量得分)."""

    resource_code: str
    resource_name: str
    provider_code: str
    load_id: str
    rows: int
    rejected: int
    scores: dict[str, float | None]
    overall: float | None
    evaluated_at: datetime


class DepartmentRank(BaseModel):
    """A department in the city-wide ranking (质量排名), from its resources' latest loads."""

    rank: int
    code: str
    name: str
    resources: int
    below: int  # resources scoring below the overview's low_score
    scores: dict[str, float | None]
    overall: float | None
    own: bool  # the reader's own department
    viewable: bool  # the reader may open the department's report


class QualityOverview(BaseModel):
    """质量总览: every department ranked (aggregates only) and the lowest-scoring resources the reader may see."""

    dimensions: list[str]
    low_score: float
    departments: list[DepartmentRank]
    lowest: list[ResourceScore]
    sees_all: bool  # the reader sees every department's resources (else their own department's)


class DepartmentReport(BaseModel):
    """A department's quality (部门质量): its place in the ranking and each of its resources' latest load."""

    code: str
    name: str
    dimensions: list[str]
    low_score: float
    departments: int  # how many departments are ranked
    standing: DepartmentRank | None  # None: none of its resources has a recorded load
    resources: list[ResourceScore]  # lowest overall score first


class ResourceReport(BaseModel):
    """One resource's quality report: the latest load in full, the trend over loads, the rule set in force."""

    resource_code: str
    resource_name: str
    provider_code: str
    provider_name: str
    latest: LoadQualityView | None
    overall: float | None
    trend: list[LoadQualitySummary]  # oldest first
    rules: RuleSetInForce
    can_manage: bool  # the reader may edit the rule set
    values_masked: bool  # sample values are shown masked (the reader does not check this department's data)
