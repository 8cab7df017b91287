"""Quality rules as data (质量规则): a rule set per catalogue resource, a list of rules of six kinds, each with
an id, a quality dimension (GB/T 36344: 规范性 完整性 准确性 一致性 时效性), a severity (`reject`: the row is
rejected; `warn`: counted and reported only) and a Chinese message for the person who fixes the data.

- `completeness` (完整性): the field is not empty. `field`.
- `validity` (有效性): `check` is `id_number` (GB 11643), `credit_code` (GB 32100), `code_table` (`table`),
  `range` (`minimum`, `maximum`), `pattern` (`pattern`, matching the whole value), `length` (`min_length`,
  `max_length`) or `date` (ISO). `field`.
- `uniqueness` (唯一性): no two rows share the value(s); the first keeps them, copies are flagged. `fields`.
- `consistency` (一致性): `check` `id_sex` or `id_birth_date`: `field` agrees with the ID number in `id_field`.
- `referential` (参照完整性): the value(s) of `fields` exist in `reference_fields` of the reference data named
  `reference`, which the caller gives to the evaluator.
- `timeliness` (时效性): the last load is no older than the update `cycle` plus `grace_days`.

Empty values are only the completeness rule's business: every other rule skips a row whose fields are empty.
A rule set is refused with a message naming the rule (by id and position) and the field at fault.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

import polars as pl
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from zhengshu.core.quality.domain.code_tables import TABLES
from zhengshu.core.quality.domain.standardisers import STANDARDISERS
from zhengshu.kernel.errors import InvalidInput

DIMENSIONS = ("规范性", "完整性", "准确性", "一致性", "时效性")
Dimension = Literal["规范性", "完整性", "准确性", "一致性", "时效性"]
Severity = Literal["reject", "warn"]
CYCLE_DAYS = {"realtime": 1, "daily": 1, "weekly": 7, "monthly": 31, "quarterly": 92, "half_yearly": 183,
              "yearly": 366}
DEFAULT_DIMENSION = {"completeness": "完整性", "validity": "规范性", "uniqueness": "准确性",
                     "consistency": "一致性", "referential": "一致性", "timeliness": "时效性"}
FIELD = Field(min_length=1, max_length=200)


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=r"^[\w.\-]{1,64}$", description="规则编号（字母、汉字、数字、_ . -）")
    dimension: Dimension | None = Field(default=None, description="质量维度（缺省按规则类型）")
    severity: Severity = Field(default="warn", description="reject 拒收该行 | warn 仅告警")
    message: str = Field(min_length=1, max_length=200, description="中文提示")

    @model_validator(mode="after")
    def _default_dimension(self) -> _Rule:
        if self.dimension is None:
            object.__setattr__(self, "dimension", DEFAULT_DIMENSION[self.kind])  # type: ignore[attr-defined]
        return self

    @property
    def fields(self) -> tuple[str, ...]:  # overridden where a rule has several
        return (self.field,)  # type: ignore[attr-defined]


class Completeness(_Rule):
    kind: Literal["completeness"]
    field: str = FIELD


class Validity(_Rule):
    kind: Literal["validity"]
    field: str = FIELD
    check: Literal["id_number", "credit_code", "code_table", "range", "pattern", "length", "date"]
    table: str | None = Field(default=None, description="代码表：" + "、".join(TABLES))
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = Field(default=None, max_length=500, description="正则表达式（匹配整个值）")
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _parameters(self) -> Validity:
        if self.check == "code_table" and self.table not in TABLES:
            raise ValueError(f"table 须为代码表之一：{'、'.join(TABLES)}")
        if self.check == "range" and self.minimum is None and self.maximum is None:
            raise ValueError("range 检查须给出 minimum 或 maximum")
        if self.check == "length" and self.min_length is None and self.max_length is None:
            raise ValueError("length 检查须给出 min_length 或 max_length")
        if self.check == "pattern":
            if not self.pattern:
                raise ValueError("pattern 检查须给出 pattern")
            try:
                pl.select(pl.lit("").str.contains(self.pattern))
            except pl.exceptions.PolarsError as exc:
                detail = " ".join(line.strip() for line in str(exc).splitlines() if line.strip())[:200]
                raise ValueError(f"pattern 不是有效的正则表达式：{detail}") from None
        return self


class Uniqueness(_Rule):
    kind: Literal["uniqueness"]
    fields_: tuple[str, ...] = Field(alias="fields", min_length=1, max_length=10)
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @property
    def fields(self) -> tuple[str, ...]:
        return self.fields_


class Consistency(_Rule):
    kind: Literal["consistency"]
    check: Literal["id_sex", "id_birth_date"]
    id_field: str = FIELD
    field: str = FIELD

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.id_field, self.field)


class Referential(_Rule):
    kind: Literal["referential"]
    fields_: tuple[str, ...] = Field(alias="fields", min_length=1, max_length=10)
    reference: str = Field(min_length=1, max_length=200, description="参照数据的名称，如资源代码")
    reference_fields: tuple[str, ...] = Field(min_length=1, max_length=10)
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="after")
    def _same_length(self) -> Referential:
        if len(self.reference_fields) != len(self.fields_):
            raise ValueError("reference_fields 与 fields 的个数须相同")
        return self

    @property
    def fields(self) -> tuple[str, ...]:
        return self.fields_


class Timeliness(_Rule):
    kind: Literal["timeliness"]
    cycle: Literal["realtime", "daily", "weekly", "monthly", "quarterly", "half_yearly", "yearly"]
    grace_days: int = Field(default=0, ge=0, le=366)

    @model_validator(mode="after")
    def _warn_only(self) -> Timeliness:
        if self.severity == "reject":
            raise ValueError("时效性规则针对整个资源，severity 只能为 warn")
        return self

    @property
    def fields(self) -> tuple[str, ...]:
        return ()


Rule = Annotated[Completeness | Validity | Uniqueness | Consistency | Referential | Timeliness,
                 Field(discriminator="kind")]


class RuleSet(BaseModel):
    """A resource's rule set, and which standardiser each of its items goes through (item name → name)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    resource_code: str = Field(min_length=1, max_length=64)
    standardisers: dict[str, str] = Field(default_factory=dict, description="信息项 → 标准化器")
    rules: tuple[Rule, ...] = Field(default=(), max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> RuleSet:
        seen: set[str] = set()
        for rule in self.rules:
            if rule.id in seen:
                raise ValueError(f"规则编号重复：{rule.id}")
            seen.add(rule.id)
        for item, name in self.standardisers.items():
            if name not in STANDARDISERS:
                raise ValueError(f"信息项“{item}”的标准化器 {name} 不存在（可用：{'、'.join(STANDARDISERS)}）")
        return self

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


def parse_rule_set(data: Any) -> RuleSet:
    """A rule set from plain data (parsed JSON or YAML), or InvalidInput naming the rule and the field."""
    try:
        return RuleSet.model_validate(data)
    except ValidationError as exc:
        raise InvalidInput(_explain(exc, data), field=_field_of(exc)) from None


def parse_rule_set_text(text: str, suffix: str = ".json") -> RuleSet:
    """A rule set from the text of a `.json` file, or of a `.yaml`/`.yml` file when PyYAML is installed."""
    return parse_rule_set(rule_set_data(text, suffix))


def rule_set_data(text: str, suffix: str = ".json") -> dict[str, Any]:
    """The plain data of a rule set file's text (a JSON or YAML object), not yet checked as a rule set."""
    if suffix.lower() in (".yaml", ".yml"):
        try:
            import yaml  # optional: JSON needs nothing extra
        except ModuleNotFoundError:
            raise InvalidInput("未安装 PyYAML，请使用 JSON 格式的规则集", field="file") from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise InvalidInput(f"规则集不是有效的 YAML：{exc}", field="file") from None
    else:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"规则集不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}",
                               field="file") from None
    if not isinstance(data, dict):
        raise InvalidInput("规则集须为一个对象：{\"standardisers\": {…}, \"rules\": […]}", field="file")
    return data


