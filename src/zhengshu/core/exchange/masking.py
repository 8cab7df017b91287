"""Display masking (动态脱敏) and keyed pseudonyms (假名化) of the exchange: pure functions over two tables.

How a field leaves the exchange is decided per catalogue item (信息项) from its classification — level
(核心/重要/一般, GB/T 43697-2024), personal-information sensitivity (敏感/一般/非个人信息, PIPL art. 28) and
data type — together with its *kind*, recognised from the item's name (身份证号, 手机号 …), and the grant.
There is no national standard for display masks; the kinds follow the de-facto conventions collected in
`standards-research.md` §3.4 (Hutool, RuoYi, many government systems).

**Decisions** (`DECISIONS`, the first matching row wins):

| # | when | treatment |
|---|---|---|
| 1 | the item is a secret (密码、口令、密钥) | hidden `******` |
| 2 | the grant names it pseudonymous | pseudonym (keyed SM3) |
| 3 | level 核心 | hidden `******` (never clear: no grant can release it) |
| 4 | the grant releases it in clear | clear |
| 5 | level 重要 | masked by its kind |
| 6 | sensitive personal information | masked by its kind |
| 7 | general personal information of a recognised kind | masked by its kind |
| 8 | anything else (一般, non-personal or of no recognisable kind) | clear |

"Masked by its kind" means the kind's rule below, or hidden `******` when no kind is recognised.

**Kinds** (`KINDS`, recognised when the item's name contains a keyword and its data type fits; first wins):

| kind | rule | example |
|---|---|---|
| 身份证号 | first 6 + last 4 (length kept) | 130302********1234 |
| 银行卡号 | first 6 + last 4 (length kept) | 622202*********1234 |
| 手机号 / 电话 | first 3 + last 4 (length kept) | 138****8000 |
| 邮箱 | first character of the name, `***@` and the domain | d***@126.com |
| 地址 | to the district (区县旗 in the first 12 characters), else the city, else none | 河北省秦皇岛市海港区****** |
| 出生日期 | the year only | 1990-**-** |
| 姓名 | the surname (two characters for compound surnames), `*` for the rest | 张**, 欧阳** |
| 密码 | hidden, length not kept | ****** |

Values too short for their rule (fewer than 4 characters would stay hidden) are hidden whole, length kept.
Empty values (null) stay null. A masked, hidden or pseudonymous field can never be used to filter or sort
(see `domain`): it would leak what the mask hides.

**Pseudonyms**: `HMAC-SM3(key, canonical(value))` as 64 hex characters, where canonical is NFKC, trimmed and
upper-cased text (dates in ISO form), so `13030219900101123x` and `13030219900101123X` agree. The key is
derived from the platform secret *per consuming department* (`consumer_key`): the same value gives the same
pseudonym in every resource one department reads (they join), and different ones for another department
(they do not). Subjects in the audit trail use one platform-wide key (`subject_key`), so "who read my data"
can find every read of a person by hashing their ID number once; those hashes never leave the platform.
Changing either derivation label (`…v1`) rotates the keys.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from zhengshu.kernel.subjects import derive_key, pseudonym
from zhengshu.kernel.subjects import text_of as _text

MASK = "*"
HIDDEN_TEXT = "******"
MIN_HIDDEN = 4  # a rule that would hide fewer characters than this hides the whole value


class Treatment(StrEnum):
    """How a field's values leave the exchange."""

    CLEAR = "clear"  # 原样
    MASKED = "masked"  # 部分屏蔽
    HIDDEN = "hidden"  # 完全屏蔽
    PSEUDONYM = "pseudonym"  # 假名（带密钥的 SM3）

    @property
    def title(self) -> str:
        return {"clear": "原样", "masked": "脱敏", "hidden": "屏蔽", "pseudonym": "假名"}[self.value]


@dataclass(frozen=True)
class ItemClass:
    """What masking and planning need to know about a catalogue item (信息项)."""

    name: str
    level: str = "general"  # core 核心 | important 重要 | general 一般
    personal_info: str = "none"  # sensitive 敏感个人信息 | general 一般个人信息 | none
    data_type: str = "C"  # the catalogue's letters: C 字符型, D 日期型, N 数值型 …
    is_key: bool = False  # 关键字段: locates a subject (a person, an enterprise)


