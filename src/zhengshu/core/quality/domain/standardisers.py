"""Standardisers (标准化): each takes a Polars Series of text and returns the standard form of every value it
can standardise, leaving the others exactly as they were, with counts of the values changed and of the values
it could not standardise (never silently: the counts travel to the load's report).

Whole columns are processed by Polars expressions (regular expressions, slices, `replace_many`), run lazily,
and `standardise_frame` runs the columns side by side in threads, so a million-row column takes well under a
second; only the traditional → simplified conversion calls OpenCC, once per distinct value. Blank values
(empty or only spaces) become null and count as changed.

| name | what it makes |
|---|---|
| `date` | ISO `YYYY-MM-DD` from 2023-01-05, 2023年1月5日, 2023/1/5, 20230105, 2023.01.05 and Excel day numbers |
| `id_number` | 18-character 公民身份号码: spaces out, full-width → half-width, 15 → 18 digits, upper-case X |
| `credit_code` | 统一社会信用代码 (GB 32100), upper-case, half-width, no spaces |
| `phone` | mobiles as `13812345678` (+86 and separators dropped), landlines as `0335-1234567` |
| `name` | names of people and organisations: half-width, simplified characters, stray spaces out |
| `address` | half-width, simplified, no spaces, `12#` → `12号`, completed to 河北省秦皇岛市<区县> |
| `text` | half-width, simplified, trimmed |
| `sex`, `marital_status`, `industry` | the code table's stored name (男, 已婚, 制造业) |
| `sex_code`, … | the code (1, 20, C) |
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache

import polars as pl
from opencc import OpenCC

from zhengshu.core.quality.domain import checks
from zhengshu.core.quality.domain.code_tables import code_table

FULL_WIDTH = {chr(c + 0xFEE0): chr(c) for c in range(0x21, 0x7F)} | {"\u3000": " "}
_T2S = OpenCC("t2s")
DEFAULT_AREA_CODE = "0335"  # 秦皇岛: a 7- or 8-digit local landline gets it


@dataclass(frozen=True)
class Standardised:
    """A standardised column and what happened to it."""

    series: pl.Series
    changed: int  # values now different from the input
    unfixable: int  # non-blank values left as they were because no standard form was found


def half_width(s: pl.Series) -> pl.Series:
    return s.str.replace_many(FULL_WIDTH)


def simplified(s: pl.Series) -> pl.Series:
    """Traditional → simplified characters with OpenCC, converting each distinct non-ASCII value once."""
    distinct = s.filter(s.str.contains(r"[^\x00-\x7F]")).unique().drop_nulls()
    if distinct.is_empty():
        return s
    converted = pl.Series([_T2S.convert(v) for v in distinct.to_list()], dtype=pl.String)
    mapping = dict(zip(distinct.to_list(), converted.to_list(), strict=True))
    return s.replace(mapping)


def _compute(expr: pl.Expr, **columns: pl.Series) -> pl.Series:
    """One expression over named series, run lazily so that Polars computes shared sub-expressions once."""
    return pl.LazyFrame(columns).select(expr).collect().to_series()


def _blank_to_null(s: pl.Series) -> pl.Series:
    return pl.select(pl.when(s.str.strip_chars() == "").then(None).otherwise(s)).to_series().alias(s.name)


def _result(original: pl.Series, new: pl.Series, ok: pl.Series | None = None, *,
            keep_failed: bool = False) -> Standardised:
    """Keep `new` where `ok` (all where None), the original elsewhere (or `new` too, with `keep_failed`: a
    normalised value that is still not fully standard); count the changes and failures."""
    frame = pl.DataFrame({"old": original, "new": new, "ok": ok if ok is not None else pl.repeat(True, len(new),
                                                                                                  eager=True)})
    frame = frame.with_columns(pl.col("ok").fill_null(False))
    blank = pl.col("old").is_null() | (pl.col("old").str.strip_chars() == "")
    out = frame.select(
        value=pl.when(blank).then(None).when(pl.col("ok") | keep_failed).then(pl.col("new"))
        .otherwise(pl.col("old")),
        failed=~blank & ~pl.col("ok"),
    )
    value = out["value"].alias(original.name)
    changed = int((value.ne_missing(original)).sum())
    return Standardised(value, changed, int(out["failed"].sum()))


def _clean(s: pl.Series) -> pl.Series:
    return half_width(s.cast(pl.String)).str.strip_chars()


# --- dates ------------------------------------------------------------------------------------------------------

_YMD = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"


def standardise_dates(s: pl.Series) -> Standardised:
    """ISO dates from every form departments write; impossible dates (2023-02-30) are left and counted."""
    text = _clean(s)
    parts = text.str.extract_groups(_YMD)
    separated = pl.concat_str([parts.struct.field("1"), pl.lit("-"), parts.struct.field("2").str.zfill(2), pl.lit("-"),
                               parts.struct.field("3").str.zfill(2)])
    serial = text.str.extract(r"^(\d{3,5})(?:\.0+)?$").cast(pl.Int64, strict=False)
    iso = _compute(
        pl.when(pl.col("sep").is_not_null()).then(pl.col("sep"))
        .when(pl.col("t").str.contains(r"^\d{8}$"))
        .then(pl.concat_str([pl.col("t").str.slice(0, 4), pl.lit("-"), pl.col("t").str.slice(4, 2), pl.lit("-"),
                             pl.col("t").str.slice(6, 2)]))
        # Excel day numbers (1900 date system); 1900–2100 are more likely bare years, and stay unfixed
        .when(pl.col("serial").is_not_null() & ~pl.col("serial").is_between(1900, 2100))
        .then((pl.date(1899, 12, 30) + pl.duration(days=pl.col("serial"))).dt.to_string("%Y-%m-%d")),
        t=text, sep=pl.select(separated).to_series(), serial=serial)
    ok = iso.str.to_date("%Y-%m-%d", strict=False).is_not_null()
    return _result(s, iso, ok)


# --- identifiers ------------------------------------------------------------------------------------------------


def standardise_id_numbers(s: pl.Series) -> Standardised:
    """18-character ID numbers; ones still invalid after the mechanical fixes are left and counted."""
    text = _clean(s).str.replace_all(r"\s+", "").str.to_uppercase()
    new = _compute(pl.when(pl.col("t").str.contains(r"^\d{15}$")).then(checks.upgrade_15(pl.col("t")))
                   .otherwise(pl.col("t")), t=text)
    ok = _compute(checks.id_number_valid(pl.col("n")), n=new)
    return _result(s, new, ok)


def standardise_credit_codes(s: pl.Series) -> Standardised:
    text = _clean(s).str.replace_all(r"\s+", "").str.to_uppercase()
    ok = _compute(checks.credit_code_valid(pl.col("t")), t=text)
    return _result(s, text, ok)


# --- phones -----------------------------------------------------------------------------------------------------


def standardise_phones(s: pl.Series, default_area_code: str = DEFAULT_AREA_CODE) -> Standardised:
    """Mobiles as 11 digits; landlines as area code, hyphen, number (a local number gets `default_area_code`)."""
    digits = (_clean(s).str.replace_all(r"[\s\-()（）]", "").str.replace(r"^(?:\+86|0086)", "")
              .str.replace(r"^86(1[3-9]\d{9})$", "${1}"))
    three = pl.col("d").str.contains(r"^0(?:10|2\d)\d{7,8}$")  # Beijing and the 02x areas have 3-digit codes
    new = _compute(
        pl.when(pl.col("d").str.contains(r"^1[3-9]\d{9}$")).then(pl.col("d"))
        .when(three).then(pl.concat_str([pl.col("d").str.slice(0, 3), pl.lit("-"), pl.col("d").str.slice(3)]))
        .when(pl.col("d").str.contains(r"^0[3-9]\d{2}\d{7,8}$"))
        .then(pl.concat_str([pl.col("d").str.slice(0, 4), pl.lit("-"), pl.col("d").str.slice(4)]))
        .when(pl.col("d").str.contains(r"^[2-8]\d{6,7}$")).then(pl.lit(default_area_code + "-") + pl.col("d")),
        d=digits)
    return _result(s, new, new.is_not_null())


# --- names, addresses, text -------------------------------------------------------------------------------------


def _plain_text(s: pl.Series) -> pl.Series:
    return simplified(_clean(s))


def standardise_names(s: pl.Series) -> Standardised:
    """Names: spaces removed where the name is Chinese, collapsed to one where it has Latin letters."""
    text = _plain_text(s)
    new = _compute(
        pl.when(pl.col("t").str.contains(r"[A-Za-z]")).then(pl.col("t").str.replace_all(r"\s+", " "))
        .otherwise(pl.col("t").str.replace_all(r"\s+", "")), t=text)
    return _result(s, new)


def standardise_text(s: pl.Series) -> Standardised:
    return _result(s, _plain_text(s))


@cache
def _district_pattern() -> tuple[str, dict[str, str], dict[str, str], str]:
    table = code_table("districts")
    spellings = {spelling: e for e in table.entries for spelling in (e.name, *e.aliases)}
    alternatives = "|".join(re.escape(a) for a in sorted(spellings, key=len, reverse=True))
    prefix = re.escape(table.extra["province"]), re.escape(table.extra["city"])
    pattern = rf"^(?:{prefix[0]})?(?:{prefix[1]})?({alternatives})(.*)$"
    names = {a: e.name for a, e in spellings.items()}
    codes = {a: e.code for a, e in spellings.items()}
    return pattern, names, codes, table.extra["province"] + table.extra["city"]


def _address_text(s: pl.Series) -> pl.Series:
    return _plain_text(s).str.replace_all(r"\s+", "").str.replace_all(r"(\d)#", "${1}号")


def standardise_addresses(s: pl.Series) -> Standardised:
    """Normalised text, completed to 河北省秦皇岛市<区县>… when a district of the city is named; an address
    where none is recognised keeps the normalised text and is counted as not standardised."""
    pattern, names, _, head = _district_pattern()
    text = _address_text(s)
    parts = text.str.extract_groups(pattern)
    district = parts.struct.field("1").replace_strict(names, default=None, return_dtype=pl.String)
    full = pl.select(pl.concat_str([pl.lit(head), district, parts.struct.field("2")])).to_series()
    new = pl.select(pl.coalesce(full, text)).to_series()
    return _result(s, new, full.is_not_null(), keep_failed=True)


def address_district(s: pl.Series) -> pl.Series:
    """The GB/T 2260 code of the city's district an address names (null when none is recognised)."""
    pattern, _, codes, _ = _district_pattern()
    return _address_text(s).str.extract(pattern, 1).replace_strict(codes, default=None, return_dtype=pl.String)


