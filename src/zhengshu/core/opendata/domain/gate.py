"""The privacy gate (隐私闸门): nothing opens that would identify a person.

What decides, field by field:

- the catalogue's classification of the item: 敏感个人信息 never opens; 核心/重要数据 never opens;
- what the values look like, by the ingest module's sensitive-data dictionary (敏感数据识别字典): a field whose
  values are ID numbers, bank cards or mobile numbers never opens, whatever the catalogue says (it is wrong);
  a field the catalogue marks 一般个人信息 whose values are names, addresses, phones or e-mail addresses is a
  direct identifier (直接标识符) of a private person and does not open;
- a field the catalogue marks 非个人信息 is open by law (依法公开), e.g. an enterprise's name, 统一社会信用代码,
  法定代表人 or registered address (《企业信息公示暂行条例》): its values may look like names or addresses;
- the remaining 一般个人信息 fields (birth date, sex, district, age ...) are quasi-identifiers (准标识符): together
  every combination of their values must be shared by at least k rows (k-anonymity), or they must be
  generalised or suppressed first — a derived aggregated view does both (see `views`).

Each refusal names the field and the rule in Chinese, so the officer knows what to change.

k-anonymity is one Polars group-by over the quasi-identifier columns (the smallest equivalence class and how
many rows sit in classes under k). `pycanon` computes the same and many other metrics, but through pandas, on
a frame it copies; the single figure the gate needs is one group-by, far faster on a million rows and with no
pandas in the process.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl

# dictionary kinds that identify a person whatever the catalogue says (their dictionary sensitivity is 敏感)
ALWAYS_IDENTIFYING = frozenset({"id_number", "bank_card", "mobile"})
# kinds that identify a private person when the field holds personal information
PERSONAL_IDENTIFYING = frozenset({"person_name", "address", "landline", "email"})


class Rule(StrEnum):
    SENSITIVE = "sensitive"  # 敏感个人信息
    IMPORTANT = "important_data"  # 核心/重要数据
    IDENTIFIER = "direct_identifier"  # values identify a person
    K_ANONYMITY = "k_anonymity"  # quasi-identifiers single people out
    UNKNOWN = "unknown_field"  # not an item of the catalogue entry

    @property
    def title(self) -> str:
        return {"sensitive": "敏感个人信息", "important_data": "核心或重要数据", "direct_identifier": "直接标识符",
                "k_anonymity": "不满足 k-匿名", "unknown_field": "不是目录信息项"}[self.value]


class Role(StrEnum):
    """What a field is to the gate."""

    OPEN = "open"  # 可开放
    QUASI = "quasi_identifier"  # 准标识符: opens only under k-anonymity
    REFUSED = "refused"  # 不予开放


@dataclass(frozen=True)
class FieldClass:
    """A catalogue item's classification (信息项的分级与个人信息属性)."""

    name: str
    level: str = "general"  # core / important / general
    personal_info: str = "none"  # sensitive / general / none


@dataclass(frozen=True)
class ValueKind:
    """What most values of a field look like, by the sensitive-data dictionary."""

    field: str
    kind: str  # id_number, mobile, person_name, address, credit_code ...
    title: str  # 公民身份号码 ...
    share: float = 1.0


@dataclass(frozen=True)
class Refusal:
    field: str
    rule: Rule
    message: str  # zh-CN, names the field and the rule

    def as_dict(self) -> dict[str, str]:
        return {"field": self.field, "rule": self.rule.value, "rule_title": self.rule.title, "message": self.message}


@dataclass(frozen=True)
class Assessment:
    """Each field's role, and the refusals of the fields that do not open."""

    roles: dict[str, Role]
    refusals: tuple[Refusal, ...]

    @property
    def quasi_identifiers(self) -> tuple[str, ...]:
        return tuple(name for name, role in self.roles.items() if role is Role.QUASI)


