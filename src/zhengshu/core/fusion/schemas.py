"""Shapes at the edges of fusion: runs, the fusion report, the review queue and decisions, and a registry
record with each value's lineage (what a portrait shows)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

RUN_STATUS_TITLES = {"running": "运行中", "succeeded": "成功", "failed": "失败"}
MODE_TITLES = {"full": "全量", "incremental": "增量"}


class SourceRun(BaseModel):
    """One source of a run: its catalogue resource and dataset version, its rows, whether the run read it
    (a new version) or reused the last run's rows (unchanged), and its rows per link kind."""

    source: str = Field(description="部门/资源名")
    resource_code: str
    dataset_code: str
    version: int
    rows: int
    read: bool
    links: dict[str, int] = Field(default_factory=dict)


class RunView(BaseModel):
    id: int
    registry: str
    status: str
    status_title: str
    mode: str
    mode_title: str
    started_at: datetime
    finished_at: datetime | None
    started_by: str
    sources: list[SourceRun]
    counts: dict[str, Any]
    error: str

    @classmethod
    def of(cls, row: dict[str, Any]) -> RunView:
        return cls(**{k: row[k] for k in ("id", "registry", "status", "mode", "started_at", "finished_at",
                                          "started_by", "counts", "error")},
                   sources=[SourceRun(**s) for s in row["sources"]],
                   status_title=RUN_STATUS_TITLES.get(row["status"], row["status"]),
                   mode_title=MODE_TITLES.get(row["mode"], row["mode"]))


class RegistryInfo(BaseModel):
    code: str
    title: str
    dataset_code: str
    id_title: str


class ReviewItem(BaseModel):
    """A cluster needing review: its id, rows, weakest match weight and fingerprint (for the decision)."""

    id: str
    rows: int
    weakest: float | None
    fingerprint: str


class ReportView(BaseModel):
    """The fusion report of one registry (融合报告)."""

    registry: RegistryInfo
    runs: list[RunView]
    last_good: RunView | None
    link_kinds: list[str]
    links: dict[str, dict[str, int]] = Field(description="source → link kind → rows (last good run)")
    weights: list[tuple[float, int]] = Field(description="match-weight histogram: (bin start, rows)")
    review: list[ReviewItem]
    review_total: int
    review_below: float


class MemberRow(BaseModel):
    """A source row linked to a record: where it is (source, resource, version, row), how it was linked,
    its identity (hash, dup: for a split decision) and its link fields."""

    source: str
    resource_code: str
    version: int
    row: int
    hash: str
    dup: int
    link: str
    match_weight: float | None
    fields: dict[str, Any]


class GoldenValue(BaseModel):
    """A golden value with its lineage: the source resource, version, row and date it came from."""

    field: str
    title: str
    value: str | None
    source: str
    resource_code: str
    version: int
    row: int
    date: date | None
    basis: str
    subject: str | None = None


class RecordView(BaseModel):
    """A registry record (one person or entity): golden values with lineage, and the member rows."""

    registry: str
    id: str
    version: int = Field(description="the registry's dataset version read")
    values: list[GoldenValue]
    members: list[MemberRow]
    fingerprint: str

    def value(self, field: str) -> str | None:
        return next((v.value for v in self.values if v.field == field), None)


class DecisionInput(BaseModel):
    """A review decision: confirm the cluster as it is, or split the named rows off as another one."""

    model_config = ConfigDict(extra="forbid")
    record_id: str = Field(max_length=32)
    fingerprint: str = Field(max_length=32, description="the cluster's fingerprint the decision was made on")
    decision: str = Field(max_length=16, description="confirm 确认 | split 拆分")
    rows: list[str] = Field(default_factory=list, max_length=10_000,
                            description="split: the rows to separate, each `source|hash|dup`")
    note: str = Field(default="", max_length=2000)


class DecisionView(BaseModel):
    id: int
    registry: str
    record_id: str
    decision: str
    decision_title: str
    rows: int
    note: str
    decided_by: str
    decided_at: datetime
