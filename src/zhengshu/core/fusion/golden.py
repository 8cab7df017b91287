"""Golden records with 一数一源 (one authoritative source per field), pure Polars, for any base registry: one
record per linked cluster, each field's value taken from the field's authoritative source, or — when that has
none — the newest value among the others; each value with its lineage (source, row, version, date), and the
conflicts between the authority and the others that become correction tasks for the non-authoritative providers.

A registry's rule table is data (a JSON file in the registry's package, read with `load_authority`; see the
population registry's `seed/authority.json` and its `_about` for the format): its fields, each with a title,
a standardiser (by name, from the quality module), the authoritative dataset (部门/资源名) and every source
item stating it, and each dataset's date item (for recency).

    values = pl.concat([field_values(source, frame, table) for source, frame in sources])
    result = golden_records(link_rows, values, table)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

import polars as pl

from zhengshu.core.quality.schemas import STANDARDISERS

AUTHORITATIVE, NEWEST = "权威来源", "最新值"  # how a golden value was chosen

# One long frame of candidate values: each (source, row, field) value of every source.
VALUE_SCHEMA = {"source": pl.String, "row": pl.Int64, "version": pl.String, "field": pl.String,
                "value": pl.String, "date": pl.Date, "subject": pl.String}


@dataclass(frozen=True)
class SourceItem:
    """A source item that states a field: its dataset (部门/表), its item (column), the ID item of the row's
    second person when the value is about them, and a code map applied before standardisation."""

    dataset: str
    item: str
    subject: str | None = None
    values: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FieldRule:
    field: str
    title: str
    standardiser: str
    authority: str | None
    sources: tuple[SourceItem, ...]


@dataclass(frozen=True)
class AuthorityTable:
    """The parsed rule table: its version, each field's rule, each dataset's date item (for recency) and the
    key field (`key_field`, default `id_number`): the field that identifies a record, by which a value about
    a row's second person (`subject`) finds its cluster."""

    version: str
    fields: tuple[FieldRule, ...]
    dates: dict[str, str | None]
    key_field: str = "id_number"

    @property
    def datasets(self) -> tuple[str, ...]:
        """The source datasets (部门/资源名) the table names, in its order."""
        return tuple(self.dates)

    @property
    def key_standardiser(self) -> str:
        return next((r.standardiser for r in self.fields if r.field == self.key_field), "text")

    def ranks(self) -> pl.DataFrame:
        """field, dataset, authority (is it the field's authoritative source), order (the fallback order)."""
        rows = [{"field": rule.field, "dataset": dataset, "authority": dataset == rule.authority, "order": i}
                for rule in self.fields
                for i, dataset in enumerate(dict.fromkeys(s.dataset for s in rule.sources))]
        return pl.DataFrame(rows, schema={"field": pl.String, "dataset": pl.String, "authority": pl.Boolean,
                                          "order": pl.Int64})


def parse_authority(data: dict[str, Any]) -> AuthorityTable:
    """The rule table from its JSON form; a field whose authority states nothing about it is refused."""
    fields = []
    for f in data["fields"]:
        sources = tuple(SourceItem(s["dataset"], s["item"], s.get("subject"), tuple(s.get("values", {}).items()))
                        for s in f["sources"])
        if f["authority"] is not None and f["authority"] not in {s.dataset for s in sources}:
            raise ValueError(f"{f['field']}: the authority {f['authority']} is not one of its sources")
        if f["standardiser"] not in STANDARDISERS:
            raise ValueError(f"{f['field']}: unknown standardiser {f['standardiser']}")
        fields.append(FieldRule(f["field"], f["title"], f["standardiser"], f["authority"], sources))
    dates = {dataset: spec.get("date") for dataset, spec in data["datasets"].items()}
    missing = {s.dataset for f in fields for s in f.sources} - set(dates)
    if missing:
        raise ValueError(f"datasets not listed under `datasets`: {sorted(missing)}")
    return AuthorityTable(str(data["version"]), tuple(fields), dates, data.get("key_field", "id_number"))


def load_authority(package: str, path: str = "seed/authority.json") -> AuthorityTable:
    """A registry's packaged rule table (a JSON file inside its package)."""
    text = resources.files(package).joinpath(*path.split("/")).read_text("utf-8")
    return parse_authority(json.loads(text))


def dataset_of(source: pl.Expr) -> pl.Expr:
    """A source's dataset key 部门/表: `sources/市公安局/户籍人口.csv` → `市公安局/户籍人口`."""
    return source.str.replace(r"^sources/", "").str.replace(r"\.[^./]+$", "")


