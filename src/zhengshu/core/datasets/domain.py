"""Dataset rules, pure Python: codes and names, column types, version states, and the read request
(columns, filters, sort, keyset cursor, page size) checked against a version's columns before any query runs.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from zhengshu.kernel.errors import InvalidInput

CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{1,63}$")
ROW_KEY = "_row"  # hidden ordinal written into every version: 0, 1, 2, ... in the order rows were given
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
MAX_IN_VALUES = 1000
MAX_COLUMN_NAME = 64
_FORBIDDEN_IN_NAMES = set(',[]"') | {chr(c) for c in range(32)} | {"\x7f"}


def check_code(value: str) -> str:
    """A dataset code (数据集代码): stable for ever, used in URLs and as the folder name, e.g. `130300003-hukou`."""
    code = value.strip()
    if not CODE.fullmatch(code):
        raise InvalidInput("数据集代码须为 2–64 位小写字母、数字、- 或 _，并以字母或数字开头，如 130300003-hukou。",
                           field="code")
    return code


def check_name(value: str) -> str:
    name = value.strip()
    if not name:
        raise InvalidInput("数据集名称不能为空。", field="name")
    if len(name) > 200:
        raise InvalidInput("数据集名称最多 200 个字符。", field="name")
    return name


@dataclass(frozen=True)
class DatasetRef:
    """The facts about a dataset that permission checks and writes need."""

    id: int
    code: str
    name: str
    owner_code: str
    current_version: int | None


class VersionStatus(StrEnum):
    WRITING = "writing"  # 写入中: number reserved, files being written; never served
    READY = "ready"  # 就绪: files in place under their final name; may be published and read
    FAILED = "failed"  # 失败: writing failed; nothing of it is served

    @property
    def title(self) -> str:
        return {"writing": "写入中", "ready": "就绪", "failed": "失败"}[self]


# Column types a version may hold. Everything else is rejected when a version is written.
STRING, INT64, FLOAT64, BOOL, DATE, TIMESTAMP = "string", "int64", "float64", "bool", "date", "timestamp"
SIMPLE_TYPES = (STRING, INT64, FLOAT64, BOOL, DATE, TIMESTAMP)
DECIMAL = re.compile(r"^decimal\((\d{1,2}),(\d{1,2})\)$")  # decimal(p,s), as Arrow's decimal128


def is_column_type(name: str) -> bool:
    return name in SIMPLE_TYPES or DECIMAL.fullmatch(name) is not None


@dataclass(frozen=True)
class Column:
    """A column of a version: its name and one of the types above (`string`, `int64`, `decimal(18,2)` ...)."""

    name: str
    type: str

    def as_dict(self) -> dict[str, str]:
        return {"name": self.name, "type": self.type}


def check_column_name(name: str) -> str:
    if not name or name != name.strip():
        raise InvalidInput(f"列名不能为空，也不能以空格开头或结尾：{name!r}", field="columns")
    if name.startswith("_"):
        raise InvalidInput(f"列名不能以 _ 开头（平台保留）：{name}", field="columns")
    if len(name) > MAX_COLUMN_NAME or any(c in _FORBIDDEN_IN_NAMES for c in name):
        raise InvalidInput(f"列名最多 {MAX_COLUMN_NAME} 个字符，且不能含逗号、方括号、双引号或控制字符：{name!r}",
                           field="columns")
    return name


def check_columns(columns: Sequence[Column]) -> tuple[Column, ...]:
    if not columns:
        raise InvalidInput("数据至少要有一列。", field="columns")
    seen: set[str] = set()
    for column in columns:
        check_column_name(column.name)
        if column.name in seen:
            raise InvalidInput(f"列名重复：{column.name}", field="columns")
        if not is_column_type(column.type):
            raise InvalidInput(f"列 {column.name} 的类型不受支持：{column.type}", field="columns")
        seen.add(column.name)
    return tuple(columns)


def match_declared(actual: Sequence[Column], declared: Sequence[Column]) -> None:
    """The frame's columns must be exactly the declared ones (any order), each of the declared type."""
    have = {c.name: c.type for c in actual}
    want = {c.name: c.type for c in declared}
    missing = [n for n in want if n not in have]
    extra = [n for n in have if n not in want]
    if missing or extra:
        parts = ([f"缺少列：{'、'.join(missing)}"] if missing else []) + (
            [f"多余的列：{'、'.join(extra)}"] if extra else [])
        raise InvalidInput("数据的列与声明不符。" + "；".join(parts), field="columns")
    wrong = [f"{n}（应为 {t}，实为 {have[n]}）" for n, t in want.items() if have[n] != t]
    if wrong:
        raise InvalidInput("数据的列类型与声明不符：" + "、".join(wrong), field="columns")


