"""A resource's code (信息资源代码 = 分类码 + 顺序码) and its core metadata (核心元数据): classification,
format, information items (信息项), sharing and opening attributes, update cycle, related codes, owner. Each
field is checked as it is made; `check_consistency` holds the rules between fields; `missing_for_publication`
says what a draft still lacks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from zhengshu.core.catalog.domain.values import (
    MODES_FOR_FORMAT,
    DataType,
    Directory,
    FormatType,
    Level,
    OpeningType,
    PersonalInfo,
    SharingMode,
    SharingType,
    UpdateCycle,
)
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.identifiers import is_valid_credit_code

# --- the resource code: 分类码 (类 1 digit + 项 2 + 目 3 + 细目 0–6) + "-" + 顺序码 (at least 4 digits) ---------
# The 指南 writes 前段码/后段码; "/" cannot sit in one URL path segment, so the two parts are joined by "-".

SECTION = re.compile(r"^\d{2}$")
HEADING = re.compile(r"^\d{3}$")
SUBHEADING = re.compile(r"^\d{0,6}$")
CODE = re.compile(r"^(?P<classification>[1-3]\d{5}\d{0,6})-(?P<sequence>\d{4,9})$")
SEQUENCE_WIDTH = 4


@dataclass(frozen=True)
class Classification:
    """信息资源分类: the directory (类) and the 项、目、细目 codes below it."""

    directory: Directory
    section: str  # 项, 2 digits
    heading: str  # 目, 3 digits
    subheading: str = ""  # 细目, 0–6 digits

    @property
    def code(self) -> str:
        """分类码."""
        return f"{self.directory.digit}{self.section}{self.heading}{self.subheading}"


def make_classification(directory: str, section: str, heading: str, subheading: str = "") -> Classification:
    kind = Directory.parse(directory, field="directory", title="资源属性分类")
    section, heading, subheading = section.strip(), heading.strip(), subheading.strip()
    if not SECTION.fullmatch(section):
        raise InvalidInput("分类“项”须为 2 位数字。", field="section")
    if not HEADING.fullmatch(heading):
        raise InvalidInput("分类“目”须为 3 位数字。", field="heading")
    if not SUBHEADING.fullmatch(subheading):
        raise InvalidInput("分类“细目”须为 0–6 位数字。", field="subheading")
    return Classification(kind, section, heading, subheading)


def resource_code(classification_code: str, sequence: int) -> str:
    """信息资源代码 = 分类码 + 顺序码 (the sequence zero-padded to at least 4 digits)."""
    if sequence < 1:
        raise ValueError("顺序码从 1 开始")
    return f"{classification_code}-{sequence:0{SEQUENCE_WIDTH}d}"


def next_sequence(last: int | None) -> int:
    """The 顺序码 after the last one given under a 分类码; codes are never reused, retired ones included."""
    return (last or 0) + 1


def parse_code(code: str, *, field: str = "code") -> tuple[str, int]:
    """(分类码, 顺序码) of a well-formed resource code."""
    match = CODE.fullmatch(code.strip())
    if match is None:
        raise InvalidInput(f"信息资源代码格式不正确：{code}（应为 分类码-顺序码，如 301003-0001）", field=field)
    return match["classification"], int(match["sequence"])


# --- metadata ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResourceFormat:
    """信息资源格式: 类型 + 具体格式 (xlsx, PostgreSQL, REST/JSON, OFD ...)."""

    type: FormatType
    detail: str


@dataclass(frozen=True)
class Item:
    """信息项: one column of the resource."""

    name: str
    data_type: DataType
    length: int | None
    level: Level = Level.GENERAL
    personal_info: PersonalInfo = PersonalInfo.NONE
    is_key: bool = False


@dataclass(frozen=True)
class Sharing:
    """共享属性. 有条件/不予共享 cite their legal basis (国发〔2016〕51号); 不予共享 has no mode or condition."""

    type: SharingType
    condition: str = ""
    legal_basis: str = ""
    mode: SharingMode | None = None


@dataclass(frozen=True)
class Opening:
    """开放属性."""

    type: OpeningType
    condition: str = ""


@dataclass(frozen=True)
class Metadata:
    """Everything about a resource that its department describes (the code and provider are fixed apart)."""

    name: str
    abstract: str = ""
    format: ResourceFormat | None = None
    items: tuple[Item, ...] = ()
    sharing: Sharing | None = None
    opening: Opening | None = None
    update_cycle: UpdateCycle | None = None
    update_cycle_note: str = ""
    related_codes: tuple[str, ...] = ()
    owner: str = ""  # 数据官 or the person answerable for the resource
    contact: str = ""
    provider_credit_code: str = ""  # 信息资源提供方代码 (统一社会信用代码)

    @property
    def level(self) -> Level | None:
        """The entry's level: its highest item's."""
        return max((i.level for i in self.items), key=lambda lv: lv.rank, default=None)

    @property
    def item_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.items)


MAX_TEXT = {"name": 200, "abstract": 2000, "condition": 1000, "legal_basis": 1000, "owner": 100,
            "contact": 100, "detail": 100, "item": 64, "update_cycle_note": 100}
MAX_ITEM_LENGTH = 100_000


def clean_text(value: str | None, *, field: str, title: str, limit: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise InvalidInput(f"{title}不能为空。", field=field)
    if len(text) > limit:
        raise InvalidInput(f"{title}最多 {limit} 个字符。", field=field)
    return text


def make_item(index: int, *, name: str, data_type: str, length: int | None = None, level: str = "general",
              personal_info: str = "none", is_key: bool = False) -> Item:
    """One 信息项; a 字符型 item states its length."""
    at = f"items.{index}"
    label = f"第 {index + 1} 个信息项"
    item_name = clean_text(name, field=f"{at}.name", title=f"{label}的名称", limit=MAX_TEXT["item"],
                           required=True)
    label = f"{label}“{item_name}”"
    kind = DataType.parse(data_type, field=f"{at}.data_type", title=f"{label}的数据类型")
    if length is not None and not 1 <= length <= MAX_ITEM_LENGTH:
        raise InvalidInput(f"{label}的长度须在 1–{MAX_ITEM_LENGTH} 之间。", field=f"{at}.length")
    if kind is DataType.C and length is None:
        raise InvalidInput(f"{label}为字符型，须填写长度。", field=f"{at}.length")
    return Item(item_name, kind, length, Level.parse(level, field=f"{at}.level", title=f"{label}的分级"),
                PersonalInfo.parse(personal_info, field=f"{at}.personal_info", title=f"{label}的个人信息类别"),
                bool(is_key))


def make_sharing(type_: str, condition: str = "", legal_basis: str = "", mode: str = "") -> Sharing:
    kind = SharingType.parse(type_, field="sharing_type", title="共享类型")
    condition = clean_text(condition, field="sharing_condition", title="共享条件", limit=MAX_TEXT["condition"])
    basis = clean_text(legal_basis, field="sharing_basis", title="共享依据", limit=MAX_TEXT["legal_basis"])
    if kind is not SharingType.UNCONDITIONAL and not basis:
        raise InvalidInput(f"{kind.label}须写明法律、行政法规或党中央、国务院政策依据。", field="sharing_basis")
    if kind is SharingType.CONDITIONAL and not condition:
        raise InvalidInput("有条件共享须写明共享条件。", field="sharing_condition")
    if kind is SharingType.NONE:
        if mode.strip() or condition:
            raise InvalidInput("不予共享的资源没有共享方式和共享条件。", field="sharing_mode")
        return Sharing(kind, "", basis, None)
    if kind is SharingType.UNCONDITIONAL and condition:
        raise InvalidInput("无条件共享的资源不设共享条件。", field="sharing_condition")
    if not mode.strip():
        raise InvalidInput("请选择共享方式（接口、库表或文件）。", field="sharing_mode")
    return Sharing(kind, condition, basis, SharingMode.parse(mode, field="sharing_mode", title="共享方式"))


def make_opening(type_: str, condition: str = "") -> Opening:
    kind = OpeningType.parse(type_, field="opening_type", title="开放类型")
    condition = clean_text(condition, field="opening_condition", title="开放条件", limit=MAX_TEXT["condition"])
    if kind is OpeningType.CONDITIONAL and not condition:
        raise InvalidInput("有条件开放须写明开放条件。", field="opening_condition")
    if kind is not OpeningType.CONDITIONAL and condition:
        raise InvalidInput(f"{kind.label}的资源不设开放条件。", field="opening_condition")
    return Opening(kind, condition)


def check_consistency(meta: Metadata, own_code: str | None = None) -> Metadata:
    """Rules between fields: unique item names, sharing mode vs format, opening vs sharing and personal data."""
    seen: set[str] = set()
    for index, item in enumerate(meta.items):
        if item.name in seen:
            raise InvalidInput(f"信息项名称重复：{item.name}", field=f"items.{index}.name")
        seen.add(item.name)
    sharing, opening = meta.sharing, meta.opening
    if sharing and sharing.mode and meta.format and sharing.mode not in MODES_FOR_FORMAT[meta.format.type]:
        allowed = "、".join(m.label for m in SharingMode if m in MODES_FOR_FORMAT[meta.format.type])
        raise InvalidInput(f"{meta.format.type.label}类资源的共享方式只能是：{allowed}。", field="sharing_mode")
    if sharing and sharing.type is SharingType.UNCONDITIONAL and any(i.level is Level.CORE for i in meta.items):
        raise InvalidInput("含核心数据的资源不能无条件共享。", field="sharing_type")
    if opening and opening.type is not OpeningType.NONE:
        if sharing and sharing.type is SharingType.NONE:
            raise InvalidInput("不予共享的资源不能向社会开放。", field="opening_type")
        if sharing and sharing.type is SharingType.CONDITIONAL and opening.type is OpeningType.UNCONDITIONAL:
            raise InvalidInput("有条件共享的资源不能无条件开放（开放不宽于共享）。", field="opening_type")
        if any(i.level is Level.CORE for i in meta.items):
            raise InvalidInput("含核心数据的资源不予开放。", field="opening_type")
    if opening and opening.type is OpeningType.UNCONDITIONAL and any(
        i.personal_info is not PersonalInfo.NONE for i in meta.items
    ):
        raise InvalidInput("含个人信息的资源不能无条件开放。", field="opening_type")
    if meta.update_cycle is UpdateCycle.OTHER and not meta.update_cycle_note:
        raise InvalidInput("更新周期为“其他”时须说明。", field="update_cycle_note")
    if own_code is not None and own_code in meta.related_codes:
        raise InvalidInput("关联资源代码不能是本资源自己。", field="related_codes")
    return meta


def clean_related_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """Well-formed codes, each once, in the order given."""
    cleaned: list[str] = []
    for code in codes:
        code = code.strip()
        if code:
            parse_code(code, field="related_codes")
            if code not in cleaned:
                cleaned.append(code)
    return tuple(cleaned)


def make_metadata(*, name: str, abstract: str = "", format_type: str = "", format_detail: str = "",
                  items: Sequence[dict[str, Any]] = (), sharing_type: str = "", sharing_condition: str = "",
                  sharing_basis: str = "", sharing_mode: str = "", opening_type: str = "",
                  opening_condition: str = "", update_cycle: str = "", update_cycle_note: str = "",
                  related_codes: Iterable[str] = (), owner: str = "", contact: str = "",
                  provider_credit_code: str = "", own_code: str | None = None) -> Metadata:
    """Metadata from what a person typed: each field checked, then the rules between fields. Fields left
    empty are allowed while the entry is a draft; publishing asks for them (`missing_for_publication`)."""
    detail = clean_text(format_detail, field="format_detail", title="具体格式", limit=MAX_TEXT["detail"])
    if detail and not format_type.strip():
        raise InvalidInput("填写具体格式前请先选择格式类型。", field="format_type")
    resource_format = None
    if format_type.strip():
        resource_format = ResourceFormat(FormatType.parse(format_type, field="format_type", title="格式类型"),
                                         detail)
    credit = provider_credit_code.strip().upper()
    if credit and not is_valid_credit_code(credit):
        raise InvalidInput(f"提供方代码不是有效的统一社会信用代码：{credit}", field="provider_credit_code")
    text = {k: clean_text(v, field=k, title=t, limit=MAX_TEXT[m]) for k, v, t, m in (
        ("abstract", abstract, "信息资源摘要", "abstract"), ("owner", owner, "数据责任人", "owner"),
        ("contact", contact, "联系方式", "contact"),
        ("update_cycle_note", update_cycle_note, "更新周期说明", "update_cycle_note"))}
    meta = Metadata(
        name=clean_text(name, field="name", title="信息资源名称", limit=MAX_TEXT["name"], required=True),
        format=resource_format,
        items=tuple(make_item(i, **item) for i, item in enumerate(items)),
        sharing=make_sharing(sharing_type, sharing_condition, sharing_basis, sharing_mode)
        if sharing_type.strip() else None,
        opening=make_opening(opening_type, opening_condition) if opening_type.strip() else None,
        update_cycle=UpdateCycle.parse(update_cycle, field="update_cycle", title="更新周期")
        if update_cycle.strip() else None,
        related_codes=clean_related_codes(related_codes), provider_credit_code=credit, **text,
    )
    return check_consistency(meta, own_code)


def missing_for_publication(meta: Metadata) -> list[str]:
    """The core metadata a published entry must have and this one lacks (Chinese titles)."""
    wanted = [
        ("信息资源摘要", meta.abstract), ("信息资源格式", meta.format and meta.format.detail),
        ("信息项", meta.items), ("共享属性", meta.sharing), ("开放属性", meta.opening),
        ("更新周期", meta.update_cycle), ("数据责任人", meta.owner), ("联系方式", meta.contact),
    ]
    return [title for title, value in wanted if not value]
