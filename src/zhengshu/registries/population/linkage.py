"""Person entity resolution on Splink and DuckDB (人员实体识别): standardise the person rows of many sources,
link rows with the same valid ID number exactly, match the rest probabilistically and cluster the links.

Input: one frame of person rows, `source` and `row` (the row's number in its source) plus any of the
fields in `domain.PERSON_FIELDS` as text. Output: each row with its cluster (one cluster = one person), how
it was linked and the match weight of its best probabilistic link.

Cluster ids are per run (the smallest row id in the cluster); ids stable across runs come with incremental
fusion.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date

import duckdb
import polars as pl
from splink import DuckDBAPI, Linker
from splink.clustering import cluster_pairwise_predictions_at_threshold

from zhengshu.core.quality.schemas import STANDARDISERS, id_birth, id_number_valid
from zhengshu.registries.population.domain import (
    CONTEXT_FIELDS,
    FIELD_STANDARDISERS,
    MATCH_PROBABILITY,
    PERSON_FIELDS,
    birth_band,
    exact_key,
    model_settings,
    person_fields,
    representative,
)

# Deterministic rules for Splink's estimate of the prior (pairs they find / their assumed recall).
_PRIOR_RULES = ["l.name = r.name and l.birth_date = r.birth_date", "l.name = r.name and l.phone = r.phone"]
_PRIOR_RECALL = 0.6
_SECOND_PASS_ROUNDS = 3


@dataclass
class LinkResult:
    """Each input row's cluster (`source`, `row`, `cluster`, `link`: 身份证号 | 概率匹配 | 整簇匹配 | 未链接,
    `match_weight`), and the seconds each stage took."""

    rows: pl.DataFrame
    seconds: dict[str, float] = field(default_factory=dict)
    pairs_scored: int = 0


def person_rows(source: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A source's rows as person rows: `source`, `row` (from 1) and the person fields its items hold."""
    fields = person_fields(frame.columns)
    return frame.select(pl.lit(source).alias("source"), pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row"),
                        *(pl.col(column).cast(pl.String).alias(name) for name, column in fields.items()))


def standardise_person_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """`source`, `row` and every person field in standard form (null where a source has no such field)."""
    columns = [pl.col("source").cast(pl.String), pl.col("row").cast(pl.Int64)]
    out = frame.select(columns)
    for name in (*PERSON_FIELDS, *CONTEXT_FIELDS):
        if name in frame.columns and name in FIELD_STANDARDISERS:
            series = STANDARDISERS[FIELD_STANDARDISERS[name]](frame[name].cast(pl.String)).series
        elif name in frame.columns:
            series = frame[name].cast(pl.String).str.strip_chars()
        else:
            series = pl.Series(name, [None] * len(frame), dtype=pl.String)
        out = out.with_columns(series.alias(name))
    return out


