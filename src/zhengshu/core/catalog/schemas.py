"""Shapes at the edges of the catalogue (syntax only: the rules live in `domain`), and the views pages and the
API receive. Coded values travel as their English codes; every view carries the Chinese label beside it."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from zhengshu.core.catalog.domain import values as v


class ItemInput(BaseModel):
    """信息项."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200, description="信息项名称（与数据集列名一致）")
    data_type: str = Field(max_length=8, description="数据类型：C N Y D T L M G B I F")
    length: int | None = Field(default=None, description="长度（字符型必填）")
    level: str = Field(default="general", max_length=16, description="分级：core 核心 | important 重要 | general 一般")
    personal_info: str = Field(default="none", max_length=16,
                               description="个人信息：sensitive 敏感个人信息 | general 一般个人信息 | none 非个人信息")
    is_key: bool = Field(default=False, description="是否关键字段")


class FormatInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(max_length=24,
                      description="格式类型：" + " | ".join(f"{m.value} {m.label}" for m in v.FormatType))
    detail: str = Field(default="", max_length=200, description="具体格式，如 xlsx、PostgreSQL、REST/JSON、OFD")


class SharingInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(max_length=16, description="共享类型：unconditional 无条件 | conditional 有条件 | none 不予共享")
    condition: str = Field(default="", max_length=5000, description="共享条件（有条件共享必填）")
    legal_basis: str = Field(default="", max_length=5000, description="共享依据（有条件、不予共享必填）")
    mode: str = Field(default="", max_length=16, description="共享方式：api 接口 | table 库表 | file 文件")


class OpeningInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    type: str = Field(max_length=16,
                      description="开放类型：none 不予开放 | conditional 有条件开放 | unconditional 无条件开放")
    condition: str = Field(default="", max_length=5000, description="开放条件（有条件开放必填）")


class MetadataInput(BaseModel):
    """What a department describes; left-out parts may be filled in before publication."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=200, description="信息资源名称")
    abstract: str = Field(default="", max_length=5000, description="信息资源摘要")
    provider_credit_code: str = Field(default="", max_length=18, description="提供方代码（统一社会信用代码）")
    format: FormatInput | None = Field(default=None, description="信息资源格式")
    items: list[ItemInput] = Field(default_factory=list, max_length=500, description="信息项")
    sharing: SharingInput | None = Field(default=None, description="共享属性")
    opening: OpeningInput | None = Field(default=None, description="开放属性")
    update_cycle: str = Field(default="", max_length=16,
                              description="更新周期：" + " | ".join(f"{m.value} {m.label}" for m in v.UpdateCycle))
    update_cycle_note: str = Field(default="", max_length=200, description="更新周期说明（“其他”时必填）")
    related_codes: list[str] = Field(default_factory=list, max_length=100, description="关联资源代码")
    owner: str = Field(default="", max_length=200, description="数据责任人（数据官）")
    contact: str = Field(default="", max_length=200, description="联系方式")


class ClassificationInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    directory: str = Field(max_length=16, description="资源属性分类：base 基础 | theme 主题 | department 部门")
    section: str = Field(max_length=8, description="项（2 位数字）")
    heading: str = Field(max_length=8, description="目（3 位数字）")
    subheading: str = Field(default="", max_length=8, description="细目（0–6 位数字）")


class EntryCreate(MetadataInput):
    """Registration (注册): the classification and the provider are fixed for the entry's life."""

    classification: ClassificationInput
    provider_code: str = Field(max_length=32, description="提供部门代码，如 130300003")


class EntryUpdate(MetadataInput):
    """A full replacement of the metadata. After publication it makes a new version."""

    columns: list[str] | None = Field(default=None, max_length=500,
                                      description="挂接数据集的当前列（数据集变更时由数据集提供）")


class MountInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: str = Field(max_length=16, description="挂接对象：dataset 数据集 | registry 基础库 | live_api 部门接口")
    reference: str = Field(max_length=600, description="数据集代码、基础库代码或 HTTPS 接口地址")
    columns: list[str] | None = Field(default=None, max_length=500, description="数据集的列（挂接数据集时必填）")