# --- mask rules ---------------------------------------------------------------------------------------------

def _hide_all(text: str) -> str:
    return MASK * len(text)


@dataclass(frozen=True)
class KeepEnds:
    """Keep `head` leading and `tail` trailing characters, one `*` for each hidden one."""

    head: int
    tail: int

    def __call__(self, text: str) -> str:
        hidden = len(text) - self.head - self.tail
        if hidden < MIN_HIDDEN:
            return _hide_all(text)
        return text[: self.head] + MASK * hidden + (text[-self.tail:] if self.tail else "")


COMPOUND_SURNAMES = frozenset((
    "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "令狐", "长孙", "慕容", "宇文",
    "司徒", "司空", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "万俟", "闻人", "呼延", "澹台",
    "公冶", "宗政", "濮阳", "太叔", "申屠", "钟离", "拓跋", "百里", "东郭", "公羊", "赫连", "第五",
))


@dataclass(frozen=True)
class Surname:
    """Keep the surname: the first character, or the first two of a compound surname in a name of three or
    more; every other character becomes `*`."""

    def __call__(self, text: str) -> str:
        keep = 2 if len(text) >= 3 and text[:2] in COMPOUND_SURNAMES else 1
        if len(text) <= 1:
            return _hide_all(text)
        return text[:keep] + MASK * (len(text) - keep)


_DISTRICT = re.compile(r"^.{1,11}?(?<![小社校营])[区县旗]")
_CITY = re.compile(r"^.{1,11}(?<!超)[省市州盟](?!场)")


@dataclass(frozen=True)
class UpToDistrict:
    """Keep an address down to its district: the first 区/县/旗 ending within the first 12 characters (小区,
    社区, 校区 and 营区 do not count); without one, down to the last 省/市/州/盟 there (a county-level city);
    without that either, nothing."""

    def __call__(self, text: str) -> str:
        match = _DISTRICT.match(text) or _CITY.match(text)
        keep = match.end() if match else 0
        return text[:keep] + MASK * (len(text) - keep)


@dataclass(frozen=True)
class Email:
    """The first character of the mailbox name, then `***@` and the domain (the name's length is hidden)."""

    def __call__(self, text: str) -> str:
        name, at, domain = text.rpartition("@")
        if not at or not name or not domain:
            return HIDDEN_TEXT
        return f"{name[0]}***@{domain}"


@dataclass(frozen=True)
class YearOnly:
    """A date shown as its year: `1990-**-**`; a date written as text keeps its first four digits."""

    def __call__(self, text: str) -> str:
        if len(text) >= 8 and text[:4].isdigit():
            return text[:4] + "".join(c if c in "-/年月日 " else MASK for c in text[4:])
        return _hide_all(text)


@dataclass(frozen=True)
class Hidden:
    """Nothing shown, not even the length."""

    def __call__(self, text: str) -> str:
        return HIDDEN_TEXT


TEXT = ("C", "M")  # 字符型, 备注型
DATES = ("D", "T", "C")


@dataclass(frozen=True)
class Kind:
    """A recognisable kind of item: the keywords its name contains, the data types it has, its mask."""

    code: str
    title: str
    keywords: tuple[str, ...]
    data_types: tuple[str, ...]
    rule: KeepEnds | Surname | UpToDistrict | Email | YearOnly | Hidden
    example: tuple[str, str]  # (value, masked): documentation, and a test
    secret: bool = False  # always hidden, whatever the classification or the grant


