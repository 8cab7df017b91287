"""Evaluating a rule set over a frame of text columns (校验): one Polars pass computes, for every row-level
rule, which rows it checked and which failed; the violations, each row's verdict and the scores follow.

A dimension's score is the share of checked values that passed, 0–100, over all rules of that dimension
(None when nothing was checked). Referential rules whose reference was not given are skipped and listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from zhengshu.core.quality.domain import checks
from zhengshu.core.quality.domain.code_tables import code_table
from zhengshu.core.quality.domain.rules import (
    CYCLE_DAYS,
    DIMENSIONS,
    Completeness,
    Consistency,
    Referential,
    RuleSet,
    Timeliness,
    Uniqueness,
    Validity,
)
from zhengshu.kernel.errors import InvalidInput

VIOLATION_SCHEMA = {"row": pl.Int64, "field": pl.String, "value": pl.String, "rule_id": pl.String,
                    "dimension": pl.String, "severity": pl.String, "message": pl.String}
_SEP = "\x1f"  # joins several fields into one key


@dataclass(frozen=True)
class RuleOutcome:
    """What one rule found: how many values it checked and how many failed."""

    rule_id: str
    kind: str
    dimension: str
    severity: str
    fields: tuple[str, ...]
    message: str
    checked: int
    failed: int

    @property
    def pass_rate(self) -> float | None:
        return None if self.checked == 0 else round(100 * (self.checked - self.failed) / self.checked, 2)


@dataclass(frozen=True)
class Evaluation:
    rows: int
    violations: pl.DataFrame  # row, field, value, rule_id, dimension, severity, message
    verdicts: pl.DataFrame  # row, rejected
    outcomes: tuple[RuleOutcome, ...]
    skipped: dict[str, str] = field(default_factory=dict)  # rule id → why it was not evaluated
    rule_set_version: int | None = None  # which saved version was applied (None: a suggested or given set)

    @property
    def rejected(self) -> int:
        return int(self.verdicts["rejected"].sum())

    @property
    def scores(self) -> dict[str, float | None]:
        return dimension_scores(self.outcomes)

    def worst_rules(self, limit: int = 5) -> list[RuleOutcome]:
        """The rules that failed most often relative to what they checked (those that failed at all)."""
        failing = [o for o in self.outcomes if o.failed]
        return sorted(failing, key=lambda o: (o.pass_rate, -o.failed))[:limit]

    def samples(self, per_rule: int = 20) -> pl.DataFrame:
        """Up to `per_rule` violations of each rule, in row order."""
        ordered = self.violations.sort("rule_id", "row", nulls_last=True)
        return ordered.group_by("rule_id", maintain_order=True).head(per_rule).select(list(VIOLATION_SCHEMA))


def dimension_scores(outcomes: tuple[RuleOutcome, ...] | list[RuleOutcome]) -> dict[str, float | None]:
    scores: dict[str, float | None] = {}
    for dimension in DIMENSIONS:
        checked = sum(o.checked for o in outcomes if o.dimension == dimension)
        failed = sum(o.failed for o in outcomes if o.dimension == dimension)
        scores[dimension] = None if checked == 0 else round(100 * (checked - failed) / checked, 2)
    return scores


def _blank(name: str) -> pl.Expr:
    return pl.col(name).is_null() | (pl.col(name).str.strip_chars() == "")


def _filled(names: tuple[str, ...]) -> pl.Expr:
    return pl.all_horizontal([~_blank(n) for n in names])


def _key(names: tuple[str, ...]) -> pl.Expr:
    return pl.col(names[0]) if len(names) == 1 else pl.concat_str([pl.col(n) for n in names], separator=_SEP)


def _id_prefix(field: str, id_columns: dict[str, str]) -> str:
    """The prefix of a column's shared ID-number facts (`checks.id_facts`), registering the column."""
    return id_columns.setdefault(field, f"_id{len(id_columns)}_")


def _valid(rule: Validity, id_columns: dict[str, str]) -> pl.Expr:
    value = pl.col(rule.field)
    if rule.check == "id_number":
        return pl.col(_id_prefix(rule.field, id_columns) + "valid")
    if rule.check == "credit_code":
        return checks.credit_code_valid(value)
    if rule.check == "code_table":
        table = code_table(rule.table or "")
        return value.is_in(list({*table.codes, *table.names}))
    if rule.check == "range":
        number = value.str.strip_chars().cast(pl.Float64, strict=False)
        low = number >= rule.minimum if rule.minimum is not None else pl.lit(True)
        high = number <= rule.maximum if rule.maximum is not None else pl.lit(True)
        return number.is_not_null() & low & high
    if rule.check == "pattern":
        return value.str.contains(f"^(?:{rule.pattern})$")
    if rule.check == "length":
        length = value.str.len_chars()
        low = length >= rule.min_length if rule.min_length is not None else pl.lit(True)
        high = length <= rule.max_length if rule.max_length is not None else pl.lit(True)
        return low & high
    return value.str.contains(r"^\d{4}-\d{2}-\d{2}$") & value.str.to_date("%Y-%m-%d", strict=False).is_not_null()


_SEX_CODES = {"男": "1", "男性": "1", "1": "1", "女": "2", "女性": "2", "2": "2"}


def _consistency(rule: Consistency, id_columns: dict[str, str]) -> tuple[pl.Expr, pl.Expr]:
    """(checked, agrees): only rows with a valid ID number and a readable other field are checked."""
    other, facts = pl.col(rule.field), _id_prefix(rule.id_field, id_columns)
    valid = pl.col(facts + "valid")
    if rule.check == "id_sex":
        sex = other.str.strip_chars().replace_strict(_SEX_CODES, default=None, return_dtype=pl.String)
        return valid & sex.is_not_null(), sex == pl.col(facts + "sex")
    born = other.str.strip_chars().str.to_date("%Y-%m-%d", strict=False)
    return valid & born.is_not_null(), born == pl.col(facts + "birth")


