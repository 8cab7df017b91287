"""Shapes at the edges of the exchange: the read request as URL parameters, the verification body, and the
views the API returns."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from zhengshu.core.exchange.domain import DEFAULT_LIMIT, MAX_VALUE_LENGTH, FieldFilter, ReadRequest

RESERVED = ("fields", "sort", "after", "limit", "purpose")
_PARAM = re.compile(r"^(?P<field>[^\[\]]+)\[(?P<op>[a-z]+)\]$")


def parse_sort(text: str) -> tuple[tuple[str, str], ...]:
    """`姓名,-出生日期` → ((姓名, asc), (出生日期, desc))."""
    keys = []
    for part in text.split(","):
        name = part.strip()
        if name:
            keys.append((name[1:], "desc") if name.startswith("-") else (name.removeprefix("+"), "asc"))
    return tuple(keys)


def request_from_params(params: Iterable[tuple[str, str]]) -> ReadRequest:
    """A read request from URL parameters: `fields=a,b`, `sort=a,-b`, `after=<cursor>`, `limit=50`, and
    filters `字段=值` (eq) or `字段[op]=值`, `字段[in]=值1&字段[in]=值2`. A field named like a reserved
    word (`fields`, `sort`, `after`, `limit`, `purpose`) is filtered as `字段[eq]=值`."""
    fields: tuple[str, ...] | None = None
    sort: tuple[tuple[str, str], ...] = ()
    after: str | None = None
    limit = DEFAULT_LIMIT
    filters: list[FieldFilter] = []
    in_values: dict[str, list[str]] = {}
    for key, value in params:
        if key == "fields":
            fields = tuple(n.strip() for n in value.split(",") if n.strip())
        elif key == "sort":
            sort = parse_sort(value)
        elif key == "after":
            after = value or None
        elif key == "limit":
            try:
                limit = int(value)
            except ValueError:
                limit = 0  # refused by the plan, inside the audited call
        elif key == "purpose":
            continue
        else:
            match = _PARAM.fullmatch(key)
            field, op = (match["field"], match["op"]) if match else (key, "eq")
            if op == "in":
                in_values.setdefault(field, []).append(value)
            else:
                filters.append(FieldFilter(field, op, value))
    filters.extend(FieldFilter(field, "in", tuple(values)) for field, values in in_values.items())
    return ReadRequest(fields=fields, filters=tuple(filters), sort=sort, after=after, limit=limit)


class FieldView(BaseModel):
    name: str
    treatment: str = Field(description="clear 原样 | masked 脱敏 | hidden 屏蔽 | pseudonym 假名（带密钥的 SM3）")
    treatment_title: str


class RecordsPage(BaseModel):
    """One page of a resource's records as the grant lets the client see them."""

    resource_code: str
    fields: list[FieldView] = Field(description="返回的字段及其脱敏方式，按返回顺序")
    rows: list[dict[str, Any]]
    count: int = Field(description="本页条数")
    next: str | None = Field(description="下一页的游标（after 参数）；没有下一页时为 null")
    quota_remaining: int | None = Field(description="今日剩余可读条数；授权无配额时为 null")


class VerifyBody(BaseModel):
    """核验: key fields locating the record, and the values to check; no data comes back."""

    model_config = ConfigDict(extra="forbid")
    key: dict[str, str] = Field(max_length=5, description="用于定位记录的关键字段及其值，如 {\"公民身份号码\": \"…\"}")
    claims: dict[str, str] = Field(max_length=9, description="待核验的字段及其声称的值，如 {\"姓名\": \"张三\"}")
    purpose: str = Field(default="", max_length=MAX_VALUE_LENGTH, description="本次核验的用途；默认为授权用途")


class VerifyResult(BaseModel):
    resource_code: str
    match: bool = Field(description="是否有一条记录与全部核验项一致")
    fields: dict[str, bool] = Field(description="每个核验项是否一致；未找到记录时全部为 false")


class CallView(BaseModel):
    id: int
    occurred_at: datetime
    client_key: str
    consumer_code: str | None
    resource_code: str
    grant_id: int | None
    operation: str
    rows: int
    latency_ms: int
    outcome: str
    reason: str
    provider_code: str | None = None
    purpose: str = ""


class SubjectReadView(BaseModel):
    """谁查询了我的数据: one call that returned (or checked) a record about the signed-in person."""

    occurred_at: datetime
    consumer_code: str | None
    consumer_name: str
    resource_code: str
    resource_name: str
    operation: str  # read, verify
    operation_title: str
    purpose: str
    fields: list[str]


class ConsumerUseView(BaseModel):
    """How one consuming department used one of a provider's resources for one purpose in a period."""

    consumer_code: str | None
    consumer_name: str
    resource_code: str
    resource_name: str
    purpose: str
    calls: int
    rows: int
    denied: int
    last_at: datetime


class TrafficRow(BaseModel):
    """The period's traffic of one resource, one client or one department."""

    key: str  # resource code, client key or department code
    name: str = ""  # the department's name, when known
    consumer_code: str | None = None  # the client's department (per-client rows)
    calls: int
    rows: int
    denied: int
    failures: int
    avg_latency_ms: int


class UnusualVolumeView(BaseModel):
    client_key: str
    consumer_code: str | None
    consumer_name: str
    rows: int
    average: float
    factor: float | None


class MonitorSummary(BaseModel):
    """数据传输统一监测: one period's exchange traffic, as the monitoring page shows it."""

    since: date
    until: date
    calls: int
    rows: int
    denied: int
    failures: int
    median_latency_ms: int
    p95_latency_ms: int
    chart: dict[str, list[Any]] = Field(description="days, calls, rows per day (plain JSON for the chart)")
    resources: list[TrafficRow]
    clients: list[TrafficRow]
    top_consumers: list[TrafficRow]  # departments by rows
    unusual_day: date  # the day looked at for unusual volume (the period's last)
    unusual: list[UnusualVolumeView]