def assess(fields: Sequence[str], classes: Mapping[str, FieldClass], kinds: Mapping[str, ValueKind]) -> Assessment:
    """The role of each field to open, from the catalogue's classification and what its values look like."""
    roles: dict[str, Role] = {}
    refusals: list[Refusal] = []

    def refuse(name: str, rule: Rule, message: str) -> None:
        roles[name] = Role.REFUSED
        refusals.append(Refusal(name, rule, message))

    for name in fields:
        item, kind = classes.get(name), kinds.get(name)
        if item is None:
            refuse(name, Rule.UNKNOWN, f"字段“{name}”不是该目录资源的信息项，不能开放。")
        elif item.personal_info == "sensitive":
            refuse(name, Rule.SENSITIVE, f"字段“{name}”在目录中标为敏感个人信息，不予开放。")
        elif item.level in ("core", "important"):
            title = "核心数据" if item.level == "core" else "重要数据"
            refuse(name, Rule.IMPORTANT, f"字段“{name}”在目录中分级为{title}，不予开放。")
        elif kind is not None and kind.kind in ALWAYS_IDENTIFYING:
            refuse(name, Rule.IDENTIFIER,
                   f"字段“{name}”的取值是{kind.title}（抽样 {kind.share:.0%} 相符），可直接识别个人，不予开放"
                   f"（目录标为“{_personal_title(item.personal_info)}”，请更正目录分级）。")
        elif item.personal_info == "general" and kind is not None and kind.kind in PERSONAL_IDENTIFYING:
            refuse(name, Rule.IDENTIFIER,
                   f"字段“{name}”是个人信息，取值是{kind.title}（抽样 {kind.share:.0%} 相符），可直接识别个人，"
                   f"不予开放；如确属依法公开的信息（如企业名称、法定代表人），请在目录中标为非个人信息。")
        elif item.personal_info == "general":
            roles[name] = Role.QUASI
        else:
            roles[name] = Role.OPEN
    return Assessment(roles, tuple(refusals))


def _personal_title(value: str) -> str:
    return {"sensitive": "敏感个人信息", "general": "一般个人信息"}.get(value, "非个人信息")


@dataclass(frozen=True)
class Anonymity:
    """The k-anonymity of a table over its quasi-identifiers: the smallest equivalence class (等价类), how many
    classes and rows are under k."""

    k: int
    quasi_identifiers: tuple[str, ...]
    smallest: int | None  # None: no quasi-identifiers, or no rows
    small_classes: int = 0
    rows_in_small: int = 0

    @property
    def holds(self) -> bool:
        return self.smallest is None or self.smallest >= self.k


def k_anonymity(frame: pl.DataFrame, quasi_identifiers: Sequence[str], k: int) -> Anonymity:
    """Group the rows by every quasi-identifier together (nulls are a value like any other: a missing birth
    date still singles a row out among those that have one)."""
    qi = tuple(quasi_identifiers)
    if not qi or frame.height == 0:
        return Anonymity(k, qi, None)
    sizes = frame.group_by(list(qi)).len()["len"]
    small = sizes.filter(sizes < k)
    return Anonymity(k, qi, int(sizes.min()), small.len(), int(small.sum()))  # type: ignore[arg-type]


@dataclass(frozen=True)
class GateReport:
    """The gate's verdict on a table to open: passed, or refused with the reasons field by field."""

    fields: tuple[str, ...]
    roles: dict[str, str]
    refusals: tuple[Refusal, ...]
    anonymity: Anonymity | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def passed(self) -> bool:
        return not self.refusals

    def as_dict(self) -> dict:
        a = self.anonymity
        return {
            "passed": self.passed, "fields": list(self.fields), "roles": dict(self.roles),
            "refusals": [r.as_dict() for r in self.refusals], "notes": list(self.notes),
            "anonymity": None if a is None else {
                "k": a.k, "quasi_identifiers": list(a.quasi_identifiers), "smallest": a.smallest,
                "small_classes": a.small_classes, "rows_in_small": a.rows_in_small},
        }


def check(fields: Sequence[str], classes: Mapping[str, FieldClass], kinds: Mapping[str, ValueKind],
          quasi_frame: pl.DataFrame | None, k: int) -> GateReport:
    """The whole gate on a table opened as it is: field rules, then k-anonymity over the quasi-identifiers
    (`quasi_frame` holds at least their columns, every row). The k-anonymity refusal names every
    quasi-identifier, since it is their combination that singles people out."""
    assessment = assess(fields, classes, kinds)
    refusals = list(assessment.refusals)
    anonymity = None
    qi = assessment.quasi_identifiers
    if qi and quasi_frame is not None:
        anonymity = k_anonymity(quasi_frame, qi, k)
        if not anonymity.holds:
            together = "、".join(qi)
            for name in qi:
                refusals.append(Refusal(name, Rule.K_ANONYMITY, (
                    f"字段“{name}”是准标识符；按（{together}）组合，最小的等价类只有 {anonymity.smallest} 行，"
                    f"{anonymity.small_classes} 个组合共 {anonymity.rows_in_small} 行少于 k={k}，可能识别个人。"
                    "请去掉该字段，或改为开放按区划、年份等汇总的派生视图（小于 k 的单元格会被抑制）。")))
    return GateReport(tuple(fields), {n: r.value for n, r in assessment.roles.items()}, tuple(refusals), anonymity)