def _row_rule(rule, references: dict[str, pl.DataFrame], id_columns: dict[str, str]) -> tuple[pl.Expr, pl.Expr]:
    """(checked, failed) of a row-level rule; ID-number columns it reads are registered in `id_columns`."""
    if isinstance(rule, Completeness):
        return pl.lit(True), _blank(rule.field)
    if isinstance(rule, Validity):
        checked = ~_blank(rule.field)
        return checked, checked & ~_valid(rule, id_columns).fill_null(False)
    if isinstance(rule, Uniqueness):
        checked = _filled(rule.fields)
        return checked, checked & ~_key(rule.fields).is_first_distinct()
    if isinstance(rule, Consistency):
        checked, agrees = _consistency(rule, id_columns)
        checked = (checked & _filled(rule.fields)).fill_null(False)
        return checked, checked & ~agrees.fill_null(False)
    reference = references[rule.reference]
    missing = [f for f in rule.reference_fields if f not in reference.columns]
    if missing:
        raise InvalidInput(f"规则 {rule.id}：参照数据 {rule.reference} 没有列 {'、'.join(missing)}",
                           field="reference_fields")
    known = reference.select(_key(rule.reference_fields).alias("k")).drop_nulls().unique().to_series()
    checked = _filled(rule.fields)
    return checked, checked & ~_key(rule.fields).is_in(known.implode())


def _timeliness(rule: Timeliness, last_loaded: date | None, today: date) -> RuleOutcome:
    checked = int(last_loaded is not None)
    late = checked and (today - last_loaded).days > CYCLE_DAYS[rule.cycle] + rule.grace_days  # type: ignore[operator]
    return RuleOutcome(rule.id, rule.kind, rule.dimension or "时效性", rule.severity, (), rule.message, checked,
                       int(late))


def evaluate(frame: pl.DataFrame, rule_set: RuleSet, *, row_column: str = "row",
             references: dict[str, pl.DataFrame] | None = None, last_loaded: date | None = None,
             today: date | None = None) -> Evaluation:
    """Check every rule of `rule_set` against `frame` (text columns plus `row_column`, the source row number).

    `references`: reference data for referential rules, by the rule's `reference` name; `last_loaded`: when
    the resource was last loaded before, and `today`, for timeliness rules.
    """
    references = references or {}
    if row_column not in frame.columns:
        raise InvalidInput(f"数据缺少行号列 {row_column}", field="row_column")
    for rule in rule_set.rules:
        for name in rule.fields:
            if name not in frame.columns:
                raise InvalidInput(f"规则 {rule.id}：数据中没有字段“{name}”", field=name)
    text = [c for c in {f for r in rule_set.rules for f in r.fields} if frame.schema[c] != pl.String]
    frame = frame.with_columns([pl.col(c).cast(pl.String) for c in text])
    skipped: dict[str, str] = {}
    row_rules, timely = [], []
    for rule in rule_set.rules:
        if isinstance(rule, Timeliness):
            timely.append(rule)
        elif isinstance(rule, Referential) and rule.reference not in references:
            skipped[rule.id] = f"未提供参照数据 {rule.reference}"
        else:
            row_rules.append(rule)
    exprs, id_columns = [], {}
    for i, rule in enumerate(row_rules):
        checked, failed = _row_rule(rule, references, id_columns)
        exprs += [checked.alias(f"_c{i}"), failed.fill_null(False).alias(f"_f{i}")]
    # The ID-number facts first, once per column, then every rule's flags; one collect lets Polars run the
    # expressions of each step in parallel.
    facts = {name: e for column, prefix in id_columns.items() for name, e in checks.id_facts(column, prefix).items()}
    flags = frame.lazy().with_columns(**facts).with_columns(exprs).collect() if exprs else frame
    sums = flags.select([pl.col(f"_c{i}").sum() for i in range(len(row_rules))]
                        + [pl.col(f"_f{i}").sum() for i in range(len(row_rules))]).row(0) if row_rules else ()
    outcomes = [RuleOutcome(r.id, r.kind, r.dimension or "", r.severity, r.fields, r.message, int(sums[i]),
                            int(sums[len(row_rules) + i])) for i, r in enumerate(row_rules)]
    parts = [_violations(flags, row_column, i, r) for i, r in enumerate(row_rules) if outcomes[i].failed]
    violations = pl.concat(parts) if parts else pl.DataFrame(schema=VIOLATION_SCHEMA)
    rejecting = [pl.col(f"_f{i}") for i, r in enumerate(row_rules) if r.severity == "reject"]
    verdicts = flags.select(pl.col(row_column).cast(pl.Int64).alias("row"),
                            (pl.any_horizontal(rejecting) if rejecting else pl.lit(False)).alias("rejected"))
    today = today or date.today()
    outcomes += [_timeliness(r, last_loaded, today) for r in timely]
    return Evaluation(frame.height, violations, verdicts, tuple(outcomes), skipped)


def _violations(flags: pl.DataFrame, row_column: str, i: int, rule) -> pl.DataFrame:
    fields = rule.fields
    value = _key(fields).str.replace_all(_SEP, "|", literal=True) if len(fields) > 1 else pl.col(fields[0])
    return flags.filter(pl.col(f"_f{i}")).select(
        pl.col(row_column).cast(pl.Int64).alias("row"), pl.lit("+".join(fields)).alias("field"),
        value.cast(pl.String).alias("value"), pl.lit(rule.id).alias("rule_id"),
        pl.lit(rule.dimension).alias("dimension"), pl.lit(rule.severity).alias("severity"),
        pl.lit(rule.message).alias("message"))