def _in_chinese(error: Any) -> str:
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "missing":
        return "必填"
    if kind == "literal_error":
        return f"取值须为 {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return f"kind 须为 {ctx.get('expected_tags', '')}，而不是 {ctx.get('tag', '')}"
    if kind == "union_tag_not_found":
        return "缺少 kind（规则类型）"
    if kind == "extra_forbidden":
        return "不认识的字段"
    if kind == "string_pattern_mismatch":
        return "只能由字母、汉字、数字和 _ . - 组成（至多 64 个字符）"
    return str(error["msg"]).removeprefix("Value error, ")


def _field_of(exc: ValidationError) -> str:
    loc = exc.errors()[0]["loc"]
    return ".".join(str(p) for p in loc if p not in {"completeness", "validity", "uniqueness", "consistency",
                                                     "referential", "timeliness"})


def _explain(exc: ValidationError, data: Any) -> str:
    error = exc.errors()[0]
    loc = list(error["loc"])
    message = _in_chinese(error)
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        index = loc[1]
        rules = data.get("rules") if isinstance(data, dict) else None
        rule = rules[index] if isinstance(rules, list) and index < len(rules) else {}
        rule_id = rule.get("id", "（无编号）") if isinstance(rule, dict) else "（无编号）"
        rest = [str(p) for p in loc[2:] if p not in DEFAULT_DIMENSION]
        where = f"字段 {'.'.join(rest)}：" if rest else ""
        return f"规则 {rule_id}（第 {index + 1} 条）{where}{message}"
    where = ".".join(str(p) for p in loc)
    return f"规则集字段 {where}：{message}" if where else f"规则集无效：{message}"