# --- reading -------------------------------------------------------------------------------------------

class Op(StrEnum):
    EQ = "eq"  # 等于
    NE = "ne"  # 不等于
    LT = "lt"  # 小于
    LE = "le"  # 不大于
    GT = "gt"  # 大于
    GE = "ge"  # 不小于
    IN = "in"  # 属于 (a list of values)
    PREFIX = "prefix"  # 以……开头 (text columns)
    CONTAINS = "contains"  # 包含 (text columns; the value is plain text, not a pattern)


TEXT_OPS = (Op.PREFIX, Op.CONTAINS)


class Direction(StrEnum):
    ASC = "asc"
    DESC = "desc"


@dataclass(frozen=True)
class Filter:
    """One condition on a column; conditions are AND-ed. `value` is a list for `in`; None means empty (null),
    allowed with `eq` and `ne` only. Rows whose column is empty match no comparison other than that."""

    column: str
    op: str
    value: Any


@dataclass(frozen=True)
class RecordQuery:
    """What to read from a dataset: which columns (None: all), filters, sort keys, the cursor of the previous
    page, the page size and the version (None: the current one, or the cursor's)."""

    columns: tuple[str, ...] | None = None
    filters: tuple[Filter, ...] = ()
    sort: tuple[tuple[str, str], ...] = ()
    after: str | None = None
    limit: int = DEFAULT_LIMIT
    version: int | None = None


@dataclass(frozen=True)
class Condition:
    """A checked filter: a known column, its type, a known op and a value of the column's type."""

    column: str
    type: str
    op: Op
    value: Any


@dataclass(frozen=True)
class SortKey:
    column: str
    direction: Direction


@dataclass(frozen=True)
class Position:
    """Where the previous page ended: its last row's sort-key values and its row ordinal."""

    values: tuple[Any, ...]
    row: int


@dataclass(frozen=True)
class ReadPlan:
    """A read request checked against one version's columns: safe to turn into a query."""

    version: int
    columns: tuple[Column, ...]  # the columns returned, in order
    conditions: tuple[Condition, ...]
    sort: tuple[SortKey, ...]
    after: Position | None
    limit: int

    def next_cursor(self, last_values: Sequence[Any], last_row: int) -> str:
        return encode_cursor(self.version, self.sort, last_values, last_row)


def _column_types(columns: Iterable[Column]) -> dict[str, str]:
    return {c.name: c.type for c in columns}


def _known(types: dict[str, str], name: str, what: str) -> str:
    if name not in types:
        raise InvalidInput(f"{what}中的列不存在：{name}", field=name)
    return types[name]


def coerce(value: Any, type_: str, column: str) -> Any:
    """A value given as text (from a URL, a cursor) or as Python, as the column's type; else InvalidInput."""
    bad = InvalidInput(f"列 {column} 的值 {value!r} 不是 {type_} 类型。", field=column)
    if isinstance(value, (list, tuple, set, dict)):
        raise bad
    try:
        if type_ == STRING:
            if not isinstance(value, str):
                raise bad
            return value
        if type_ == INT64:
            if isinstance(value, (bool, float)):
                raise bad
            number = int(value.strip()) if isinstance(value, str) else int(value)
            if not -(2**63) <= number < 2**63:
                raise bad
            return number
        if type_ == FLOAT64:
            if isinstance(value, bool):
                raise bad
            number = float(value)
            if not math.isfinite(number):
                raise bad
            return number
        if type_ == BOOL:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in ("true", "1", "是"):
                return True
            if text in ("false", "0", "否"):
                return False
            raise bad
        if type_ == DATE:
            if isinstance(value, datetime):
                raise bad
            return value if isinstance(value, date) else date.fromisoformat(str(value))
        if type_ == TIMESTAMP:
            moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
            if moment.tzinfo is None:
                raise InvalidInput(f"列 {column} 的时间须带时区，如 2024-01-01T08:00:00+08:00。", field=column)
            return moment.astimezone(UTC)
        if DECIMAL.fullmatch(type_):
            if isinstance(value, (bool, float)):
                raise bad
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise bad
            return number
    except (ValueError, TypeError, InvalidOperation) as exc:
        raise bad from exc
    raise bad


