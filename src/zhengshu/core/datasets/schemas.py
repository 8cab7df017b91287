"""Shapes at the edges of the dataset store: the views services return and the JSON API sends, and the read
request as it comes in URL parameters."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from zhengshu.core.datasets.domain import DEFAULT_LIMIT, Filter, Op, RecordQuery
from zhengshu.kernel.errors import InvalidInput


class ColumnView(BaseModel):
    name: str
    type: str = Field(description="string、int64、float64、bool、date、timestamp 或 decimal(p,s)")


class DatasetView(BaseModel):
    code: str = Field(description="数据集代码")
    name: str = Field(description="数据集名称")
    owner_code: str = Field(description="所属部门代码")
    current_version: int | None = Field(description="当前（已发布）版本号")
    current_row_count: int | None = Field(description="当前版本的行数")
    created_at: datetime


class VersionView(BaseModel):
    dataset_code: str
    version: int
    status: str = Field(description="writing 写入中、ready 就绪、failed 失败")
    status_title: str
    row_count: int
    columns: list[ColumnView]
    content_hash: str = Field(description="版本 Parquet 文件的 SM3 摘要（十六进制）")
    path: str = Field(description="版本目录，相对于数据目录")
    failure: str | None = None
    created_at: datetime
    created_by: str
    current: bool = Field(description="是否为数据集的当前版本")
    reused: bool = Field(False, description="写入的内容与这个已有版本完全相同，未新建版本")


class RecordPage(BaseModel):
    dataset_code: str
    version: int
    columns: list[ColumnView]
    rows: list[dict[str, Any]]
    next: str | None = Field(description="下一页的游标（after 参数）；没有下一页时为 null")


def parse_sort(text: str) -> tuple[tuple[str, str], ...]:
    """`姓名,-出生日期` → ((姓名, asc), (出生日期, desc))."""
    keys = []
    for part in text.split(","):
        name = part.strip()
        if not name:
            continue
        keys.append((name[1:], "desc") if name.startswith("-") else (name.removeprefix("+"), "asc"))
    return tuple(keys)


_PARAM = re.compile(r"^(?P<column>[^\[\]]+)\[(?P<op>[a-z]+)\]$")


def query_from_params(params: Iterable[tuple[str, str]]) -> RecordQuery:
    """A read request from URL parameters: `columns=a,b`, `sort=a,-b`, `after=<cursor>`, `limit=50`,
    `version=3`, and filters `列=值` (eq) or `列[op]=值`, `列[in]=值1&列[in]=值2`. A column whose name is
    one of the reserved words is filtered as `列[eq]=值`."""
    columns: tuple[str, ...] | None = None
    sort: tuple[tuple[str, str], ...] = ()
    after: str | None = None
    limit, version = DEFAULT_LIMIT, None
    filters: list[Filter] = []
    in_values: dict[str, list[str]] = {}
    for key, value in params:
        if key == "columns":
            columns = tuple(n.strip() for n in value.split(",") if n.strip())
        elif key == "sort":
            sort = parse_sort(value)
        elif key == "after":
            after = value or None
        elif key in ("limit", "version"):
            try:
                number = int(value)
            except ValueError:
                raise InvalidInput(f"{key} 须为整数。", field=key) from None
            if key == "limit":
                limit = number
            else:
                version = number
        else:
            match = _PARAM.fullmatch(key)
            column, op = (match["column"], match["op"]) if match else (key, Op.EQ.value)
            if op == Op.IN.value:
                in_values.setdefault(column, []).append(value)
            else:
                filters.append(Filter(column, op, value))
    filters.extend(Filter(column, Op.IN.value, values) for column, values in in_values.items())
    return RecordQuery(columns=columns, filters=tuple(filters), sort=sort, after=after, limit=limit,
                       version=version)


class SweepResult(BaseModel):
    """What a sweep cleaned: abandoned versions (`code vN`, now failed) and staging folders removed."""

    versions: list[str]
    folders: list[str]
