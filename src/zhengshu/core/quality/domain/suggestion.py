"""A default rule set suggested from a catalogue entry's items (规则建议): the standardiser each item's name
suggests, then rules that follow from it — an item named 公民身份号码 gets completeness, GB 11643 validity and,
when it is a key item, uniqueness; a sex or birth-date item beside an ID number gets the cross-field checks;
the update cycle gets a timeliness rule. The officer edits the suggestion before saving it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zhengshu.core.quality.domain.rules import CYCLE_DAYS, RuleSet, parse_rule_set
from zhengshu.core.quality.domain.standardisers import suggest_standardiser

_VALIDITY = {  # standardiser → (check, extra parameters, what the message says is wrong)
    "id_number": ("id_number", {}, "不是有效的公民身份号码（GB 11643）"),
    "credit_code": ("credit_code", {}, "不是有效的统一社会信用代码（GB 32100）"),
    "date": ("date", {}, "不是有效日期（YYYY-MM-DD）"),
    "phone": ("pattern", {"pattern": r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}"}, "不是有效的电话号码"),
    "sex": ("code_table", {"table": "sex"}, "不在性别代码表（GB/T 2261.1）中"),
    "marital_status": ("code_table", {"table": "marital_status"}, "不在婚姻状况代码表（GB/T 2261.2）中"),
    "industry": ("code_table", {"table": "industry"}, "不在行业门类代码表（GB/T 4754）中"),
}


@dataclass(frozen=True)
class ItemSpec:
    """What the suggestion needs of a catalogue item (信息项)."""

    name: str
    data_type: str = "C"
    length: int | None = None
    is_key: bool = False


def _slug(index: int, what: str) -> str:
    return f"i{index:02d}-{what}"


def suggest_rule_set(resource_code: str, items: list[ItemSpec], update_cycle: str = "") -> RuleSet:
    standardisers: dict[str, str] = {}
    rules: list[dict[str, Any]] = []
    for i, item in enumerate(items, start=1):
        name = suggest_standardiser(item.name, item.data_type)
        if name:
            standardisers[item.name] = name
        identifying = name in ("id_number", "credit_code")
        rules.append({"id": _slug(i, "required"), "kind": "completeness", "field": item.name,
                      "severity": "reject" if item.is_key else "warn", "message": f"{item.name}不能为空"})
        if name in _VALIDITY:
            check, extra, wrong = _VALIDITY[name]
            rules.append({"id": _slug(i, "valid"), "kind": "validity", "field": item.name, "check": check, **extra,
                          "severity": "reject" if identifying else "warn", "message": f"{item.name}{wrong}"})
        elif item.length and item.data_type.upper() == "C":
            rules.append({"id": _slug(i, "length"), "kind": "validity", "field": item.name, "check": "length",
                          "max_length": item.length, "message": f"{item.name}超过 {item.length} 个字符"})
        elif item.data_type.upper() in ("N", "Y", "I", "F", "B"):
            rules.append({"id": _slug(i, "number"), "kind": "validity", "field": item.name, "check": "pattern",
                          "pattern": r"-?\d+(\.\d+)?", "message": f"{item.name}不是数值"})
        if item.is_key:
            rules.append({"id": _slug(i, "unique"), "kind": "uniqueness", "fields": [item.name],
                          "message": f"{item.name}重复"})
    id_items = [n for n, s in standardisers.items() if s == "id_number"]
    if len(id_items) == 1:
        for other, kind, check in (("sex", "性别", "id_sex"), ("date", "出生日期", "id_birth_date")):
            for item, name in standardisers.items():
                if name == other and (other == "sex" or "出生" in item):
                    rules.append({"id": f"{check}-{len(rules) + 1:02d}", "kind": "consistency", "check": check,
                                  "id_field": id_items[0], "field": item,
                                  "message": f"{item}与{id_items[0]}中的{kind}不一致"})
    if update_cycle in CYCLE_DAYS:
        rules.append({"id": "timely", "kind": "timeliness", "cycle": update_cycle, "grace_days": 1,
                      "message": "数据未按更新周期更新"})
    return parse_rule_set({"resource_code": resource_code, "standardisers": standardisers, "rules": rules})
