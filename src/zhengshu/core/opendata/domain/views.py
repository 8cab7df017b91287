"""Derived aggregated views (派生汇总视图): what opens when the rows themselves may not — counts and sums grouped
by a few fields, each optionally generalised (a date to its month or year, a code to its first digits, a number
to a band), and every cell counting fewer than k rows suppressed (小单元格抑制)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from zhengshu.kernel.errors import InvalidInput

COUNT = "记录数"
OPS = {"count": "计数", "sum": "合计", "avg": "平均", "min": "最小", "max": "最大"}
_GENERALISE = re.compile(r"^(year|month|prefix:(\d{1,2})|band:(\d{1,9}))$")
MAX_GROUPS = 6


@dataclass(frozen=True)
class Measure:
    op: str  # sum, avg, min, max (the row count is always there)
    column: str

    @property
    def name(self) -> str:
        return f"{self.column}{OPS[self.op]}"


@dataclass(frozen=True)
class ViewSpec:
    group_by: tuple[str, ...]
    generalise: tuple[tuple[str, str], ...] = ()  # (field, rule): year, month, prefix:N, band:N
    measures: tuple[Measure, ...] = ()

    @property
    def source_fields(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys((*self.group_by, *(m.column for m in self.measures))))

    def as_dict(self) -> dict[str, Any]:
        return {"group_by": list(self.group_by), "generalise": dict(self.generalise),
                "measures": [{"op": m.op, "column": m.column} for m in self.measures]}


def parse_view(data: Mapping[str, Any]) -> ViewSpec:
    """A view from its JSON shape, checked: `{"group_by": [...], "generalise": {field: rule},
    "measures": [{"op": "sum", "column": ...}]}`."""
    group_by = tuple(str(g).strip() for g in data.get("group_by") or () if str(g).strip())
    if not group_by or len(group_by) > MAX_GROUPS:
        raise InvalidInput(f"汇总视图须按 1 到 {MAX_GROUPS} 个字段分组。", field="view.group_by")
    generalise = []
    for name, rule in (data.get("generalise") or {}).items():
        if name not in group_by:
            raise InvalidInput(f"泛化的字段“{name}”须是分组字段。", field="view.generalise")
        if not _GENERALISE.fullmatch(str(rule)):
            raise InvalidInput(f"字段“{name}”的泛化规则“{rule}”无效：可为 year、month、prefix:N、band:N。",
                               field="view.generalise")
        generalise.append((name, str(rule)))
    measures = []
    for m in data.get("measures") or ():
        op, column = str(m.get("op", "")), str(m.get("column", "")).strip()
        if op not in OPS or op == "count" or not column:
            raise InvalidInput(f"汇总指标“{op} {column}”无效：op 可为 sum、avg、min、max，并须指明字段。",
                               field="view.measures")
        measures.append(Measure(op, column))
    return ViewSpec(group_by, tuple(generalise), tuple(measures))


def group_name(name: str, rule: str | None) -> str:
    if rule is None:
        return name
    if rule in ("year", "month"):
        return f"{name}（{'年' if rule == 'year' else '月'}）"
    kind, _, size = rule.partition(":")
    return f"{name}（前{size}位）" if kind == "prefix" else f"{name}（每{size}分段）"


def _key(name: str, rule: str | None, dtype: pl.DataType) -> pl.Expr:
    column = pl.col(name)
    if rule is None:
        return column.alias(name)
    alias = group_name(name, rule)
    if rule in ("year", "month"):
        if not dtype.is_temporal():
            raise InvalidInput(f"字段“{name}”不是日期，不能按{'年' if rule == 'year' else '月'}泛化。",
                               field="view.generalise")
        return column.dt.strftime("%Y" if rule == "year" else "%Y-%m").alias(alias)
    kind, _, size = rule.partition(":")
    if kind == "prefix":
        return column.cast(pl.String).str.slice(0, int(size)).alias(alias)
    if not dtype.is_numeric():
        raise InvalidInput(f"字段“{name}”不是数值，不能分段。", field="view.generalise")
    width = int(size)
    start = (column // width * width).cast(pl.Int64)
    return (start.cast(pl.String) + "–" + (start + width - 1).cast(pl.String)).alias(alias)


def derive(frame: pl.DataFrame, spec: ViewSpec, k: int) -> tuple[pl.DataFrame, int]:
    """The view's rows (sorted by the group keys) and how many cells were suppressed for counting under k."""
    rules = dict(spec.generalise)
    for m in spec.measures:
        if not frame.schema[m.column].is_numeric():
            raise InvalidInput(f"字段“{m.column}”不是数值，不能{OPS[m.op]}。", field="view.measures")
    keys = [_key(n, rules.get(n), frame.schema[n]) for n in spec.group_by]
    aggregates = [pl.len().cast(pl.Int64).alias(COUNT)]
    for m in spec.measures:
        expr = getattr(pl.col(m.column), "mean" if m.op == "avg" else m.op)()
        aggregates.append((expr.round(2) if m.op == "avg" else expr).alias(m.name))
    grouped = frame.group_by(keys).agg(aggregates)
    kept = grouped.filter(pl.col(COUNT) >= k)
    names = [group_name(n, rules.get(n)) for n in spec.group_by]
    return kept.sort(names, nulls_last=True), grouped.height - kept.height


def view_columns(spec: ViewSpec) -> Sequence[str]:
    rules = dict(spec.generalise)
    return [*(group_name(n, rules.get(n)) for n in spec.group_by), COUNT, *(m.name for m in spec.measures)]