def standardised(values: pl.Series, standardiser: str) -> pl.Series:
    """Standard form; values a standardiser cannot read stay as they were (trimmed), blanks become null."""
    return STANDARDISERS[standardiser](values).series.str.strip_chars().replace("", None)


def _period_end(dates: pl.Series) -> pl.Series:
    """A period's date is its end: `2025-01-01至2025-12-31` (纳税所属期) → `2025-12-31`."""
    return dates.str.replace(r"^.*[至~～]\s*", "")


def field_values(source: str, frame: pl.DataFrame, table: AuthorityTable, *,
                 version: str | None = None) -> pl.DataFrame:
    """A source's values of every registry field it states, one row per (row, field) in `VALUE_SCHEMA`,
    standardised; `row` counts from 1 in the source's order, as `linkage.person_rows` numbers it."""
    dataset = dataset_of(pl.lit(source)).alias("d")
    key = pl.select(dataset).item()
    date_item = table.dates.get(key)
    # Each row's date standardised once (not once per field the row states): the dates by row number.
    dates = (standardised(_period_end(frame[date_item].cast(pl.String)), "date").str.to_date("%Y-%m-%d", strict=False)
             if date_item in frame.columns else pl.Series(dtype=pl.Date))
    parts = []
    for rule in table.fields:
        for item in rule.sources:
            if item.dataset != key or item.item not in frame.columns:
                continue
            value = pl.col(item.item).cast(pl.String)
            if item.values:
                value = value.str.strip_chars().replace_strict(dict(item.values), default=None)
            subject = pl.col(item.subject).cast(pl.String) if item.subject in frame.columns else pl.lit(None)
            part = frame.select(pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row"),
                                value.alias("value"), subject.cast(pl.String).alias("subject"))
            if item.subject is not None:
                part = part.filter(pl.col("subject").is_not_null())
            parts.append(part.with_columns(standardised(part["value"], rule.standardiser),
                                           pl.lit(rule.field).alias("field")))
    if not parts:
        return pl.DataFrame(schema=VALUE_SCHEMA)
    out = pl.concat(parts)
    return out.with_columns(
        pl.lit(source).alias("source"), pl.lit(version, dtype=pl.String).alias("version"),
        (dates.gather(out["row"] - 1) if dates.len() else pl.repeat(None, out.height, dtype=pl.Date, eager=True))
        .alias("date"),
        standardised(out["subject"], table.key_standardiser).alias("subject"),
    ).select(list(VALUE_SCHEMA))


@dataclass
class GoldenResult:
    """`records`: one row per cluster, a column per field. `lineage`: each golden value with the source, row,
    version and date it came from, `subject` (the ID number when the value is about the row's second person,
    else null) and how it was chosen (权威来源 | 最新值). `conflicts`: each
    non-authoritative value that differs from the authoritative one — a correction task for its provider."""

    records: pl.DataFrame
    lineage: pl.DataFrame
    conflicts: pl.DataFrame


class _Codes:
    """Integer codes for the long strings that sorting and joining would otherwise copy at every step: each
    source path and field name by its rank in sorted order (so ordering codes orders the strings), each
    value row by its position in the values frame (`idx`, to fetch the strings back only for the winners).
    The candidates then carry a few bytes a row instead of five strings (about 8 GiB at 1M people)."""

    def __init__(self, linked: pl.DataFrame, values: pl.DataFrame, table: AuthorityTable) -> None:
        self.sources = pl.concat([values["source"], linked["source"]]).drop_nulls().unique().sort()
        self.fields = pl.concat([values["field"].drop_nulls().unique(), pl.Series([r.field for r in table.fields])]
                                ).unique().sort()
        self.source_type, self.field_type = pl.Enum(self.sources), pl.Enum(self.fields)
        by_source = pl.DataFrame({"source": self.sources}).with_columns(
            self.source(pl.col("source")).alias("s"), dataset_of(pl.col("source")).alias("dataset"))
        self.provider = by_source["dataset"].str.split("/").list.first()
        self.ranks = by_source.join(table.ranks(), on="dataset", how="inner").select(
            "s", self.field(pl.col("field")).alias("f"), "authority", pl.col("order").cast(pl.Int32))

    def source(self, column: pl.Expr) -> pl.Expr:
        return column.cast(self.source_type).to_physical()

    def field(self, column: pl.Expr) -> pl.Expr:
        return column.cast(self.field_type).to_physical()


