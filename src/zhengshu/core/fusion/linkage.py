"""What the registries' entity resolution on Splink and DuckDB (实体识别) has in common, so that each registry's
`linkage` holds only its own rules: the stages' timing and Splink's DuckDB backend, a source's rows as the
registry's fields, their standard form, the exact-link key (the same valid key = the same object), a key's
most frequent value, the Fellegi–Sunter model's comparison levels and settings, the connected components of
the links, and each input row's uid and best match weight.

Only Polars is imported at load time: Splink and DuckDB are loaded when a registry links (`splink_api`,
`components`), so that a registry's pure rules may use the pieces here without loading them.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import polars as pl

if TYPE_CHECKING:
    from splink.internals.database_api import DatabaseAPI

# Two rows that both have a valid key were settled by the exact links: no blocking rule compares them again.
NOT_BOTH_EXACT = "(l.exact_key is null or r.exact_key is null)"


@dataclass
class LinkResult:
    """Each input row's cluster (`source`, `row`, `cluster`, `link`: how it was linked, `match_weight`), the
    seconds each stage took and how many pairs scored above the threshold."""

    rows: pl.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)
    pairs_scored: int = 0


@contextmanager
def timed(seconds: dict[str, float], stage: str) -> Iterator[None]:
    """Adds the seconds the block takes to `seconds[stage]`."""
    start = time.perf_counter()
    try:
        yield
    finally:
        seconds[stage] = seconds.get(stage, 0.0) + time.perf_counter() - start


@contextmanager
def splink_api() -> Iterator[DatabaseAPI[Any]]:
    """Splink's backend for one linkage (`backend.database_api`: DuckDB on a connection of its own, closed when
    the block ends, or Spark when the settings name a master). Splink logs errors only: its warnings (e.g. "u
    values not fully trained" for a level the random sample never meets, which then takes Splink's default on
    purpose) are noise on a data officer's console; the run's figures are in the fusion report."""
    import duckdb

    from zhengshu.core.fusion.backend import database_api

    logging.getLogger("splink").setLevel(logging.ERROR)
    connection = duckdb.connect()
    try:
        yield database_api(connection)
    finally:
        connection.close()


# --- rows (输入行) -------------------------------------------------------------------------------------------------


def item_fields(columns: Iterable[str], items: Mapping[str, str]) -> dict[str, str]:
    """The fields a source's columns hold (`items`: column header → field): field → column (the first column
    naming a field wins)."""
    found: dict[str, str] = {}
    for column in columns:
        name = items.get(column)
        if name is not None and name not in found:
            found[name] = column
    return found


def source_rows(source: str, frame: pl.DataFrame, fields: Mapping[str, str]) -> pl.DataFrame:
    """A source's rows as link rows: `source`, `row` (from 1) and the fields (field → column) as text."""
    return frame.select(pl.lit(source).alias("source"), pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row"),
                        *(pl.col(column).cast(pl.String).alias(name) for name, column in fields.items()))


def standardised(frame: pl.DataFrame, fields: Sequence[str], standardisers: Mapping[str, str]) -> pl.DataFrame:
    """`source`, `row` and each of `fields` in standard form: by its standardiser (field → name in the quality
    module's STANDARDISERS), else only stripped; null where a source has no such field."""
    from zhengshu.core.quality.schemas import STANDARDISERS

    out = frame.select(pl.col("source").cast(pl.String), pl.col("row").cast(pl.Int64))
    for name in fields:
        if name in frame.columns and name in standardisers:
            series = STANDARDISERS[standardisers[name]](frame[name].cast(pl.String)).series
        elif name in frame.columns:
            series = frame[name].cast(pl.String).str.strip_chars()
        else:
            series = pl.Series(name, [None] * len(frame), dtype=pl.String)
        out = out.with_columns(series.alias(name))
    return out


# --- exact links (确定性链接) ------------------------------------------------------------------------------------


def exact_key(valid: pl.Expr, key: pl.Expr) -> pl.Expr:
    """The exact-link key of a row: its key (ID number, credit code) when valid, else null."""
    return pl.when(valid).then(key).otherwise(None)


def most_frequent(column: str) -> pl.Expr:
    """A field's most frequent non-null value in a group (ties: the smallest, so the result does not depend on
    row order)."""
    value = pl.col(column).drop_nulls()
    return value.filter(value.is_in(value.mode())).min().alias(column)


