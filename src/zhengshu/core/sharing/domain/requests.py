"""A sharing request (共享申请): what it may ask for, deadlines per stage, overdue, and its state machine.

States (共享申请状态) and who moves them:

    submitted ──符合性审查 (platform admin, not of the requesting department)──▶ provider_review
        │                                     无条件共享: granted at once ──▶ granted
        └─ refused (reason)
    provider_review ──提供方审核 (the providing department's approver)──▶ granted | refused (reason)
    refused ──异议 (the requesting department's data officer, reason)──▶ disputed
    不予共享: a request can only be a dispute: it starts as disputed
    disputed ──协调 (platform admin, not of the requesting department)──▶ coordinated (share → a grant | uphold)

Four eyes (四眼原则): nobody reviews or coordinates a request of their own department, and no department
requests its own data. Roles and departments are checked by `identity.access` in the service; states,
four eyes and the content of each decision are checked here.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from datetime import date

from zhengshu.core.sharing.domain.values import (
    MAX_FILTERS,
    MAX_PERIOD_DAYS,
    MAX_TEXT,
    OPEN,
    Action,
    NeedStatus,
    Operator,
    Outcome,
    RowCondition,
    SharingKind,
    Status,
)
from zhengshu.kernel.errors import Conflict, InvalidInput

ALLOWED_FROM = {
    Action.REVIEW_COMPLIANCE: (Status.SUBMITTED,),
    Action.REVIEW_PROVIDER: (Status.PROVIDER_REVIEW,),
    Action.DISPUTE: (Status.REFUSED,),
    Action.COORDINATE: (Status.DISPUTED,),
}
FOUR_EYES = (Action.REVIEW_COMPLIANCE, Action.REVIEW_PROVIDER, Action.COORDINATE)


@dataclass(frozen=True)
class Deadlines:
    """Working days each stage may take (《政务信息资源共享管理暂行办法》 and local rules; see docs)."""

    compliance: int = 2  # 符合性审查, the data authority
    provider_published: int = 5  # 提供方答复, the data is published on the platform
    provider_unpublished: int = 10  # 提供方答复, the data is catalogued but not yet published
    coordination: int = 10  # 争议协调 (the rules name no number: the platform's choice)

    def for_stage(self, status: Status, published: bool) -> int | None:
        return {Status.SUBMITTED: self.compliance, Status.DISPUTED: self.coordination,
                Status.PROVIDER_REVIEW: self.provider_published if published else self.provider_unpublished,
                }.get(status)


DEFAULT_DEADLINES = Deadlines()


# --- what a request asks for ---------------------------------------------------------------------------------


def make_conditions(raw: Sequence[tuple[str, str, str | Sequence[str]]], items: Collection[str],
                    field: str = "row_filters") -> tuple[RowCondition, ...]:
    """Row filters over the entry's items: a known operator, a list for `in`, one value for the others."""
    if len(raw) > MAX_FILTERS:
        raise InvalidInput(f"行范围条件最多 {MAX_FILTERS} 条。", field=field)
    conditions = []
    for n, (column, op_text, value) in enumerate(raw, start=1):
        where = f"{field}.{n - 1}"
        column = column.strip()
        if column not in items:
            raise InvalidInput(f"第 {n} 条行范围条件的字段“{column}”不是该资源的信息项。", field=where)
        op = Operator.parse(op_text, field=where, title=f"第 {n} 条行范围条件的运算符")
        if op is Operator.IN:
            values = tuple(v.strip() for v in ([value] if isinstance(value, str) else value) if v.strip())
            if not values:
                raise InvalidInput(f"第 {n} 条行范围条件（属于）至少需要一个值。", field=where)
            conditions.append(RowCondition(column, op, values))
        else:
            if not isinstance(value, str) or not value.strip():
                raise InvalidInput(f"第 {n} 条行范围条件须有一个值。", field=where)
            conditions.append(RowCondition(column, op, value.strip()))
    return tuple(conditions)


