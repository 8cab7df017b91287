"""What ingestion knows without doing any I/O: the limits that keep reading bounded, the errors that name the
source, row and field of a problem, and how a source's values become text.

Everything is read as text (全部按文本读取): types come from the catalogue items later, never from guessing,
so ID numbers and phones keep their leading zeros and their X.
"""

from __future__ import annotations

import base64
import json
import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import StrEnum
from typing import Any

import polars as pl

from zhengshu.kernel.errors import InvalidInput, UpstreamFailed
from zhengshu.kernel.identifiers import is_valid_credit_code, is_valid_id_number

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


# --- loading (加载): policy, mapping source columns to catalogue items, types from the items ---------------------

class LoadPolicy(StrEnum):
    """What a load does with rows that break a rejecting rule (or cannot be read, or have the wrong type)."""

    QUARANTINE = "quarantine"  # 隔离: load the valid rows, keep the rejected ones with their reasons
    ALL_OR_NOTHING = "all_or_nothing"  # 全部或不加载: any rejected row refuses the whole load

    @property
    def title(self) -> str:
        return {"quarantine": "加载有效行，隔离问题行", "all_or_nothing": "有问题行则整批不加载"}[self.value]


def parse_policy(value: str | None) -> LoadPolicy:
    try:
        return LoadPolicy((value or LoadPolicy.QUARANTINE.value).strip())
    except ValueError:
        choices = "、".join(p.value for p in LoadPolicy)
        raise InvalidInput(f"未知的加载策略：{value}（可用：{choices}）", field="policy") from None


# Source headers that name the same thing as a catalogue item (一数多名): each group is one meaning.
SYNONYMS: tuple[frozenset[str], ...] = tuple(frozenset(group) for group in (
    ("公民身份号码", "身份证号", "身份证号码", "身份证件号码", "证件号码", "居民身份证号码"),
    ("统一社会信用代码", "信用代码", "社会信用代码"),
    ("姓名", "名字", "人员姓名"),
    ("手机号", "手机号码", "联系电话", "电话", "电话号码", "联系方式"),
    ("出生日期", "出生年月日", "生日"),
    ("户籍地址", "户籍地", "户口所在地"),
    ("企业名称", "单位名称", "市场主体名称"),
))
_NOISE = re.compile(r"[\s_\-·•（）()【】\[\]:：]+")


