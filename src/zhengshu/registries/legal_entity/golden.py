"""Golden records of the legal-entity base registry (一数一源): the rule table `seed/authority.json` and the
values each source states, read into the form the golden-record computation takes.

The computation itself (authority first, newest fallback, lineage, conflicts) is the population registry's,
which the fusion engine (`core.fusion`) takes over; this module only holds what is particular to entities:
the tax table's date is the end of its 所属期.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

import polars as pl

from zhengshu.registries.population.golden import (
    AuthorityTable,
    GoldenResult,
    field_values,
    golden_records,
    parse_authority,
)

__all__ = ["AuthorityTable", "GoldenResult", "authority_table", "golden_records", "source_values"]

DERIVED_DATES = {"所属期止": ("所属期", r"至\s*(\S+)$")}  # derived date item → (item, pattern of its end)


@cache
def authority_table() -> AuthorityTable:
    """The packaged rule table, `seed/authority.json`."""
    text = resources.files(__package__).joinpath("seed", "authority.json").read_text("utf-8")
    return parse_authority(json.loads(text))


def with_derived_dates(frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with the date items the rule table derives (纳税信息's 所属期止 from its 所属期)."""
    derived = [pl.col(item).cast(pl.String).str.extract(pattern, 1).alias(name)
               for name, (item, pattern) in DERIVED_DATES.items() if item in frame.columns]
    return frame.with_columns(derived) if derived else frame


def source_values(source: str, frame: pl.DataFrame, version: str, table: AuthorityTable | None = None
                  ) -> pl.DataFrame:
    """Every registry field's values in one source (`source` = 部门/资源名), one row per (row, field)."""
    return field_values(source, with_derived_dates(frame), table or authority_table(), version=version)