class RetireInput(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(max_length=2000, description="下架原因")


class EntryFilter(BaseModel):
    """Browse filters; empty ones are ignored."""

    directory: str = Field(default="", max_length=16, description="资源属性分类：base | theme | department")
    classification: str = Field(default="", max_length=3, description="类与项（分类码前 3 位），如 101 基础·人口")
    provider: str = Field(default="", max_length=32, description="提供部门代码")
    sharing_type: str = Field(default="", max_length=16, description="共享类型：unconditional | conditional | none")
    opening_type: str = Field(default="", max_length=16, description="开放类型：none | conditional | unconditional")
    update_cycle: str = Field(default="", max_length=16,
                              description="更新周期：" + " | ".join(m.value for m in v.UpdateCycle))
    status: str = Field(default="", max_length=16, description="状态：registered | mounted | published | retired")
    text: str = Field(default="", max_length=100,
                      description="检索词（中文分词，按相关度排序）：名称、摘要、信息项、提供部门、分类或代码")


# --- views ------------------------------------------------------------------------------------------------------


class Coded(BaseModel):
    """A coded value and its Chinese label."""

    model_config = ConfigDict(frozen=True)
    value: str
    label: str

    @classmethod
    def of(cls, term: v.Term | None) -> Coded | None:
        return None if term is None else cls(value=term.value, label=term.label)


class ItemView(BaseModel):
    name: str
    data_type: Coded
    length: int | None
    level: Coded
    personal_info: Coded
    is_key: bool


class ClassificationView(BaseModel):
    code: str  # 分类码
    directory: Coded
    section: str
    section_title: str
    heading: str
    subheading: str


class FormatView(BaseModel):
    type: Coded
    detail: str


class SharingView(BaseModel):
    type: Coded
    condition: str
    legal_basis: str
    mode: Coded | None


class OpeningView(BaseModel):
    type: Coded
    condition: str


class MountView(BaseModel):
    kind: Coded
    reference: str
    columns: list[str]


class EntryView(BaseModel):
    """A catalogue entry with its national core metadata (current version)."""

    code: str
    classification: ClassificationView
    name: str
    provider_code: str
    provider_name: str
    provider_credit_code: str
    abstract: str
    format: FormatView | None
    items: list[ItemView]
    level: Coded | None  # the highest item level
    sharing: SharingView | None
    opening: OpeningView | None
    update_cycle: Coded | None
    update_cycle_note: str
    related_codes: list[str]
    owner: str
    contact: str
    status: Coded
    version: int
    mount: MountView | None
    published_on: date | None
    retired_reason: str
    created_at: datetime
    updated_at: datetime

    def as_input(self) -> dict[str, Any]:
        """The entry in the shape `EntryCreate` takes (to fill an edit form, or to copy an entry)."""
        c = self.classification
        return {
            "classification": {"directory": c.directory.value, "section": c.section, "heading": c.heading,
                               "subheading": c.subheading},
            "provider_code": self.provider_code, "name": self.name, "abstract": self.abstract,
            "provider_credit_code": self.provider_credit_code,
            "format": {"type": self.format.type.value, "detail": self.format.detail} if self.format else None,
            "items": [{"name": i.name, "data_type": i.data_type.value, "length": i.length, "level": i.level.value,
                       "personal_info": i.personal_info.value, "is_key": i.is_key} for i in self.items],
            "sharing": None if self.sharing is None else {
                "type": self.sharing.type.value, "condition": self.sharing.condition,
                "legal_basis": self.sharing.legal_basis, "mode": self.sharing.mode.value if self.sharing.mode else ""},
            "opening": None if self.opening is None else {"type": self.opening.type.value,
                                                          "condition": self.opening.condition},
            "update_cycle": self.update_cycle.value if self.update_cycle else "",
            "update_cycle_note": self.update_cycle_note, "related_codes": list(self.related_codes),
            "owner": self.owner, "contact": self.contact,
        }


class EntrySummary(BaseModel):
    code: str
    name: str
    directory: Coded
    provider_code: str
    provider_name: str
    sharing_type: Coded | None
    opening_type: Coded | None
    status: Coded
    version: int
    published_on: date | None
    updated_at: datetime


class FacetValue(BaseModel):
    value: str
    label: str
    count: int


class Facets(BaseModel):
    """Each facet's values with the number of entries each would give, counted under the other filters."""

    directory: list[FacetValue]
    classification: list[FacetValue]
    provider: list[FacetValue]
    sharing_type: list[FacetValue]
    opening_type: list[FacetValue]
    update_cycle: list[FacetValue]
    status: list[FacetValue]


class SearchView(BaseModel):
    """How the text was searched: its words, and `all` (every word in each entry found), `any` (no entry held
    them all: entries holding some), `none` (no word known to the index: matched as a substring instead)."""

    words: list[str]
    mode: str


class EntryPage(BaseModel):
    entries: list[EntrySummary]  # best match first when searching, else by code
    total: int
    page: int
    page_size: int
    facets: Facets
    search: SearchView | None  # None when no text was given
    can_register: bool  # whether the actor may register entries (for their department, or any)


class HistoryView(BaseModel):
    action: Coded
    version: int
    actor: str
    actor_name: str
    note: str
    occurred_at: datetime


class VersionView(BaseModel):
    version: int
    published_on: date
    published_at: datetime
    published_by: str


class EntryDetail(BaseModel):
    entry: EntryView
    history: list[HistoryView]
    versions: list[VersionView]
    can_manage: bool


class CatalogExport(BaseModel):
    """The catalogue as JSON (the entries the caller may see, with their items)."""

    generated_at: datetime
    count: int
    entries: list[EntryView]


class SearchIndexStats(BaseModel):
    """The catalogue search index just built: entries indexed, distinct words."""

    entries: int
    words: int


class Department(BaseModel):
    code: str
    name: str


class FormOptions(BaseModel):
    """What the register and edit forms offer: the departments the actor may register for, and the value
    domains with their labels."""

    departments: list[Department]
    choices: dict[str, list[Coded]]


def value_domains() -> dict[str, list[Coded]]:
    terms: dict[str, type[v.Term]] = {
        "directory": v.Directory, "format_type": v.FormatType, "data_type": v.DataType, "level": v.Level,
        "personal_info": v.PersonalInfo, "sharing_type": v.SharingType, "sharing_mode": v.SharingMode,
        "opening_type": v.OpeningType, "update_cycle": v.UpdateCycle, "status": v.Status,
        "mount_kind": v.MountKind,
    }
    return {name: [Coded(value=m.value, label=m.label) for m in term] for name, term in terms.items()}