def _normal(name: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", name)).lower()


# What an item's name says it holds, for matching a column by its values (映射建议：按内容).
KIND_WORDS: Mapping[str, tuple[str, ...]] = {
    "id_number": ("公民身份号码", "身份证", "证件号码"), "credit_code": ("信用代码", "纳税人识别号"),
    "bank_card": ("银行卡", "银行账号", "卡号"), "mobile": ("手机", "电话", "联系方式"), "landline": ("电话", "座机"),
    "email": ("邮箱", "电子邮件"), "address": ("地址", "住址", "住所", "坐落"), "person_name": ("姓名", "名字"),
}


def suggest_mapping(columns: Sequence[str], items: Sequence[str],
                    kinds: Mapping[str, str] | None = None) -> dict[str, str]:
    """Source column → catalogue item (映射建议), from the names: the same name, then the same after width,
    spaces and brackets are normalised (`单位名称（全称）`), then a known synonym; then, for the columns still
    unmatched, from their values: a column whose values are ID numbers (`kinds`, from discovery) goes to the
    item whose name says it holds ID numbers. Each item is taken once."""
    taken: set[str] = set()
    mapping: dict[str, str] = {}
    normal_items = {_normal(i): i for i in items}
    for column in columns:
        target = column if column in items else normal_items.get(_normal(column))
        if target is None:
            group = next((g for g in SYNONYMS if column in g or _normal(column) in {_normal(n) for n in g}), None)
            target = next((i for i in items if group and i in group), None)
        if target is not None and target not in taken:
            mapping[column] = target
            taken.add(target)
    for column, kind in (kinds or {}).items():
        if column in mapping or column not in columns:
            continue
        words = KIND_WORDS.get(kind, ())
        target = next((i for i in items if i not in taken and any(w in i for w in words)), None)
        if target is not None:
            mapping[column] = target
            taken.add(target)
    return mapping


def check_mapping(mapping: Mapping[str, str], columns: Sequence[str], items: Sequence[str],
                  source: str) -> dict[str, str]:
    """A mapping that names real source columns and catalogue items, each item at most once, at least one."""
    unknown_columns = [c for c in mapping if c not in columns]
    if unknown_columns:
        raise SourceProblem(source, f"映射中的源列不存在：{'、'.join(unknown_columns)}（源列：{'、'.join(columns)}）")
    unknown_items = sorted({i for i in mapping.values() if i not in items})
    if unknown_items:
        raise InvalidInput(f"映射的目标不是资源的信息项：{'、'.join(unknown_items)}", field="mapping")
    targets = list(mapping.values())
    twice = sorted({i for i in targets if targets.count(i) > 1})
    if twice:
        raise InvalidInput(f"信息项被映射了不止一次：{'、'.join(twice)}", field="mapping")
    if not mapping:
        raise SourceProblem(source, f"源表头与资源的信息项没有一列能对应（源列：{'、'.join(columns)}；"
                                    f"信息项：{'、'.join(items)}），请给出映射")
    return dict(mapping)


def parse_mapping_pairs(pairs: Sequence[str]) -> dict[str, str]:
    """`源列=信息项` pairs as typed on the command line."""
    mapping = {}
    for pair in pairs:
        column, sep, item = pair.partition("=")
        if not sep or not column.strip() or not item.strip():
            raise InvalidInput(f"映射须写作 源列=信息项：{pair}", field="mapping")
        mapping[column.strip()] = item.strip()
    return mapping


# Catalogue data types (GB/T 21063.3 信息项数据类型) → how a version stores them. 字符/备注/通用 stay text.
CASTS: Mapping[str, tuple[str, str]] = {  # type → (polars type name, how people call it)
    "N": ("float", "数值"), "Y": ("float", "货币金额"), "F": ("float", "浮点数"), "B": ("float", "双精度数"),
    "I": ("int", "整数"), "L": ("bool", "逻辑值（是/否）"), "D": ("date", "日期（YYYY-MM-DD）"),
    "T": ("datetime", "日期时间"),
}
TRUE_WORDS = ("是", "true", "1", "y", "yes", "有")
FALSE_WORDS = ("否", "false", "0", "n", "no", "无")


def _cast(column: pl.Expr, kind: str) -> pl.Expr:
    text = column.str.strip_chars()
    if kind == "float":
        return text.str.replace_all(",", "").cast(pl.Float64, strict=False)
    if kind == "int":
        return text.str.replace_all(",", "").cast(pl.Int64, strict=False)
    if kind == "bool":
        lower = text.str.to_lowercase()
        return pl.when(lower.is_in(TRUE_WORDS)).then(True).when(lower.is_in(FALSE_WORDS)).then(False) \
            .otherwise(None)
    if kind == "date":
        return text.str.to_date("%Y-%m-%d", strict=False)
    return text.str.replace("T", " ").str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)


