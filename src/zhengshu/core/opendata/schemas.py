"""Shapes at the edges of open data: what officers, the authority and developers send, and the views the
portal, the open API and the staff pages receive."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ProposalInput(BaseModel):
    """开放申请: open a published catalogue entry, whole (chosen fields) or as a derived aggregated view."""

    model_config = ConfigDict(extra="forbid")
    entry_code: str = Field(max_length=64, description="目录资源代码")
    code: str = Field(max_length=64, description="开放数据集代码（网址的一部分，长期不变），如 air-quality-daily")
    title: str = Field(max_length=200, description="开放数据集名称")
    description: str = Field(default="", max_length=5000, description="简介")
    theme: str = Field(max_length=32, description="开放主题，如 environment 生态环境、tourism 文化旅游")
    licence: str = Field(default="CC-BY-4.0", max_length=32, description="开放许可：CC-BY-4.0、CC0-1.0、ODC-BY-1.0")
    fields: list[str] | None = Field(default=None, max_length=500,
                                     description="整表开放的字段；默认为全部信息项（派生视图不填）")
    view: dict[str, Any] | None = Field(default=None, description=(
        '派生汇总视图：{"group_by": [字段], "generalise": {字段: "year"|"month"|"prefix:N"|"band:N"}, '
        '"measures": [{"op": "sum"|"avg"|"min"|"max", "column": 字段}]}'))


class DecisionInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    note: str = Field(default="", max_length=2000, description="审批意见（驳回时必填）")


class WithdrawInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000, description="撤回原因")


class DeveloperSignUp(BaseModel):
    """开发者注册."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=100, description="姓名或团队名称")
    email: str = Field(min_length=3, max_length=200, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$", description="电子邮箱")
    organisation: str = Field(default="", max_length=200, description="单位（可不填）")


class DeveloperKey(BaseModel):
    """Shown once, at sign-up: the key is never stored, only its digest."""

    developer_id: int
    name: str
    key: str = Field(description="开发者密钥：调用时放在 X-API-Key 请求头；只显示这一次")
    key_prefix: str


class ApplicationInput(BaseModel):
    """有条件开放数据集的使用申请."""

    model_config = ConfigDict(extra="forbid")
    purpose: str = Field(min_length=4, max_length=2000, description="使用目的")
    accept_conditions: bool = Field(description="是否接受开放条件")


class ReviewInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approve: bool
    note: str = Field(default="", max_length=2000)


# --- views ------------------------------------------------------------------------------------------------------


class Labelled(BaseModel):
    value: str
    label: str


class ItemView(BaseModel):
    name: str
    type: str = Field(description="string、int64、float64、bool、date、timestamp 或 decimal(p,s)")
    description: str = ""


class HistoryView(BaseModel):
    action: str
    action_title: str
    source_version: int | None
    row_count: int | None
    note: str
    occurred_at: datetime


class OpeningView(BaseModel):
    """An opened (or proposed) dataset: what the portal's page and the open API's metadata show."""

    code: str
    title: str
    description: str
    entry_code: str
    provider_code: str
    provider_name: str
    kind: Labelled
    theme: Labelled
    licence: Labelled
    licence_url: str
    open_type: Labelled
    open_condition: str = ""
    format: Labelled
    update_cycle: Labelled
    status: Labelled
    fields: list[str]
    view: dict[str, Any] | None
    columns: list[ItemView]
    row_count: int | None
    served_version: int | None
    gate_report: dict[str, Any]
    note: str
    opened_at: datetime | None
    updated_at: datetime
    downloads: int = 0
    api_calls: int = 0


class OpeningSummary(BaseModel):
    code: str
    title: str
    description: str
    provider_name: str
    theme: Labelled
    open_type: Labelled
    format: Labelled
    update_cycle: Labelled
    status: Labelled
    row_count: int | None
    updated_at: datetime
    uses: int = 0


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class PortalSearch(BaseModel):
    """A page of open datasets found, with facet counts (each counted under the other filters)."""

    datasets: list[OpeningSummary]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetValue]]


class PortalHome(BaseModel):
    themes: list[FacetValue]
    newest: list[OpeningSummary]
    most_used: list[OpeningSummary]
    total: int


class OpeningDetail(BaseModel):
    opening: OpeningView
    history: list[HistoryView]


class RecordsPage(BaseModel):
    code: str
    version: int
    columns: list[ItemView]
    rows: list[dict[str, Any]]
    total: int | None = Field(None, description="符合筛选条件的记录总数（只在 count=true 时计算）")
    next: str | None = Field(description="下一页的游标（after 参数）；没有下一页时为 null")


class ApplicationView(BaseModel):
    id: int
    code: str
    title: str
    developer_name: str
    developer_email: str
    purpose: str
    status: Labelled
    note: str
    created_at: datetime
    reviewed_at: datetime | None


class UsageRow(BaseModel):
    code: str
    title: str
    downloads: int
    api_calls: int
    views: int


class UsageStats(BaseModel):
    since: date
    downloads: int
    api_calls: int
    views: int
    developers: int
    by_day: list[dict[str, Any]]
    top: list[UsageRow]
    by_developer: list[dict[str, Any]]
