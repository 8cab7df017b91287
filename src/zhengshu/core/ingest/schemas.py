"""A source described as data (数据源描述): what a saved source will store, and what a preview shows.

`SourceSpec.for_location` builds one from what a person types (a file path, an http(s) URL or a SQLAlchemy
database URL), taking the kind from the file suffix or the URL scheme.
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

SourceKind = Literal["csv", "xlsx", "json", "jsonl", "database", "http"]
SUFFIX_KINDS = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx", ".json": "json",
                ".jsonl": "jsonl", ".ndjson": "jsonl", ".sqlite": "database", ".sqlite3": "database",
                ".db": "database"}
DELIMITERS = (",", "\t", ";", "|")


class Paging(BaseModel):
    """How an HTTP API hands out its records page by page (分页).

    - `none`: one request returns everything;
    - `page`: `page_param` counts pages from `first_page`, `size_param` asks for `page_size` records;
    - `offset`: `offset_param` counts records from 0, `size_param` asks for `page_size`;
    - `cursor`: the answer's `next_path` field holds the cursor sent back as `cursor_param`;
    - `link`: the answer's `next_path` field (or, when it is empty, the `Link: rel="next"` header) holds the
      next page's URL.

    Paging stops at an empty page, a short page (`page`/`offset`), a missing cursor or link, or `max_pages`.
    """

    model_config = ConfigDict(extra="forbid")

    mode: Literal["none", "page", "offset", "cursor", "link"] = "none"
    page_param: str = "page"
    first_page: int = 1
    offset_param: str = "offset"
    size_param: str = "size"
    page_size: int = Field(default=500, ge=1, le=100_000)
    cursor_param: str = "cursor"
    next_path: str = "next"
    max_pages: int = Field(default=10_000, ge=1)


class SourceSpec(BaseModel):
    """One department source. `location` is a file path, an http(s) URL, or a SQLAlchemy database URL."""

    model_config = ConfigDict(extra="forbid")

    kind: SourceKind
    location: str = Field(min_length=1, max_length=4_000)
    encoding: str | None = None  # CSV: override the detected encoding (utf-8, utf-8-sig, gbk, gb18030, utf-16)
    delimiter: str | None = None  # CSV: override the sniffed delimiter
    sheet: str | None = None  # XLSX: the sheet's name; default the first sheet that has a header
    header_row: int | None = Field(default=None, ge=1)  # XLSX/CSV: the header's row number (1-based)
    table: str | None = None  # database: a table (optionally schema.table) ...
    query: str | None = None  # ... or one SELECT statement
    records_path: str | None = None  # JSON/HTTP: dotted path to the list of records, e.g. "data" or "result.rows"
    paging: Paging = Paging()
    timeout_seconds: float = Field(default=30.0, gt=0, le=600)  # HTTP and database connect timeouts
    headers: dict[str, str] = Field(default_factory=dict)  # HTTP request headers (an API key, say)

    @field_validator("encoding")
    @classmethod
    def _known_encoding(cls, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(f"未知的字符编码：{value}") from None
        return value.lower()

    @field_validator("delimiter")
    @classmethod
    def _one_character(cls, value: str | None) -> str | None:
        if value is not None and (len(value) != 1 or value in "\"\r\n"):
            raise ValueError("分隔符必须是一个字符，且不能是引号或换行")
        return value

    @model_validator(mode="after")
    def _what_the_kind_needs(self) -> SourceSpec:
        if self.kind == "database" and (self.table is None) == (self.query is None):
            raise ValueError("数据库数据源需要给出表名（table）或查询语句（query），二者选一")
        if self.kind == "http" and not self.location.startswith(("http://", "https://")):
            raise ValueError("接口数据源的地址必须以 http:// 或 https:// 开头")
        return self

    @classmethod
    def for_location(cls, location: str, **options: object) -> SourceSpec:
        """The spec for what a person typed: an http(s) URL is an API, `scheme://` a database URL, a path a
        file whose suffix says its kind (a .sqlite/.db file is opened as a SQLite database)."""
        given = {k: v for k, v in options.items() if v is not None}
        if "kind" not in given:
            if location.startswith(("http://", "https://")):
                given["kind"] = "http"
            elif "://" in location:
                given["kind"] = "database"
            else:
                kind = SUFFIX_KINDS.get(Path(location).suffix.lower())
                if kind is None:
                    raise ValueError(f"无法从文件名判断数据源类型：{Path(location).name}"
                                     "（支持 .csv .txt .tsv .xlsx .json .jsonl .sqlite .db）")
                given["kind"] = kind
        if given["kind"] == "database" and "://" not in location:
            location = f"sqlite:///{Path(location).resolve()}"
        return cls.model_validate({"location": location, **given})

    @property
    def display_name(self) -> str:
        """How messages name the source: a file's name, an API's URL without its query string, a database URL
        without its password."""
        if self.kind in ("csv", "xlsx", "json", "jsonl"):
            return Path(self.location).name
        if self.kind == "http":
            return self.location.split("?", 1)[0]
        url = re.sub(r"(://[^:/@]*):[^@]*@", r"\1:***@", self.location)
        return f"{url}（{self.table or '查询'}）"


class SourcePreview(BaseModel):
    """The first rows of a source as text, and what was detected while reading it (预览)."""

    source: str
    kind: SourceKind
    columns: list[str]
    rows: list[list[str | None]]
    row_numbers: list[int]  # the source row number of each row shown
    detected: dict[str, str]  # encoding, delimiter, sheet, header_row, ... as found or as given
    rejected: list[dict[str, object]]  # rows met while reading the preview that could not be split into columns


class LoadView(BaseModel):
    """One load (一次加载) as people see it."""

    load_id: str
    resource_code: str
    source: str
    policy: str
    status: str  # queued, running, loaded, refused, failed
    status_title: str
    stage: str = ""  # while running: 读取, 标准化, 校验, 写入
    progress_rows: int = 0
    rows_read: int
    rows_loaded: int
    rows_rejected: int
    dataset_code: str | None
    version: int | None
    reused: bool
    rejected_path: str | None
    message: str
    started_at: datetime
    finished_at: datetime | None
    started_by: str
    mapping: dict[str, str] = Field(default_factory=dict)
    standardised: dict[str, int] = Field(default_factory=dict)  # item → values changed by its standardiser
    problems: list[dict[str, Any]] = Field(default_factory=list)  # the commonest reasons rows were rejected
    discoveries: list[dict[str, Any]] | None = None  # classification proposals found in the values


class SavedSource(BaseModel):
    resource_code: str
    source: SourceSpec
    mapping: dict[str, str]
    policy: str


class CorrectionView(BaseModel):
    """A correction task (校核纠错) of a providing department."""

    id: int
    resource_code: str
    resource_name: str = ""
    provider_code: str
    origin: str  # load, consumer
    origin_title: str
    problem: str
    rows: int
    load_id: str | None
    record_key: str | None
    reported_by: str | None
    status: str  # open, closed
    due_on: date
    overdue: bool
    opened_at: datetime
    closed_at: datetime | None
    closing_note: str


class ErrorReport(BaseModel):
    """A consumer's report of a wrong record (数据纠错): which record (its key value) and what is wrong."""

    model_config = ConfigDict(extra="forbid")

    record_key: str = Field(default="", max_length=200, description="记录的关键字段值，如统一社会信用代码")
    description: str = Field(min_length=2, max_length=2000, description="错误说明：哪个字段错了，正确的是什么")
