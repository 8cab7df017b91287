"""Value domains of sharing (值域): each an English code kept in storage and the API with its Chinese label, and
the row conditions a request or a grant carries."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.terms import Term


class Status(Term):
    SUBMITTED = "submitted", "待符合性审查"
    PROVIDER_REVIEW = "provider_review", "待提供方审核"
    GRANTED = "granted", "已授权"
    REFUSED = "refused", "已拒绝"
    DISPUTED = "disputed", "异议待协调"
    COORDINATED = "coordinated", "已协调"


OPEN = (Status.SUBMITTED, Status.PROVIDER_REVIEW, Status.DISPUTED)  # a deadline runs in these


class SharingKind(Term):
    """共享类型, as the catalogue entry says."""

    UNCONDITIONAL = "unconditional", "无条件共享"
    CONDITIONAL = "conditional", "有条件共享"
    NONE = "none", "不予共享"


class Step(Term):
    """What happened to a request (its history)."""

    SUBMITTED = "submitted", "提交申请"
    COMPLIANCE_APPROVED = "compliance_approved", "符合性审查通过"
    COMPLIANCE_REFUSED = "compliance_refused", "符合性审查不通过"
    GRANTED_AT_ONCE = "granted_at_once", "无条件共享，即时授权"
    PROVIDER_APPROVED = "provider_approved", "提供方同意共享"
    PROVIDER_REFUSED = "provider_refused", "提供方拒绝共享"
    DISPUTED = "disputed", "提出异议"
    COORDINATED = "coordinated", "数据主管部门协调"
    GRANT_REVOKED = "grant_revoked", "授权被撤销"
    GRANT_RENEWED = "grant_renewed", "授权续期"


class Outcome(Term):
    """协调结果."""

    SHARE = "share", "协调后同意共享"
    UPHOLD = "uphold", "维持原决定"


class Action(Term):
    """What a person may do to a request in a given state."""

    REVIEW_COMPLIANCE = "review_compliance", "符合性审查"
    REVIEW_PROVIDER = "review_provider", "提供方审核"
    DISPUTE = "dispute", "提出异议"
    COORDINATE = "coordinate", "协调"


class GrantState(Term):
    ACTIVE = "active", "有效"
    PENDING = "pending", "未生效"
    EXPIRED = "expired", "已过期"
    REVOKED = "revoked", "已撤销"


class NeedStatus(Term):
    OPEN = "open", "征集中"
    CLOSED = "closed", "已关闭"


class Operator(Term):
    """Row-filter operators (the dataset store's)."""

    EQ = "eq", "等于"
    NE = "ne", "不等于"
    LT = "lt", "小于"
    LE = "le", "不大于"
    GT = "gt", "大于"
    GE = "ge", "不小于"
    IN = "in", "属于"
    PREFIX = "prefix", "以…开头"


@dataclass(frozen=True)
class RowCondition:
    """One condition every row must meet (行范围), e.g. 户籍地区代码 prefix 130302."""

    column: str
    op: Operator
    value: str | tuple[str, ...]


def condition_json(condition: RowCondition) -> dict[str, str | list[str]]:
    """How a condition is stored and sent: {"column", "op", "value"}; `in` takes a list."""
    value = list(condition.value) if isinstance(condition.value, tuple) else condition.value
    return {"column": condition.column, "op": condition.op.value, "value": value}


def condition_of(data: dict) -> RowCondition:
    value = data["value"]
    return RowCondition(data["column"], Operator(data["op"]), tuple(value) if isinstance(value, list) else value)


RECERTIFICATION_DAYS = 30  # 到期复核提醒: a grant this close to its expiry is flagged
MAX_PERIOD_DAYS = 3 * 365 + 1  # a request, a grant or a renewal covers at most about three years
MAX_TEXT = 2000
MAX_FILTERS = 20
MAX_QUOTA = 100_000_000
