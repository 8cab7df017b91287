"""Shapes of the sharing module. `Grant` is the contract with the exchange gateway: what a consumer may read.
Below it, the inputs at the edges (syntax only) and the views the pages and the API receive."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from zhengshu.core.sharing.domain.values import Term


class RowFilter(BaseModel):
    """One condition every row a grant allows must meet (e.g. 户籍地区代码 = 130302)."""

    model_config = ConfigDict(frozen=True)
    column: str
    op: str  # eq, ne, lt, le, gt, ge, in, prefix (the dataset store's operators)
    value: str | list[str]


class Grant(BaseModel):
    """An approved right of one consumer system to read one catalogue resource (共享授权)."""

    model_config = ConfigDict(frozen=True)
    id: int
    request_id: int | None  # the request it came from (this module always sets it: 无条件 too passes compliance)
    resource_code: str  # the catalogue entry
    provider_code: str  # the providing department
    consumer_code: str  # the consuming department
    client_key: str  # the consumer's API client the grant is for
    fields: tuple[str, ...]  # catalogue item names the consumer may read
    pseudonymous_fields: tuple[str, ...] = ()  # returned as keyed SM3 pseudonyms: joinable, unreadable
    row_filters: tuple[RowFilter, ...] = ()
    purpose: str
    legal_basis: str = ""
    starts_on: date
    expires_on: date
    daily_quota: int | None = None  # records per day; None: no quota
    clear_fields: tuple[str, ...] = ()  # released in clear although 重要 or personal (never 核心)
    verify_only: bool = False  # 仅核验: the client may verify claims (POST …/verify), never read records
    status: str  # active, revoked, expired; pending (not yet started) in lists. `active_grant` gives only active


# --- input (syntax only: the rules live in `domain`) ---------------------------------------------------------


class RequestCreate(BaseModel):
    """共享申请: resource, fields, purpose, legal basis, row scope and period, and the system that will read."""

    model_config = ConfigDict(extra="forbid")
    resource_code: str = Field(min_length=1, max_length=32, description="信息资源代码")
    client_key: str = Field(min_length=1, max_length=40, description="本部门接入系统标识（授权给该系统）")
    fields: list[str] = Field(min_length=1, max_length=500, description="申请的信息项")
    row_filters: list[RowFilter] = Field(default_factory=list, max_length=20, description="行范围条件")
    row_scope: str = Field(default="", max_length=2000, description="数据范围说明")
    purpose: str = Field(min_length=1, max_length=2000, description="用途")
    legal_basis: str = Field(min_length=1, max_length=2000, description="申请依据（法律法规、履职依据）")
    starts_on: date | None = Field(default=None, description="使用期限起始日（默认今天）")
    ends_on: date = Field(description="使用期限截止日")
    dispute_reason: str = Field(default="", max_length=2000,
                                description="异议理由（仅不予共享的资源：申请即为异议，由数据主管部门协调）")


class GrantTermsInput(BaseModel):
    """授权条件. Empty values keep what was asked for: the request's system, fields, rows and period."""

    model_config = ConfigDict(extra="forbid")
    client_key: str = Field(default="", max_length=40, description="接入系统标识（默认为申请时指定的系统）")
    fields: list[str] = Field(default_factory=list, max_length=500, description="授权信息项（可少于申请）")
    pseudonymous_fields: list[str] = Field(default_factory=list, max_length=500,
                                           description="假名化返回的信息项（可关联、不可读）")
    row_filters: list[RowFilter] | None = Field(default=None, max_length=20,
                                                description="行范围条件（默认为申请的条件）")
    expires_on: date | None = Field(default=None, description="授权到期日（默认为申请的截止日）")
    daily_quota: int | None = Field(default=None, description="每日限额（条），留空不限")
    clear_fields: list[str] = Field(default_factory=list, max_length=500,
                                    description="明文提供的信息项（重要或个人信息项，不能是核心数据项）")
    verify_only: bool = Field(default=False, description="仅核验：只能核验（POST …/verify），不能读取记录")


class ComplianceReview(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approve: bool = Field(description="是否通过符合性审查")
    reason: str = Field(default="", max_length=2000, description="不通过的理由（不通过时必填）")


class ProviderReview(BaseModel):
    model_config = ConfigDict(extra="forbid")
    approve: bool = Field(description="是否同意共享")
    reason: str = Field(default="", max_length=2000, description="拒绝理由（拒绝时必填）")
    grant: GrantTermsInput = Field(default_factory=GrantTermsInput, description="授权条件（同意时）")


class DisputeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=2000, description="异议理由")


class CoordinationInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    outcome: str = Field(max_length=16, description="协调结果：share 协调后同意共享 | uphold 维持原决定")
    note: str = Field(max_length=2000, description="协调意见")
    grant: GrantTermsInput = Field(default_factory=GrantTermsInput, description="授权条件（同意共享时）")


class RevokeInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=2000, description="撤销理由")


class RenewInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expires_on: date = Field(description="新的到期日")


class NeedCreate(BaseModel):
    """数据需求: what a department needs and why; providers answer with catalogue entries."""

    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=200, description="需求名称")
    description: str = Field(min_length=1, max_length=2000, description="需求说明（需要哪些数据、什么范围）")
    purpose: str = Field(default="", max_length=2000, description="用途")


class AnswerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    resource_code: str = Field(min_length=1, max_length=32, description="本部门的信息资源代码")
    note: str = Field(default="", max_length=2000, description="说明")


# --- views ---------------------------------------------------------------------------------------------------


class Coded(BaseModel):
    """A coded value and its Chinese label."""

    model_config = ConfigDict(frozen=True)
    value: str
    label: str

    @classmethod
    def of(cls, term: Term) -> Coded:
        return cls(value=term.value, label=term.label)


class HistoryView(BaseModel):
    step: Coded
    actor: str
    actor_name: str
    department_code: str | None
    note: str
    occurred_at: datetime


class RequestView(BaseModel):
    id: int
    resource_code: str
    resource_name: str
    provider_code: str
    provider_name: str
    consumer_code: str
    consumer_name: str
    client_key: str
    sharing_type: Coded
    fields: list[str]
    row_filters: list[RowFilter]
    row_scope: str
    purpose: str
    legal_basis: str
    starts_on: date
    ends_on: date
    status: Coded
    due_on: date | None = Field(description="当前环节的期限（工作日计算；空：无期限或工作日历未覆盖）")
    overdue: bool = Field(description="是否超期")
    published: bool = Field(description="申请时资源是否已发布（决定提供方答复期限）")
    refusal_reason: str
    dispute_reason: str
    outcome: Coded | None
    outcome_note: str
    grant_id: int | None
    requested_by: str
    requested_by_name: str
    submitted_at: datetime
    updated_at: datetime


class ClientOption(BaseModel):
    client_key: str
    name: str


class GrantView(BaseModel):
    """A grant as people see it: the contract, names, its state today and whether it is due for 复核."""

    grant: Grant
    resource_name: str
    provider_name: str
    consumer_name: str
    state: Coded
    recertification_due: bool
    revoked_reason: str
    revoked_at: datetime | None
    renewals: int
    created_at: datetime
    can_revoke: bool = False
    can_renew: bool = False


class RequestDetail(BaseModel):
    request: RequestView
    history: list[HistoryView]
    grant: GrantView | None
    actions: list[str] = Field(description="当前用户可进行的操作：review_compliance review_provider dispute coordinate")
    available_fields: list[str] = Field(description="申请的信息项中目前仍在目录里的（审核时可选）")
    releasable_fields: list[str] = Field(default_factory=list,
                                         description="其中可以明文提供的（核心数据项除外）")
    consumer_clients: list[ClientOption] = Field(description="申请部门的有效接入系统（审核时可选）")


class AnswerView(BaseModel):
    id: int
    resource_code: str
    resource_name: str
    provider_code: str
    provider_name: str
    note: str
    answered_by_name: str
    answered_at: datetime


class NeedView(BaseModel):
    id: int
    title: str
    description: str
    purpose: str
    department_code: str
    department_name: str
    status: Coded
    posted_by_name: str
    posted_at: datetime
    closed_at: datetime | None
    answers: list[AnswerView]
    can_close: bool = False


class Digest(BaseModel):
    """督办日报: requests past their deadline and grants due for re-certification."""

    on: date
    overdue: list[RequestView]
    recertification: list[GrantView]


class SharingSummary(BaseModel):
    """Counts for a dashboard card (工作台): what waits on the viewer, what is overdue, what needs 复核."""

    to_review: int
    open_requests: int
    overdue: int
    recertification_due: int


class RequestForm(BaseModel):
    """What the request form offers: the entry's items and sharing type, and the department's systems."""

    resource_code: str
    resource_name: str
    provider_name: str
    sharing_type: Coded | None
    items: list[str]
    published: bool
    clients: list[ClientOption]