def _condition(types: dict[str, str], item: Filter) -> Condition:
    type_ = _known(types, item.column, "筛选条件")
    try:
        op = Op(item.op)
    except ValueError:
        ops = "、".join(o.value for o in Op)
        raise InvalidInput(f"不支持的筛选方式：{item.op}（可用：{ops}）", field=item.column) from None
    if op in TEXT_OPS and type_ != STRING:
        raise InvalidInput(f"{op.value} 只能用于文本列，列 {item.column} 是 {type_}。", field=item.column)
    if op is Op.IN:
        values = [item.value] if isinstance(item.value, (str, bytes)) else item.value
        if not isinstance(values, (list, tuple, set, frozenset)) or not values:
            raise InvalidInput(f"列 {item.column} 的 in 条件需要至少一个值。", field=item.column)
        if len(values) > MAX_IN_VALUES:
            raise InvalidInput(f"in 条件最多 {MAX_IN_VALUES} 个值。", field=item.column)
        value: Any = tuple(coerce(v, type_, item.column) for v in values)
    elif item.value is None:
        if op not in (Op.EQ, Op.NE):
            raise InvalidInput(f"列 {item.column} 的 {op.value} 条件需要一个值。", field=item.column)
        value = None
    else:
        value = coerce(item.value, type_, item.column)
    return Condition(item.column, type_, op, value)


def plan_read(query: RecordQuery, version: int, columns: Sequence[Column]) -> ReadPlan:
    """Check a read request against a version's columns: unknown columns, ops, values of the wrong type,
    page sizes out of range and cursors of another version or sort all raise InvalidInput naming them."""
    types = _column_types(columns)
    if isinstance(query.limit, bool) or not isinstance(query.limit, int) or not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidInput(f"每页条数须在 1 到 {MAX_LIMIT} 之间。", field="limit")
    if query.columns is None:
        selected = tuple(columns)
    else:
        if not query.columns:
            raise InvalidInput("至少选择一列。", field="columns")
        names = list(dict.fromkeys(query.columns))
        selected = tuple(Column(n, _known(types, n, "所选列")) for n in names)
    conditions = tuple(_condition(types, f) for f in query.filters)
    sort: list[SortKey] = []
    for name, direction in query.sort:
        _known(types, name, "排序")
        try:
            sort.append(SortKey(name, Direction(direction)))
        except ValueError:
            raise InvalidInput(f"排序方向须为 asc 或 desc：{direction}", field="sort") from None
    if len({k.column for k in sort}) != len(sort):
        raise InvalidInput("同一列不能重复排序。", field="sort")
    after = None
    if query.after:
        after = decode_cursor(query.after, version, tuple(sort), tuple(types[k.column] for k in sort))
    return ReadPlan(version=version, columns=selected, conditions=conditions, sort=tuple(sort), after=after,
                    limit=query.limit)


# --- the keyset cursor ------------------------------------------------------------------------------------

def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, (date, Decimal)):
        return str(value)
    return value


def encode_cursor(version: int, sort: Sequence[SortKey], values: Sequence[Any], row: int) -> str:
    """An opaque, URL-safe cursor: the version, the sort it belongs to, the last row's sort values and
    its row ordinal. It is not secret: it only holds values the reader has just been shown."""
    payload = [1, version, [[k.column, k.direction.value] for k in sort], [_jsonable(v) for v in values], row]
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, version: int, sort: tuple[SortKey, ...], types: Sequence[str]) -> Position:
    invalid = InvalidInput("翻页游标无效。", field="after")
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        tag, cursor_version, cursor_sort, values, row = json.loads(raw.decode())
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise invalid from None
    if tag != 1 or not isinstance(row, int) or isinstance(row, bool) or not isinstance(values, list):
        raise invalid
    if cursor_version != version:
        raise InvalidInput(f"翻页游标属于第 {cursor_version} 版，不是第 {version} 版。", field="after")
    if cursor_sort != [[k.column, k.direction.value] for k in sort] or len(values) != len(sort):
        raise InvalidInput("翻页游标与本次排序不一致，请从第一页重新开始。", field="after")
    typed = tuple(None if v is None else coerce(v, t, k.column) for v, t, k in zip(values, types, sort, strict=True))
    return Position(values=typed, row=row)


def cursor_version(cursor: str) -> int | None:
    """The version a cursor belongs to (paging continues on it even after a newer one is published)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        payload = json.loads(raw.decode())
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise InvalidInput("翻页游标无效。", field="after") from None
    if not isinstance(payload, list) or len(payload) != 5 or not isinstance(payload[1], int):
        raise InvalidInput("翻页游标无效。", field="after")
    return payload[1]