# Order matters: the more specific kinds come first ("联系人电话" is a phone, "法定代表人身份证号" an ID number).
KINDS: tuple[Kind, ...] = (
    Kind("secret", "密码、密钥", ("密码", "口令", "密钥"), TEXT, Hidden(), ("Zs@2024pass", HIDDEN_TEXT),
         secret=True),
    Kind("id_number", "身份证号", ("身份证", "身份号码", "证件号码"), TEXT, KeepEnds(6, 4),
         ("130302199001011234", "130302********1234")),
    Kind("bank_card", "银行卡号", ("银行卡", "银行账号", "银行账户", "卡号"), TEXT, KeepEnds(6, 4),
         ("6222021234567891234", "622202*********1234")),
    Kind("phone", "手机号、电话", ("手机", "电话", "联系方式"), TEXT, KeepEnds(3, 4),
         ("13800138000", "138****8000")),
    Kind("email", "电子邮箱", ("邮箱", "电子邮件", "email", "Email", "EMAIL"), TEXT, Email(),
         ("dataoffice@126.com", "d***@126.com")),
    Kind("address", "地址", ("地址", "住址", "住所"), TEXT, UpToDistrict(),
         ("河北省秦皇岛市海港区文化路12号", "河北省秦皇岛市海港区******")),
    Kind("birth_date", "出生日期", ("出生日期", "出生年月", "生日"), DATES, YearOnly(),
         ("1990-01-01", "1990-**-**")),
    Kind("name", "姓名", ("姓名", "法定代表人", "法人代表", "负责人", "联系人"), TEXT, Surname(),
         ("张小明", "张**")),
)


def kind_of(item: ItemClass) -> Kind | None:
    """The first kind whose keyword the item's name contains and whose data types include the item's."""
    for kind in KINDS:
        if item.data_type in kind.data_types and any(k in item.name for k in kind.keywords):
            return kind
    return None


# --- decisions ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Decision:
    """A row of the decision table: every condition given must hold (None: any)."""

    reason: str
    treatment: Treatment
    secret: bool | None = None
    pseudonymous: bool | None = None
    level: str | None = None
    released: bool | None = None
    personal_info: str | None = None
    recognised: bool | None = None

    def matches(self, item: ItemClass, kind: Kind | None, pseudonymous: bool, released: bool) -> bool:
        facts = {"secret": bool(kind and kind.secret), "pseudonymous": pseudonymous, "level": item.level,
                 "released": released, "personal_info": item.personal_info, "recognised": kind is not None}
        return all(getattr(self, name) in (None, value) for name, value in facts.items())


DECISIONS: tuple[Decision, ...] = (
    Decision("密码、密钥类信息项", Treatment.HIDDEN, secret=True),
    Decision("授权约定以假名提供", Treatment.PSEUDONYM, pseudonymous=True),
    Decision("核心数据", Treatment.HIDDEN, level="core"),
    Decision("授权约定明文提供", Treatment.CLEAR, released=True),
    Decision("重要数据", Treatment.MASKED, level="important"),
    Decision("敏感个人信息", Treatment.MASKED, personal_info="sensitive"),
    Decision("可识别的一般个人信息", Treatment.MASKED, personal_info="general", recognised=True),
    Decision("一般数据", Treatment.CLEAR),
)


@dataclass(frozen=True)
class FieldPolicy:
    """How one field's values leave the exchange, and why."""

    name: str
    treatment: Treatment
    reason: str
    kind: Kind | None = None

    @property
    def readable(self) -> bool:
        """Whether the values go out as they are (only such a field may be filtered or sorted on)."""
        return self.treatment is Treatment.CLEAR


def decide(item: ItemClass, *, pseudonymous: bool = False, released: bool = False) -> FieldPolicy:
    """The treatment of an item under a grant that names it pseudonymous and/or released in clear."""
    kind = kind_of(item)
    decision = next(d for d in DECISIONS if d.matches(item, kind, pseudonymous, released))
    treatment = decision.treatment
    if treatment is Treatment.MASKED and (kind is None or isinstance(kind.rule, Hidden)):
        treatment = Treatment.HIDDEN
    return FieldPolicy(item.name, treatment, decision.reason, kind)


def mask(policy: FieldPolicy, value: Any, pseudonym_key: bytes) -> Any:
    """A value as the policy lets it out; null stays null."""
    if value is None or policy.treatment is Treatment.CLEAR:
        return value
    if policy.treatment is Treatment.PSEUDONYM:
        return pseudonym(pseudonym_key, value)
    if policy.treatment is Treatment.HIDDEN or policy.kind is None:
        return HIDDEN_TEXT
    return policy.kind.rule(_text(value))


# --- pseudonyms --------------------------------------------------------------------------------------------


def consumer_key(platform_secret: str | bytes, consumer_code: str) -> bytes:
    """The pseudonym key of one consuming department: its pseudonyms join with each other, not with others'."""
    return derive_key(platform_secret, "pseudonym", consumer_code)