def _prepared(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows with their exact-link key, and birth date and sex taken from a valid ID number where missing."""
    number = pl.col("id_number")
    valid = id_number_valid(number).fill_null(False)
    sex_from_id = pl.when(number.str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1).then(pl.lit("男")) \
        .otherwise(pl.lit("女"))
    return rows.with_row_index("input").with_columns(
        exact_key(valid, number).alias("exact_key"),
        pl.when(valid).then(id_birth(number).cast(pl.String)).otherwise(pl.col("birth_date")).alias("birth_date"),
        pl.when(valid).then(sex_from_id).otherwise(pl.col("sex")).alias("sex"),
    )


def _candidates(prepared: pl.DataFrame) -> pl.DataFrame:
    """What Splink compares: one representative per exact-link key, and each row without a valid ID."""
    keyed = representative(prepared.lazy().filter(pl.col("exact_key").is_not_null()), "exact_key") \
        .with_columns(pl.col("exact_key").alias("id_number")).sort("exact_key", "name", "address",
                                                                    nulls_last=True).collect()
    loose = prepared.filter(pl.col("exact_key").is_null())
    frame = pl.concat([keyed.select("exact_key", *PERSON_FIELDS),
                       loose.select("exact_key", *PERSON_FIELDS)], how="vertical")
    return frame.with_row_index("uid").with_columns(
        pl.col("uid").cast(pl.Int64),
        pl.col("name").str.slice(0, 1).alias("surname"),
        pl.when(pl.col("id_number").str.len_chars() == 18).then(pl.col("id_number").str.slice(0, 17))
        .alias("id_body"),
    )


def link_persons(rows: pl.DataFrame, *, threshold: float = MATCH_PROBABILITY, seed: int = 0,
                 u_pairs: float = 2e6, as_of: date | None = None) -> LinkResult:
    """Link standardised person rows (see `standardise_person_rows`) into clusters, one per person."""
    logging.getLogger("splink").setLevel(logging.WARNING)
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    prepared = _prepared(rows)
    candidates = _candidates(prepared)
    seconds["exact"] = time.perf_counter() - start

    start = time.perf_counter()
    connection = duckdb.connect()
    try:
        from zhengshu.core.fusion.backend import splink_api  # DuckDB, or Spark when the settings name a master
        db_api = splink_api(connection)
        table = db_api.register(candidates.to_arrow(), dataset_display_name="persons")
        linker = Linker(table, model_settings(prior=1e-4), log_level=None)
        linker.training.estimate_probability_two_random_records_match(_PRIOR_RULES, recall=_PRIOR_RECALL)
        linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
        seconds["train"] = time.perf_counter() - start

        start = time.perf_counter()
        predictions = linker.inference.predict(threshold_match_probability=threshold)
        pairs = pl.from_arrow(predictions.as_pyarrow_table())
        cluster_of = _clusters(db_api, candidates, pairs)
        seconds["predict_cluster"] = time.perf_counter() - start
    finally:
        connection.close()

    start = time.perf_counter()
    result = _assign(prepared, candidates, pairs, cluster_of)
    seconds["assign"] = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(_SECOND_PASS_ROUNDS):  # a card that joins makes its cluster carded: others may be decided
        before = result["cluster"]
        result = _second_pass(prepared, result, as_of or date.today())
        if result["cluster"].equals(before):
            break
    seconds["second_pass"] = time.perf_counter() - start
    return LinkResult(result, seconds, len(pairs))


def _clusters(db_api: DuckDBAPI, candidates: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Connected components (Splink's) of the links above the threshold and of the exact links: the rows
    standing for one ID number (`domain.representative`) are one person."""
    same_key = candidates.filter(pl.col("exact_key").is_not_null()) \
        .select(pl.col("uid").min().over("exact_key").alias("uid_l"), pl.col("uid").alias("uid_r")) \
        .filter(pl.col("uid_l") != pl.col("uid_r"))
    edges = pl.concat([pairs.select(pl.col("uid_l").cast(pl.Int64), pl.col("uid_r").cast(pl.Int64)), same_key])
    clusters = cluster_pairwise_predictions_at_threshold(
        db_api.register(candidates.select("uid").to_arrow(), dataset_display_name="person_nodes"),
        db_api.register(edges.to_arrow(), dataset_display_name="person_edges"), db_api, "uid")
    return pl.from_arrow(clusters.as_pyarrow_table().select(["uid", "cluster_id"]))


def _assign(prepared: pl.DataFrame, candidates: pl.DataFrame, pairs: pl.DataFrame,
            cluster_of: pl.DataFrame) -> pl.DataFrame:
    """Each input row's cluster, numbered by the smallest input row in it, with how it was linked."""
    if pairs.is_empty():
        best = pl.DataFrame(schema={"uid": pl.Int64, "match_weight": pl.Float64})
    else:
        ends = pl.concat([pairs.select(pl.col("uid_l").alias("uid"), "match_weight"),
                          pairs.select(pl.col("uid_r").alias("uid"), "match_weight")])
        best = ends.group_by("uid").agg(pl.col("match_weight").max()).with_columns(pl.col("uid").cast(pl.Int64))
    uid_of = candidates.select("uid", "exact_key")
    keyed = prepared.filter(pl.col("exact_key").is_not_null()).join(
        uid_of.filter(pl.col("exact_key").is_not_null()).group_by("exact_key").agg(pl.col("uid").min()),
        on="exact_key", how="left")
    loose = prepared.filter(pl.col("exact_key").is_null()).with_columns(
        (pl.int_range(pl.len()) + uid_of["exact_key"].is_not_null().sum()).cast(pl.Int64).alias("uid"))
    assigned = (pl.concat([keyed.select("input", "source", "row", "uid", "exact_key"),
                           loose.select("input", "source", "row", "uid", "exact_key")])
                .join(cluster_of.with_columns(pl.col("uid").cast(pl.Int64)), on="uid", how="left")
                .join(best, on="uid", how="left")
                .with_columns(pl.col("cluster_id").fill_null(pl.col("uid").cast(pl.String))))
    return (assigned.with_columns(pl.col("input").min().over("cluster_id").alias("cluster"))
            .with_columns(pl.when(pl.col("exact_key").is_not_null()).then(pl.lit("身份证号"))
                          .when(pl.col("match_weight").is_not_null()).then(pl.lit("概率匹配"))
                          .otherwise(pl.lit("未链接")).alias("link"))
            .sort("input").select("source", "row", "cluster", "link", "match_weight"))


def _second_pass(prepared: pl.DataFrame, rows: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """Whole-cluster matching (整簇匹配) for the clusters without a valid ID number (a bus card alone: a name and
    a phone; utility accounts and a card linked by their phone): such a cluster joins the one cluster holding
    a valid ID number, one of its names and a birth date all its cards allow (`domain.birth_band`), when that
    cluster is the only such one and
    - one of its phones leads there: the phone is on one of the cluster's rows, or on a cluster sharing an
      address with it (a child's card carries the household head's phone); or its row's spouse (a marriage
      registration's 女方身份证号) has a cluster sharing an address with it; or
    - it holds a card and that cluster holds none yet (a person holds one 实名 card), and no other cluster
      chooses it with a card; or
    - no cluster but these two bears its name.
    A cluster joins one cluster and never merges two, so two clusters with different valid IDs are never
    chained through it."""
    frame = prepared.select("input", "exact_key", "name", "birth_date", "phone", "address", *CONTEXT_FIELDS) \
        .with_columns(rows["cluster"], rows["link"])
    keyed_clusters = frame.filter(pl.col("exact_key").is_not_null())["cluster"].unique().implode()
    loose = frame.filter(~pl.col("cluster").is_in(keyed_clusters))
    keyed = frame.filter(pl.col("cluster").is_in(keyed_clusters))
    if loose.is_empty() or keyed.is_empty():
        return rows
    earliest, latest = birth_band(pl.col("card_type"), pl.col("card_date").str.to_date(strict=False), pl.lit(as_of))
    units = loose.group_by(pl.col("cluster").alias("unit")).agg(
        earliest.max().alias("earliest"), latest.min().alias("latest"),
        pl.col("card_type").is_not_null().any().alias("card"))
    births = keyed.filter(pl.col("exact_key").is_not_null()).group_by("cluster") \
        .agg(pl.col("birth_date").drop_nulls().min().str.to_date(strict=False).alias("born"))
    carded = keyed.group_by("cluster").agg(pl.col("card_type").is_not_null().any().alias("carded"))
    targets = keyed.select("cluster", "name").drop_nulls().unique().join(births, on="cluster", how="left") \
        .join(carded, on="cluster", how="left")
    options = (loose.select(pl.col("cluster").alias("unit"), "name").drop_nulls().unique()
               .join(targets, on="name").join(units, on="unit")
               .filter((pl.col("earliest").is_null() | (pl.col("born") >= pl.col("earliest")))
                       & (pl.col("latest").is_null() | (pl.col("born") <= pl.col("latest")))))
    # Evidence from the phone: clusters holding it, and the clusters sharing an address with those.
    phones = frame.filter(pl.col("phone").is_not_null()).select("phone", "cluster").unique()
    addresses = frame.filter(pl.col("address").is_not_null()).select("cluster", "address").unique()
    owners = loose.select(pl.col("cluster").alias("unit"), "phone").drop_nulls().unique().join(phones, on="phone") \
        .filter(pl.col("unit") != pl.col("cluster")).select("unit", "cluster").unique()
    spouses = loose.select(pl.col("cluster").alias("unit"), pl.col("partner_id").alias("exact_key")).drop_nulls() \
        .join(keyed.select("exact_key", "cluster").drop_nulls().unique(), on="exact_key").select("unit", "cluster")
    housemates = pl.concat([owners, spouses]).join(addresses, on="cluster").join(addresses, on="address",
                                                                                  suffix="_h") \
        .select("unit", pl.col("cluster_h").alias("cluster"))
    led = pl.concat([owners, housemates]).unique().with_columns(pl.lit(True).alias("led"))
    options = options.unique(["unit", "cluster"]).join(led, on=["unit", "cluster"], how="left") \
        .with_columns(pl.col("led").fill_null(False))
    by_phone = options.filter(pl.col("led")).filter(pl.len().over("unit") == 1)
    uncarded = options.filter(pl.col("card") & ~pl.col("carded").fill_null(False))
    by_card = uncarded.filter(pl.len().over("unit") == 1).filter(pl.len().over("cluster") == 1)
    bearers = frame.group_by("name").agg(pl.col("cluster").n_unique().alias("bearers"))
    unique_names = loose.select(pl.col("cluster").alias("unit"), "name").unique().join(bearers, on="name") \
        .filter(pl.col("bearers") == 2).select("unit").unique()
    by_name = options.filter(pl.len().over("unit") == 1).join(unique_names, on="unit")
    chosen = pl.concat([part.select("unit", "cluster", "card") for part in (by_phone, by_card, by_name)]) \
        .unique("unit", keep="first", maintain_order=True)
    # A cluster takes at most one card.
    chosen = chosen.filter(~pl.col("card") | (pl.len().over("cluster", "card") == 1)) \
        .select(pl.col("unit").alias("cluster"), pl.col("cluster").alias("joined"))
    return (rows.join(chosen, on="cluster", how="left", maintain_order="left")
            .with_columns(pl.when(pl.col("joined").is_not_null()).then(pl.lit("整簇匹配")).otherwise(pl.col("link"))
                          .alias("link"), pl.coalesce("joined", "cluster").alias("cluster"))
            .select(rows.columns))
