"""Exchange rules, pure Python: a read or a verification planned from a grant, the catalogue entry's items
and the request, before anything is read.

A read may name only fields the grant covers; a field not covered reads exactly like a field that does not
exist ("字段未授权或不存在"). Filters and sort keys may use only fields that go out in clear: a masked,
hidden or pseudonymous field used as a filter would leak what its mask hides (`name[prefix]=张` one
character at a time). The grant's row filters are always AND-ed to the request's. Filter values are plain
values handed to the dataset store as parameters, never query text.

A verification (核验, 数据可用不可见) locates records by key fields (关键字段) and says, per claimed field,
whether the claim matches — never the data. Claims may name masked fields: that is what verification is for.

Every refusal is an `InvalidInput` (or `QuotaExceeded`) whose `details["reason"]` says which rule refused,
for the client and for the audit trail.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from zhengshu.core.exchange.masking import FieldPolicy, ItemClass, decide, mask
from zhengshu.core.sharing.schemas import Grant
from zhengshu.kernel.errors import Conflict, InvalidInput, QuotaExceeded
from zhengshu.kernel.subjects import canonical

DEFAULT_LIMIT = 50
MAX_LIMIT = 200  # records per page
MAX_FILTERS = 20
MAX_IN_VALUES = 100
MAX_VALUE_LENGTH = 200
MAX_VERIFY_FIELDS = 10
VERIFY_ROWS = 10  # records a verification compares at most (a key should find one)
OPS = ("eq", "ne", "lt", "le", "gt", "ge", "in", "prefix", "contains")
UNKNOWN_FIELD = "字段未授权或不存在：{}"


def refused(message: str, field: str | None, reason: str) -> InvalidInput:
    return InvalidInput(message, field=field, details={"reason": reason})


@dataclass(frozen=True)
class FieldFilter:
    """One condition of a request or of a grant: `field op value` (a list of values for `in`)."""

    field: str
    op: str
    value: str | tuple[str, ...]


@dataclass(frozen=True)
class ReadRequest:
    """What a client asks for: fields (None: every granted one), filters, sort keys, cursor, page size."""

    fields: tuple[str, ...] | None = None
    filters: tuple[FieldFilter, ...] = ()
    sort: tuple[tuple[str, str], ...] = ()  # (field, asc|desc)
    after: str | None = None
    limit: int = DEFAULT_LIMIT


@dataclass(frozen=True)
class ReadPlan:
    """A read the grant allows: what to read from the dataset and how each returned field is masked."""

    fields: tuple[FieldPolicy, ...]  # returned, in order
    columns: tuple[str, ...]  # read from the dataset: the returned fields, then key fields not returned
    conditions: tuple[FieldFilter, ...]  # the request's filters, then the grant's row filters
    sort: tuple[tuple[str, str], ...]
    after: str | None
    limit: int
    key_fields: tuple[str, ...]  # whose values name the subjects in the audit trail


def released_fields(grant: Grant) -> frozenset[str]:
    """Fields the grant releases in clear despite their classification (decision row 4 in `masking`; a 核心
    item stays hidden and a pseudonymous one a pseudonym, whatever the grant says)."""
    return frozenset(grant.clear_fields)


def granted_fields(grant: Grant) -> frozenset[str]:
    return frozenset(grant.fields) | frozenset(grant.pseudonymous_fields)


def policies(grant: Grant, items: Sequence[ItemClass]) -> dict[str, FieldPolicy]:
    """The treatment of every item the grant covers, by name, in the entry's order."""
    covered, released = granted_fields(grant), released_fields(grant)
    pseudonymous = frozenset(grant.pseudonymous_fields)
    return {i.name: decide(i, pseudonymous=i.name in pseudonymous, released=i.name in released)
            for i in items if i.name in covered}


def _granted(allowed: Mapping[str, FieldPolicy], name: str) -> FieldPolicy:
    policy = allowed.get(name)
    if policy is None:
        raise refused(UNKNOWN_FIELD.format(name), name, "field_not_granted")
    return policy


def _clear(allowed: Mapping[str, FieldPolicy], name: str, use: str) -> FieldPolicy:
    policy = _granted(allowed, name)
    if not policy.readable:
        raise refused(f"字段 {name} 按授权以{policy.treatment.title}方式提供，不能用于{use}。", name,
                      f"{policy.treatment.value}_field_{'filter' if use == '筛选' else 'sort'}")
    return policy


