"""Departments' live APIs (部门接口): catalogue entries mounted as `live_api` are read by calling the
department's adapter once per exchange call, with one deadline for the whole answer, and nothing it returns
is used before it is checked.

**The contract** a department's adapter implements (documented in docs/modules/exchange.md):

    GET <url>?fields=a,b&limit=N[&after=CURSOR][&sort=a,-b][&<field>=<value>][&<field>[<op>]=<value>…]
    → 200, application/json: {"records": [{"<item>": <text, number, true/false or null>, …}, …],
                              "next": "<cursor>" | null}

Filters use the exchange API's own syntax and always include the grant's row filters. The platform then
keeps only the planned columns of each record (anything else a department sends is dropped, never passed
on), refuses more records than asked for, values that are not scalars, and — because a grant's row scope must
hold even when a department's adapter is wrong — any record that does not meet every condition: such an
answer fails the call (502) rather than being quietly trimmed, so the department hears of its bug.

Written by hand over httpx because the contract is the platform's own; the condition check mirrors the
dataset store's operators: JSON numbers compare as numbers, text as text.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping, Sequence
from typing import Any

import httpx

from zhengshu.core.exchange.domain import FieldFilter
from zhengshu.kernel.errors import UpstreamFailed, UpstreamTimeout

MAX_BYTES = 4 * 1024 * 1024  # an answer larger than this is refused, whatever it holds
SCALARS = (str, int, float, bool, type(None))


def _failed(message: str, reason: str) -> UpstreamFailed:
    return UpstreamFailed(f"部门接口{message}，请联系资源提供部门。", details={"reason": reason})


def query_params(columns: Sequence[str], conditions: Sequence[FieldFilter], sort: Sequence[tuple[str, str]],
                 after: str | None, limit: int) -> list[tuple[str, str]]:
    """The query string of one call, in the exchange API's syntax."""
    params = [("fields", ",".join(columns)), ("limit", str(limit))]
    if after:
        params.append(("after", after))
    if sort:
        params.append(("sort", ",".join(("-" if d == "desc" else "") + f for f, d in sort)))
    for c in conditions:
        values = (c.value,) if isinstance(c.value, str) else tuple(c.value)
        params.extend((f"{c.field}[{c.op}]", v) for v in values)
    return params


def fetch(url: str, params: Sequence[tuple[str, str]], timeout: float) -> Any:
    """One GET of the department's adapter: its JSON body, or UpstreamTimeout when the whole answer has not
    arrived within `timeout` seconds, or UpstreamFailed for anything else that is not a 200 JSON answer."""
    deadline = time.monotonic() + timeout
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False) as client, \
                client.stream("GET", url, params=list(params), headers={"Accept": "application/json"}) as response:
            if response.status_code != 200:
                raise _failed(f"返回了错误状态 {response.status_code}", "upstream_status")
            body = bytearray()
            for chunk in response.iter_bytes():
                body.extend(chunk)
                if len(body) > MAX_BYTES:
                    raise _failed("返回的数据过大", "upstream_too_large")
                if time.monotonic() > deadline:
                    raise httpx.ReadTimeout("deadline")
    except httpx.TimeoutException:
        raise UpstreamTimeout(f"部门接口在 {timeout:g} 秒内没有响应，请稍后再试。",
                              details={"reason": "upstream_timeout"}) from None
    except httpx.HTTPError:
        raise _failed("无法连接", "upstream_unreachable") from None
    try:
        return json.loads(body)
    except ValueError:
        raise _failed("返回的不是 JSON", "upstream_garbage") from None


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _compare(value: Any, wanted: str) -> int:
    """A JSON number compares as a number with a numeric condition; everything else as text."""
    right = _number(wanted)
    if isinstance(value, int | float) and not isinstance(value, bool) and right is not None:
        return (value > right) - (value < right)
    text = str(value)
    return (text > wanted) - (text < wanted)


def meets(value: Any, condition: FieldFilter) -> bool:
    """Whether one value meets one condition (an empty value meets none but `ne`)."""
    if value is None:
        return condition.op == "ne"
    if condition.op == "in":
        wanted = (condition.value,) if isinstance(condition.value, str) else condition.value
        return any(_compare(value, w) == 0 for w in wanted)
    text, wanted = str(value), str(condition.value)
    if condition.op == "prefix":
        return text.startswith(wanted)
    if condition.op == "contains":
        return wanted in text
    order = _compare(value, wanted)
    return {"eq": order == 0, "ne": order != 0, "lt": order < 0, "le": order <= 0, "gt": order > 0,
            "ge": order >= 0}[condition.op]


def records(payload: Any, columns: Sequence[str], conditions: Sequence[FieldFilter],
            limit: int) -> tuple[list[dict[str, Any]], str | None]:
    """The records of an answer, reduced to `columns`, and its next cursor — or UpstreamFailed when the answer
    breaks the contract or holds a record outside the conditions (the grant's row scope among them)."""
    if not isinstance(payload, Mapping) or not isinstance(payload.get("records"), list):
        raise _failed("返回的数据格式不正确（缺少 records 列表）", "upstream_garbage")
    cursor = payload.get("next")
    if cursor is not None and (not isinstance(cursor, str) or len(cursor) > 500):
        raise _failed("返回的 next 游标不正确", "upstream_garbage")
    found = payload["records"]
    if len(found) > limit:
        raise _failed(f"返回了 {len(found)} 条记录，超过请求的 {limit} 条", "upstream_garbage")
    rows = []
    for number, record in enumerate(found, start=1):
        if not isinstance(record, Mapping):
            raise _failed(f"第 {number} 条记录不是对象", "upstream_garbage")
        row = {name: record.get(name) for name in columns}
        bad = [name for name, value in row.items() if not isinstance(value, SCALARS)]
        if bad:
            raise _failed(f"第 {number} 条记录的字段 {bad[0]} 不是单个值", "upstream_garbage")
        if not all(meets(row.get(c.field, record.get(c.field)), c) for c in conditions):
            raise _failed(f"第 {number} 条记录超出了请求或授权的范围", "upstream_out_of_scope")
        rows.append(row)
    return rows, cursor