def typed(frame: pl.DataFrame, item_types: Mapping[str, str], row_column: str) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each item's column in the type its catalogue data type says, and a violation (rule `type`, rejecting)
    for every value that is there but is not of that type — never a guess, never a silent null."""
    casts, problems = [], []
    for name, data_type in item_types.items():
        kind, title = CASTS.get(data_type.upper(), ("text", "文本"))
        if kind == "text" or name not in frame.columns:
            continue
        value = _cast(pl.col(name), kind)
        casts.append(value.alias(name))
        bad = frame.filter(pl.col(name).is_not_null() & (pl.col(name).str.strip_chars() != "")
                           & value.is_null())
        if bad.height:
            problems.append(bad.select(
                pl.col(row_column).cast(pl.Int64).alias("row"), pl.lit(name).alias("field"),
                pl.col(name).alias("value"), pl.lit("type").alias("rule_id"), pl.lit("规范性").alias("dimension"),
                pl.lit("reject").alias("severity"), pl.lit(f"{name}不是{title}").alias("message")))
    violations = pl.concat(problems) if problems else pl.DataFrame(schema=TYPE_VIOLATION_SCHEMA)
    return (frame.with_columns(casts) if casts else frame), violations


TYPE_VIOLATION_SCHEMA = {"row": pl.Int64, "field": pl.String, "value": pl.String, "rule_id": pl.String,
                         "dimension": pl.String, "severity": pl.String, "message": pl.String}


# --- sensitive-data discovery (敏感数据识别) ----------------------------------------------------------------------

@dataclass(frozen=True)
class SensitiveKind:
    kind: str
    title: str
    level: str  # core / important / general (GB/T 43697)
    personal_info: str  # sensitive / general / none
    pattern: re.Pattern[str] | None = None
    check: str | None = None  # id_number, credit_code, luhn, person_name


@dataclass(frozen=True)
class Dictionary:
    """The versioned dictionary of `seed/sensitive_data.json`."""

    version: str
    kinds: tuple[SensitiveKind, ...]
    min_share: float
    sample: int
    surnames: frozenset[str]


def parse_dictionary(data: Mapping[str, Any]) -> Dictionary:
    kinds = tuple(SensitiveKind(kind=k["kind"], title=k["title"], level=k["level"], personal_info=k["personal_info"],
                                pattern=re.compile(k["pattern"]) if k.get("pattern") else None, check=k.get("check"))
                  for k in data["kinds"])
    return Dictionary(data["version"], kinds, float(data["min_share"]), int(data["sample"]),
                      frozenset(data["surnames"]))


@dataclass(frozen=True)
class Finding:
    """What a column's values look like: the kind most of them match, the share, and the proposal."""

    item: str
    kind: str
    title: str
    share: float
    level: str
    personal_info: str


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _matches(kind: SensitiveKind, value: str, surnames: frozenset[str]) -> bool:
    if kind.pattern is not None and not kind.pattern.search(value):
        return False
    if kind.check == "id_number":
        return is_valid_id_number(value.upper())
    if kind.check == "credit_code":
        return is_valid_credit_code(value.upper())
    if kind.check == "luhn":
        return _luhn(value)
    if kind.check == "person_name":
        return 2 <= len(value) <= 4 and value[0] in surnames and all("\u4e00" <= c <= "\u9fff" for c in value)
    return kind.pattern is not None


def discover(frame: pl.DataFrame, items: Sequence[str], dictionary: Dictionary) -> list[Finding]:
    """For each item column, the dictionary kind that at least `min_share` of a sample of its values match
    (the first kind that does, in the dictionary's order — the most specific first); values, not names, decide."""
    findings = []
    for item in items:
        if item not in frame.columns:
            continue
        values = [str(v).strip() for v in frame[item].drop_nulls().head(dictionary.sample).to_list() if str(v).strip()]
        if not values:
            continue
        for kind in dictionary.kinds:
            share = sum(_matches(kind, v, dictionary.surnames) for v in values) / len(values)
            if share >= dictionary.min_share:
                findings.append(Finding(item, kind.kind, kind.title, round(share, 3), kind.level, kind.personal_info))
                break
    return findings


LEVEL_RANK = {"general": 0, "important": 1, "core": 2}
PERSONAL_RANK = {"none": 0, "general": 1, "sensitive": 2}


def proposals(findings: Sequence[Finding], current: Mapping[str, tuple[str, str]]) -> list[dict[str, Any]]:
    """The findings that would raise an item's level or personal-information sensitivity (就高从严: discovery
    never proposes lowering what an officer set)."""
    out = []
    for f in findings:
        level, personal = current[f.item]
        new_level = f.level if LEVEL_RANK[f.level] > LEVEL_RANK[level] else level
        new_personal = f.personal_info if PERSONAL_RANK[f.personal_info] > PERSONAL_RANK[personal] else personal
        if (new_level, new_personal) != (level, personal):
            out.append({"item": f.item, "kind": f.title, "share": f.share, "level": level, "personal_info": personal,
                        "proposed_level": new_level, "proposed_personal_info": new_personal})
    return out
