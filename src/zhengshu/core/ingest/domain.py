"""What ingestion knows without doing any I/O: the limits that keep reading bounded, the errors that name the
source, row and field of a problem, and how a source's values become text.

Everything is read as text (全部按文本读取): types come from the catalogue items later, never from guessing,
so ID numbers and phones keep their leading zeros and their X.
"""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from zhengshu.kernel.errors import InvalidInput, UpstreamFailed

BATCH_ROWS = 65_536  # rows per batch from the row-by-row readers (XLSX, JSON, database, HTTP)
ROW_LIMIT_BYTES = 16 << 20  # the longest row (record) a delimited file may have; longer is refused
FIELD_LIMIT_CHARS = 1 << 20  # the longest single value from a JSON document, a database or an API
SNIFF_BYTES = 1 << 20  # the prefix of a file read to detect its encoding, delimiter and header
REJECTED_TEXT_CHARS = 1_000  # how much of a rejected row's text is kept beside its reason
SHEET_XML_LIMIT_BYTES = 512 << 20  # an XLSX sheet's uncompressed XML; past it, save the sheet as CSV


def describe_size(n: int) -> str:
    return f"{n / (1 << 20):.0f} MiB" if n >= 1 << 20 else f"{n:,} 字节"


class SourceProblem(InvalidInput):
    """The source cannot be read as it is (数据源有误): names the source, and the row and field when known.

    `details` carries the same as data: {"source", "row", "field", "problem"}, so a report can list it.
    """

    code = "source_problem"

    def __init__(self, source: str, problem: str, *, row: int | None = None, field: str | None = None) -> None:
        where = "".join(part for part in (
            f"第 {row:,} 行" if row is not None else "",
            f"字段“{field}”" if field is not None else "") if part)
        super().__init__(f"{source}：{where + '：' if where else ''}{problem}", field=field,
                         details={"source": source, "row": row, "field": field, "problem": problem})


class SourceUnreachable(UpstreamFailed):
    """A department's database or API cannot be reached or answers with something unusable (数据源不可达)."""

    code = "source_unreachable"

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}：{problem}", details={"source": source, "problem": problem})


@dataclass(frozen=True)
class RejectedRow:
    """A source row that could not be split into the header's columns, kept with why (被拒行), never dropped.
    `text` is the row as it stands in the source, cut to REJECTED_TEXT_CHARS."""

    row: int | None
    text: str
    problem: str


def as_text(value: Any) -> str | None:
    """A source value as the text people would see: integers and decimals digit for digit, integer-valued
    floats without a trailing `.0` (a spreadsheet shows 13800138000, not 13800138000.0), dates and times in ISO
    8601, booleans as true/false, nested JSON as JSON, bytes as base64. None stays None (a missing value)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dict | list | tuple):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def column_names(raw: list[str | None], source: str, row: int) -> list[str]:
    """The header as column names: surrounding spaces trimmed, an empty header cell named 第N列 (Excel exports
    often end in empty header cells). Two columns with the same name are refused: later stages map columns by
    name, and guessing which of the two is meant would put data in the wrong place."""
    names = [(name or "").strip() or f"第{i}列" for i, name in enumerate(raw, start=1)]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            raise SourceProblem(source, f"表头中“{name}”出现了不止一次，请改为不同的列名", row=row)
        seen.add(name)
    return names


def looks_like_html(prefix: bytes) -> bool:
    """Whether a file's first bytes are a web page (an error page saved in place of the data)."""
    head = prefix[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        head.startswith(b"<") and b"<html" in head)