def _choose(candidates: pl.DataFrame) -> pl.DataFrame:
    """Per (cluster, field): the authority's newest value, else the newest value among the others (rows
    without a date after dated ones, then the rule's fallback order, then source and row; then the value's
    position, so that even full ties are decided the same way every time). Gives cluster, f, idx, authority,
    by cluster and field. One field at a time: sorting all fields at once would hold a second copy of every
    candidate (3 GiB at 1M people)."""
    keys = ["cluster", "authority", "date", "order", "s", "row", "idx"]
    first = (pl.int_range(pl.len()) == 0) | pl.col("cluster").ne_missing(pl.col("cluster").shift())
    chosen = [candidates.filter(pl.col("f") == f).sort(keys, descending=[False, True, True, False, False, False,
                                                                         False], nulls_last=True)
              .filter(first).select("cluster", "f", "idx", "authority")
              for f in candidates["f"].unique().sort()]
    return pl.concat(chosen).sort("cluster", "f") if chosen else candidates.select("cluster", "f", "idx", "authority")


def golden_records(linked: pl.DataFrame, values: pl.DataFrame, table: AuthorityTable) -> GoldenResult:
    """Golden records from linked rows (`source`, `row`, `cluster`, as `LinkResult.rows`) and their field
    values (`field_values` of each source). A value about a row's second person (`subject`) counts for the
    cluster whose golden key field (`table.key_field`, 公民身份号码 for persons) has that value, when exactly
    one cluster has it. The choice runs on integer codes (`_Codes`); the strings are fetched for the results."""
    codes = _Codes(linked, values, table)
    indexed = values.lazy().with_row_index("idx").filter(pl.col("value").is_not_null())
    keys = ["idx", codes.source(pl.col("source")).alias("s"), "row", codes.field(pl.col("field")).alias("f"), "date"]
    clusters = linked.lazy().select(codes.source(pl.col("source")).alias("s"), "row", "cluster")
    ranks = codes.ranks.lazy()
    direct = indexed.filter(pl.col("subject").is_null()).select(keys) \
        .join(clusters, on=["s", "row"], how="inner").join(ranks, on=["s", "f"], how="inner")
    key = codes.fields.index_of(table.key_field)  # None when no rule states the key field: no second persons
    ids = _choose(direct.filter(pl.col("f") == key).collect() if key is not None else direct.head(0).collect())
    ids = ids.select("cluster", values["value"].gather(ids["idx"]).alias("subject"))
    second = indexed.filter(pl.col("subject").is_not_null()).select(*keys, "subject") \
        .join(ids.lazy().filter(pl.len().over("subject") == 1), on="subject", how="inner") \
        .join(ranks, on=["s", "f"], how="inner").select(direct.collect_schema().names())
    candidates = pl.concat([direct, second]).collect()
    chosen = _choose(candidates)

    def fetch(rows: pl.Series, *columns: str, prefix: str = "") -> list[pl.Series]:
        return [values[c].gather(rows).alias(prefix + c) for c in columns]

    lineage = pl.DataFrame([chosen["cluster"], codes.fields.gather(chosen["f"]).alias("field"),
                            *fetch(chosen["idx"], "value", "source", "row", "subject", "version", "date"),
                            pl.Series("basis", [NEWEST, AUTHORITATIVE]).gather(chosen["authority"].cast(pl.UInt8))])
    records = chosen.select(pl.col("cluster").unique().sort())
    for f in table.fields:  # a join per field, on codes: a pivot of the strings costs 2 GiB at 1M people
        won = chosen.filter(pl.col("f") == codes.fields.index_of(f.field)).select("cluster", "idx")
        found = records.join(won, on="cluster", how="left", maintain_order="left")["idx"]
        records = records.with_columns(values["value"].gather(found).alias(f.field))

    golden = chosen.filter(pl.col("authority")).select("cluster", "f", pl.col("idx").alias("golden"))

    def differing(f: int) -> pl.DataFrame:
        """The field's non-authoritative values that differ from its golden authoritative one."""
        others = candidates.filter((pl.col("f") == f) & ~pl.col("authority")).select("cluster", "f", "s", "row", "idx")
        others = others.join(golden.filter(pl.col("f") == f), on=["cluster", "f"], how="inner")
        return others.filter(values["value"].gather(others["idx"]) != values["value"].gather(others["golden"]))

    others = pl.concat([differing(f) for f in golden["f"].unique()] or [
        candidates.select("cluster", "f", "s", "row", "idx", pl.col("idx").alias("golden")).clear()])
    others = others.sort("cluster", "f", "s", "row", "idx")
    conflicts = pl.DataFrame([
        others["cluster"], codes.fields.gather(others["f"]).alias("field"),
        *fetch(others["golden"], "value", "source", "row", prefix="authoritative_"),
        *fetch(others["idx"], "value", "source", "row", "version", prefix="other_"),
        codes.provider.gather(others["s"]).alias("provider")])
    return GoldenResult(records, lineage, conflicts)