# --- code tables ------------------------------------------------------------------------------------------------


def standardise_codes(s: pl.Series, table: str, to: str = "name") -> Standardised:
    """A code table's stored name (`to="name"`) or code (`to="code"`) from any spelling it knows."""
    spellings = code_table(table).spellings(to)
    key = _plain_text(s).str.replace_all(r"\s+", "").str.to_uppercase()
    new = key.replace_strict(spellings, default=None, return_dtype=pl.String)
    return _result(s, new, new.is_not_null())


# --- the registry -----------------------------------------------------------------------------------------------

Standardiser = Callable[[pl.Series], Standardised]

STANDARDISERS: dict[str, Standardiser] = {
    "date": standardise_dates,
    "id_number": standardise_id_numbers,
    "credit_code": standardise_credit_codes,
    "phone": standardise_phones,
    "name": standardise_names,
    "address": standardise_addresses,
    "text": standardise_text,
    **{t: (lambda s, t=t: standardise_codes(s, t, "name")) for t in ("sex", "marital_status", "industry")},
    **{f"{t}_code": (lambda s, t=t: standardise_codes(s, t, "code")) for t in ("sex", "marital_status", "industry")},
}

# Item-name words → standardiser, most specific first: the suggestion for a catalogue item.
_SUGGESTIONS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("公民身份号码", "身份证号", "身份证件号", "证件号码", "身份号码"), "id_number"),
    (("统一社会信用代码", "信用代码", "纳税人识别号"), "credit_code"),
    (("电话", "手机", "联系方式"), "phone"),
    (("性别",), "sex"),
    (("婚姻",), "marital_status"),
    (("行业",), "industry"),
    (("地址", "住址", "住所", "坐落", "地点"), "address"),
    (("日期", "时间"), "date"),
    (("姓名", "名称", "法定代表人", "权利人", "户名", "负责人", "监护人", "单位", "企业", "机构"), "name"),
)


def suggest_standardiser(item_name: str, data_type: str = "C") -> str | None:
    """The standardiser an item's name (or date type) suggests: 公民身份号码/身份证号 → id_number, …"""
    if data_type.upper() == "D":
        return "date"
    for words, name in _SUGGESTIONS:
        if any(w in item_name for w in words):
            return name
    return None


def standardise_frame(frame: pl.DataFrame, mapping: dict[str, str]) -> tuple[pl.DataFrame, dict[str, Standardised]]:
    """Each mapped column standardised by its standardiser; columns not in the frame are skipped.

    The columns are standardised side by side in threads (Polars releases the GIL while it computes, and a
    one-column expression would otherwise keep one core busy)."""
    work = {column: name for column, name in mapping.items() if column in frame.columns}
    with ThreadPoolExecutor(max_workers=max(1, min(len(work), os.cpu_count() or 1))) as pool:
        done = {column: pool.submit(STANDARDISERS[name], frame[column]) for column, name in work.items()}
        report = {column: future.result() for column, future in done.items()}
    return frame.with_columns([r.series for r in report.values()]), report