def check_text(value: str, *, field: str, title: str, required: bool = True, limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidInput(f"{title}不能为空。", field=field)
    if len(text) > limit:
        raise InvalidInput(f"{title}最多 {limit} 个字符。", field=field)
    return text


def check_fields(fields: Sequence[str], allowed: Sequence[str], *, field: str = "fields",
                 within: str = "该资源的信息项") -> tuple[str, ...]:
    """Field names: at least one, none twice, each among `allowed` (the entry's items, or what was asked)."""
    names = tuple(f.strip() for f in fields if f.strip())
    if not names:
        raise InvalidInput("至少选择一个信息项。", field=field)
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidInput(f"信息项重复：{'、'.join(twice)}", field=field)
    outside = [n for n in names if n not in allowed]
    if outside:
        raise InvalidInput(f"以下信息项不在{within}中：{'、'.join(outside)}", field=field)
    return names


def check_period(starts_on: date, ends_on: date, today: date) -> None:
    if starts_on < today:
        raise InvalidInput("使用期限的起始日不能早于今天。", field="starts_on")
    if ends_on < starts_on:
        raise InvalidInput("使用期限的截止日不能早于起始日。", field="ends_on")
    if (ends_on - starts_on).days > MAX_PERIOD_DAYS:
        raise InvalidInput("使用期限最长三年。", field="ends_on")


@dataclass(frozen=True)
class Resource:
    """What the catalogue says about a requested entry, as far as the rules need it."""

    code: str
    name: str
    provider_code: str
    sharing: SharingKind | None
    items: tuple[str, ...]
    published: bool
    retired: bool
    core_items: tuple[str, ...] = ()  # items classified 核心: never released in clear


def initial_status(resource: Resource, consumer_code: str, dispute_reason: str) -> Status:
    """Where a new request starts: 不予共享 only as a dispute (with its reason); the others at compliance."""
    if resource.retired:
        raise Conflict(f"资源 {resource.code} 已下架，不能申请。", field="resource_code")
    if resource.sharing is None:
        raise Conflict(f"资源 {resource.code} 尚未登记共享属性，暂不能申请。", field="resource_code")
    if resource.provider_code == consumer_code:
        raise InvalidInput("本部门的资源无需申请共享。", field="resource_code")
    if resource.sharing is SharingKind.NONE:
        if not dispute_reason.strip():
            raise InvalidInput("该资源为不予共享，只能提出异议：请说明异议理由，由数据主管部门协调。",
                               field="dispute_reason")
        return Status.DISPUTED
    if dispute_reason.strip():
        raise InvalidInput("只有不予共享的资源或被拒绝的申请才能提出异议。", field="dispute_reason")
    return Status.SUBMITTED


# --- the request and its transitions -------------------------------------------------------------------------


@dataclass(frozen=True)
class SharingRequest:
    """共享申请."""

    id: int
    resource_code: str
    provider_code: str
    consumer_code: str
    client_key: str
    sharing: SharingKind
    fields: tuple[str, ...]
    row_filters: tuple[RowCondition, ...]
    starts_on: date
    ends_on: date
    status: Status
    due_on: date | None
    refusal_reason: str = ""
    dispute_reason: str = ""
    outcome: Outcome | None = None

    def overdue(self, today: date) -> bool:
        """超期: still waiting on someone, and the deadline has passed."""
        return self.status in OPEN and self.due_on is not None and today > self.due_on


def open_to(request: SharingRequest, action: Action, department: str | None) -> bool:
    """Whether the request is in a state for `action`, and a person of `department` is not barred from it by
    four eyes. (Whether they hold the role is for `identity.access`.)"""
    if request.status not in ALLOWED_FROM[action]:
        return False
    return action not in FOUR_EYES or department != request.consumer_code


def _expect(request: SharingRequest, action: Action, department: str | None) -> None:
    if request.status not in ALLOWED_FROM[action]:
        raise Conflict(f"申请当前状态为“{request.status.label}”，不能进行{action.label}。")
    if action in FOUR_EYES and department == request.consumer_code:
        raise Conflict(f"四眼原则：不能对本部门提出的申请进行{action.label}。")


def approve_compliance(request: SharingRequest, reviewer_department: str | None,
                       provider_due_on: date | None) -> SharingRequest:
    """符合性审查通过: 无条件共享 is granted at once; otherwise on to the provider, whose deadline starts now."""
    _expect(request, Action.REVIEW_COMPLIANCE, reviewer_department)
    if request.sharing is SharingKind.UNCONDITIONAL:
        return replace(request, status=Status.GRANTED, due_on=None)
    return replace(request, status=Status.PROVIDER_REVIEW, due_on=provider_due_on)


def refuse(request: SharingRequest, action: Action, reviewer_department: str | None, reason: str) -> SharingRequest:
    """A refusal at compliance or provider review; it must say why."""
    _expect(request, action, reviewer_department)
    reason = check_text(reason, field="reason", title="拒绝理由")
    return replace(request, status=Status.REFUSED, due_on=None, refusal_reason=reason)


def approve_as_provider(request: SharingRequest, reviewer_department: str | None) -> SharingRequest:
    _expect(request, Action.REVIEW_PROVIDER, reviewer_department)
    return replace(request, status=Status.GRANTED, due_on=None)


def dispute(request: SharingRequest, reason: str, due_on: date | None) -> SharingRequest:
    """异议: the requester contests a refusal; the data authority's coordination deadline starts now."""
    _expect(request, Action.DISPUTE, None)
    reason = check_text(reason, field="reason", title="异议理由")
    return replace(request, status=Status.DISPUTED, due_on=due_on, dispute_reason=reason)


def coordinate(request: SharingRequest, coordinator_department: str | None, outcome: Outcome,
               note: str) -> tuple[SharingRequest, str]:
    """协调: the data authority decides a dispute, saying why; `share` comes with a grant."""
    _expect(request, Action.COORDINATE, coordinator_department)
    note = check_text(note, field="note", title="协调意见")
    return replace(request, status=Status.COORDINATED, due_on=None, outcome=outcome), note


def check_answer(need_status: NeedStatus, need_department: str, resource: Resource) -> None:
    """A provider answers an open need of another department with one of its live catalogue entries."""
    if need_status is not NeedStatus.OPEN:
        raise Conflict("该需求已关闭。")
    if resource.provider_code == need_department:
        raise InvalidInput("不能以本部门的资源响应本部门的需求。", field="resource_code")
    if resource.retired:
        raise Conflict(f"资源 {resource.code} 已下架。", field="resource_code")