# --- the probabilistic model (概率匹配模型) ------------------------------------------------------------------------


def levels(column: str, agreements: Sequence[tuple], *, tf: bool = False) -> dict:
    """A Splink comparison of `column`: a null level (缺失), then each agreement level `(label, SQL condition,
    m)` or `(label, SQL condition, m, u)` in order, then 不同 (else) taking the rest of m (and of u, when the
    levels fix u). With `tf` the 相同 level is adjusted by the value's frequency (term frequencies)."""
    comparison_levels: list[dict] = [{"sql_condition": f"{column}_l is null or {column}_r is null",
                                      "label_for_charts": "缺失", "is_null_level": True}]
    for label, condition, m, *u in agreements:
        level = {"sql_condition": condition, "label_for_charts": label, "m_probability": m}
        level |= {"u_probability": u[0]} if u else {}
        if tf and label == "相同":
            level |= {"tf_adjustment_column": column, "tf_adjustment_weight": 1.0}
        comparison_levels.append(level)
    other = {"sql_condition": "ELSE", "label_for_charts": "不同",
             "m_probability": 1.0 - sum(level[2] for level in agreements)}
    if all(len(level) > 3 for level in agreements):
        other["u_probability"] = 1.0 - sum(level[3] for level in agreements)
    comparison_levels.append(other)
    return {"output_column_name": column, "comparison_levels": comparison_levels}


def model_settings(prior: float, comparisons: list[dict], blocking_rules: Sequence[str]) -> dict:
    """Splink settings for deduplicating rows (`uid` identifies a row, `prior` is the probability that two
    random rows are the same object); each blocking rule leaves out pairs of two exactly keyed rows."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "uid",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons,
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": f"{rule} and {NOT_BOTH_EXACT}"} for rule in blocking_rules],
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }


# --- clusters (聚类) ---------------------------------------------------------------------------------------------


def components(nodes: pl.DataFrame, edges: pl.DataFrame, db_api: DatabaseAPI[Any]) -> pl.DataFrame:
    """Connected components (Splink's) of `edges` (`uid_l`, `uid_r`) over `nodes` (`uid`): `uid`, `cluster_id`."""
    from splink.clustering import cluster_pairwise_predictions_at_threshold

    found = cluster_pairwise_predictions_at_threshold(
        nodes.select("uid").to_arrow(), edges.select("uid_l", "uid_r").to_arrow(), db_api,
        node_id_column_name="uid", edge_id_column_name_left="uid_l", edge_id_column_name_right="uid_r")
    return pl.from_arrow(found.as_pyarrow_table()).select(pl.col("uid").cast(pl.Int64), "cluster_id")


def best_weights(pairs: pl.DataFrame) -> pl.DataFrame:
    """Each linked uid's best (highest) match weight among `pairs` (`uid_l`, `uid_r`, `match_weight`)."""
    if pairs.is_empty():
        return pl.DataFrame(schema={"uid": pl.Int64, "match_weight": pl.Float64})
    ends = pl.concat([pairs.select(pl.col("uid_l").alias("uid"), "match_weight"),
                      pairs.select(pl.col("uid_r").alias("uid"), "match_weight")])
    return ends.group_by("uid").agg(pl.col("match_weight").max()).with_columns(pl.col("uid").cast(pl.Int64))


def row_uids(prepared: pl.DataFrame, candidates: pl.DataFrame) -> pl.DataFrame:
    """Each input row (`input`, `source`, `row`, `exact_key`) with the uid of the candidate standing for it:
    a keyed row's key's first candidate, a loose row its own (the candidates after the keyed ones, in order)."""
    uid_of = candidates.select("uid", "exact_key")
    keyed = prepared.filter(pl.col("exact_key").is_not_null()).join(
        uid_of.filter(pl.col("exact_key").is_not_null()).group_by("exact_key").agg(pl.col("uid").min()),
        on="exact_key", how="left")
    loose = prepared.filter(pl.col("exact_key").is_null()).with_columns(
        (pl.int_range(pl.len()) + uid_of["exact_key"].is_not_null().sum()).cast(pl.Int64).alias("uid"))
    return pl.concat([keyed.select("input", "source", "row", "uid", "exact_key"),
                      loose.select("input", "source", "row", "uid", "exact_key")])