def _plain(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise refused(f"字段 {field} 的筛选值须为文本。", field, "invalid_value")
    if len(value) > MAX_VALUE_LENGTH:
        raise refused(f"字段 {field} 的筛选值最多 {MAX_VALUE_LENGTH} 个字符。", field, "invalid_value")
    return value


def _checked_filter(allowed: Mapping[str, FieldPolicy], item: FieldFilter) -> FieldFilter:
    _clear(allowed, item.field, "筛选")
    if item.op not in OPS:
        raise refused(f"不支持的筛选方式：{item.op}（可用：{'、'.join(OPS)}）", item.field, "invalid_operator")
    if item.op == "in":
        values = (item.value,) if isinstance(item.value, str) else tuple(item.value)
        if not values or len(values) > MAX_IN_VALUES:
            raise refused(f"in 条件须有 1 到 {MAX_IN_VALUES} 个值。", item.field, "invalid_value")
        return FieldFilter(item.field, item.op, tuple(_plain(v, item.field) for v in values))
    return FieldFilter(item.field, item.op, _plain(item.value, item.field))


def row_filters(grant: Grant, items: Sequence[ItemClass]) -> tuple[FieldFilter, ...]:
    """The grant's row filters; one naming an item the entry no longer has makes the grant unusable."""
    names = {i.name for i in items}
    conditions = []
    for rule in grant.row_filters:
        if rule.column not in names:
            raise Conflict("授权的行范围引用了资源中已不存在的信息项，请联系平台管理员核查授权。",
                           details={"reason": "grant_row_filter_invalid"})
        value = rule.value if isinstance(rule.value, str) else tuple(rule.value)
        conditions.append(FieldFilter(rule.column, rule.op, value))
    return tuple(conditions)


def check_limit(limit: int) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise refused(f"每页条数须在 1 到 {MAX_LIMIT} 之间。", "limit", "limit_out_of_range")
    return limit


def plan_read(grant: Grant, items: Sequence[ItemClass], request: ReadRequest) -> ReadPlan:
    """Check a request against the grant and the entry's items; every refusal names the field and rule. A
    verify-only grant (仅核验) reads nothing: only `plan_verify` serves it."""
    if grant.verify_only:
        raise refused("该授权仅限核验（POST …/verify），不能读取记录。", None, "grant_verify_only")
    allowed = policies(grant, items)
    limit = check_limit(request.limit)
    if request.fields is None:
        returned = tuple(allowed.values())
        if not returned:
            raise Conflict("授权中没有资源现有的信息项，请联系平台管理员核查授权。",
                           details={"reason": "grant_fields_invalid"})
    else:
        if not request.fields:
            raise refused("至少选择一个字段。", "fields", "no_fields")
        returned = tuple(_granted(allowed, n) for n in dict.fromkeys(request.fields))
    if len(request.filters) > MAX_FILTERS:
        raise refused(f"筛选条件最多 {MAX_FILTERS} 个。", "filters", "too_many_filters")
    conditions = tuple(_checked_filter(allowed, f) for f in request.filters)
    sort = []
    for name, direction in request.sort:
        _clear(allowed, name, "排序")
        if direction not in ("asc", "desc"):
            raise refused(f"排序方向须为 asc 或 desc：{direction}", "sort", "invalid_sort")
        sort.append((name, direction))
    if len({name for name, _ in sort}) != len(sort):
        raise refused("同一字段不能重复排序。", "sort", "invalid_sort")
    keys = tuple(i.name for i in items if i.is_key)
    columns = tuple(p.name for p in returned)
    columns += tuple(k for k in keys if k not in columns)
    return ReadPlan(fields=returned, columns=columns, conditions=conditions + row_filters(grant, items),
                    sort=tuple(sort), after=request.after, limit=limit, key_fields=keys)


def mask_rows(plan: ReadPlan, rows: Iterable[Mapping[str, Any]], pseudonym_key: bytes) -> list[dict[str, Any]]:
    """The records as the client may see them: only the returned fields, each masked by its policy."""
    return [{p.name: mask(p, row.get(p.name), pseudonym_key) for p in plan.fields} for row in rows]


def subjects(plan: ReadPlan, rows: Iterable[Mapping[str, Any]]) -> list[Any]:
    """The key values of the records read (distinct, in order): whose data this read returned."""
    found: dict[str, Any] = {}
    for row in rows:
        for key in plan.key_fields:
            value = row.get(key)
            if value is not None and canonical(value):
                found.setdefault(canonical(value), value)
    return list(found.values())


# --- verification (核验) ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VerifyRequest:
    """Key fields locating the record, and the claimed values to check against it."""

    key: Mapping[str, Any]
    claims: Mapping[str, Any]


@dataclass(frozen=True)
class VerifyPlan:
    conditions: tuple[FieldFilter, ...]  # the key (eq) and the grant's row filters
    claims: tuple[tuple[str, str], ...]  # (field, claimed value)
    columns: tuple[str, ...]  # read from the dataset: the claimed fields and the key fields
    key_fields: tuple[str, ...]
    limit: int = VERIFY_ROWS


def _verify_value(value: Any, field: str) -> str:
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise refused(f"字段 {field} 的值须为文本。", field, "invalid_value")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if not text or len(text) > MAX_VALUE_LENGTH:
        raise refused(f"字段 {field} 的值须为 1 到 {MAX_VALUE_LENGTH} 个字符。", field, "invalid_value")
    return text


def plan_verify(grant: Grant, items: Sequence[ItemClass], request: VerifyRequest) -> VerifyPlan:
    """Key fields must be granted key items; claimed fields must be granted (masked ones too) and differ."""
    allowed = policies(grant, items)
    keyed = {i.name for i in items if i.is_key}
    if not request.key:
        raise refused("请给出用于定位记录的关键字段。", "key", "no_key")
    if not request.claims:
        raise refused("请给出至少一个待核验的字段。", "claims", "no_claims")
    if len(request.key) + len(request.claims) > MAX_VERIFY_FIELDS:
        raise refused(f"核验最多涉及 {MAX_VERIFY_FIELDS} 个字段。", "claims", "too_many_fields")
    key = []
    for name, value in request.key.items():
        _granted(allowed, name)
        if name not in keyed:
            raise refused(f"字段 {name} 不是关键字段，不能用于定位记录。", name, "not_a_key")
        key.append(FieldFilter(name, "eq", _verify_value(value, name)))
    claims = []
    for name, value in request.claims.items():
        _granted(allowed, name)
        if name in request.key:
            raise refused(f"字段 {name} 已用于定位记录，不能再作为核验项。", name, "claim_is_key")
        claims.append((name, _verify_value(value, name)))
    return VerifyPlan(conditions=tuple(key) + row_filters(grant, items), claims=tuple(claims),
                      columns=tuple(dict.fromkeys([n for n, _ in claims] + [f.field for f in key])),
                      key_fields=tuple(f.field for f in key))


@dataclass(frozen=True)
class VerifyAnswer:
    """Per claimed field, whether a located record holds that value; `match`: one record holds them all."""

    match: bool
    fields: dict[str, bool]


def answer(plan: VerifyPlan, rows: Sequence[Mapping[str, Any]]) -> VerifyAnswer:
    """Compare the claims with the located records as canonical text (no record: nothing matches)."""

    def holds(row: Mapping[str, Any], name: str, claimed: str) -> bool:
        value = row.get(name)
        return value is not None and canonical(value) == canonical(claimed)

    fields = {name: any(holds(r, name, claimed) for r in rows) for name, claimed in plan.claims}
    match = any(all(holds(r, name, claimed) for name, claimed in plan.claims) for r in rows)
    return VerifyAnswer(match=match, fields=fields)


# --- who asks, and why ---------------------------------------------------------------------------------------

MAX_END_USER = 64


def check_end_user(value: str | None) -> str:
    """The person in the consumer's system on whose behalf a call is made (X-End-User): required."""
    text = (value or "").strip()
    if not text:
        raise refused("请在 X-End-User 请求头中给出发起调用的最终用户。", "X-End-User", "end_user_missing")
    if len(text) > MAX_END_USER or any(ord(c) < 32 or ord(c) == 127 for c in text):
        raise refused(f"X-End-User 最多 {MAX_END_USER} 个字符，且不能含控制字符。", "X-End-User",
                      "end_user_invalid")
    return text


def check_purpose(value: str | None, grant_purpose: str) -> str:
    """The call's purpose, or the grant's when the call names none."""
    text = (value or "").strip()
    if len(text) > MAX_VALUE_LENGTH:
        raise refused(f"用途最多 {MAX_VALUE_LENGTH} 个字符。", "purpose", "purpose_invalid")
    return text or grant_purpose


# --- quota --------------------------------------------------------------------------------------------------

def allowed_rows(grant: Grant, used_today: int, limit: int) -> int:
    """How many records this call may return under the grant's daily quota (a page is cut short to fit)."""
    if grant.daily_quota is None:
        return limit
    remaining = grant.daily_quota - used_today
    if remaining <= 0:
        raise QuotaExceeded(f"今日读取量已达授权上限（{grant.daily_quota} 条），请明日再试。",
                            details={"reason": "quota_exceeded", "quota": grant.daily_quota})
    return min(limit, remaining)


RATE_WINDOW_SECONDS = 60


def check_rate(calls_last_minute: int, calls_per_minute: int) -> None:
    """A grant's calls (refused ones too) in the last minute must stay under the platform's rate limit
    (`ZHENGSHU_EXCHANGE_CALLS_PER_MINUTE`; 0: no limit)."""
    if calls_per_minute and calls_last_minute >= calls_per_minute:
        raise QuotaExceeded(f"调用过于频繁：每项授权每分钟最多 {calls_per_minute} 次，请稍后再试。",
                            details={"reason": "rate_limited", "calls_per_minute": calls_per_minute})


def grant_in_force(grant: Grant, client_key: str, resource_code: str, today: date) -> bool:
    """Defence in depth beside sharing's own check: the grant is this client's, for this resource, active and
    within its dates."""
    return (grant.client_key == client_key and grant.resource_code == resource_code
            and grant.status == "active" and grant.starts_on <= today <= grant.expires_on)


def treatments(plan_fields: Iterable[FieldPolicy]) -> dict[str, str]:
    """Field → treatment (clear, masked, hidden, pseudonym), as the response and the audit record say it."""
    return {p.name: p.treatment.value for p in plan_fields}



# --- monitoring (数据传输统一监测) ----------------------------------------------------------------------------

UNUSUAL_FACTOR = 3  # a client's rows on a day above this many times its daily average …
UNUSUAL_MIN_ROWS = 500  # … and at least this many rows, is flagged
UNUSUAL_HISTORY_DAYS = 14  # the average is over this many days before the day looked at
MAX_MONITOR_DAYS = 92


@dataclass(frozen=True)
class UnusualVolume:
    """A client whose rows on `day` stand out from its own recent past."""

    client_key: str
    rows: int
    average: float  # rows per day over the previous UNUSUAL_HISTORY_DAYS days (days without calls count 0)
    factor: float | None  # rows / average; None when the client read nothing before


def unusual_volume(day_rows: Mapping[str, int], history_rows: Mapping[str, int], *,
                   history_days: int = UNUSUAL_HISTORY_DAYS, factor: float = UNUSUAL_FACTOR,
                   minimum: int = UNUSUAL_MIN_ROWS) -> list[UnusualVolume]:
    """Clients whose rows on a day exceed `factor` × their daily average over the previous `history_days`
    (total rows in `history_rows` / `history_days`) and reach `minimum`; a client with no history is flagged
    once it reaches `minimum`. Largest first."""
    flagged = []
    for client, rows in day_rows.items():
        average = history_rows.get(client, 0) / history_days
        if rows >= minimum and rows > factor * average:
            flagged.append(UnusualVolume(client, rows, round(average, 1),
                                         round(rows / average, 1) if average else None))
    return sorted(flagged, key=lambda u: (-u.rows, u.client_key))


def percentile(sorted_count: int, fraction: float) -> int:
    """The 0-based position of the `fraction` percentile (nearest rank) among `sorted_count` sorted values."""
    if sorted_count <= 0:
        raise ValueError("no values")
    rank = -(-round(fraction * sorted_count * 1000) // 1000)  # ceil, robust to float noise
    return min(max(int(rank), 1), sorted_count) - 1


def check_period(since: date, until: date, today: date) -> tuple[date, date]:
    """A monitoring period: whole days, since ≤ until, not after today, at most MAX_MONITOR_DAYS long."""
    if since > until:
        raise refused("开始日期不能晚于结束日期。", "since", "invalid_period")
    if until > today:
        raise refused("结束日期不能晚于今天。", "until", "invalid_period")
    if (until - since).days + 1 > MAX_MONITOR_DAYS:
        raise refused(f"统计区间最多 {MAX_MONITOR_DAYS} 天。", "since", "invalid_period")
    return since, until
