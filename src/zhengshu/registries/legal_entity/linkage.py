"""Legal-entity resolution on Splink and DuckDB (法人实体识别): standardise the entity rows of many sources, link
rows with the same valid 统一社会信用代码 exactly, match the rest probabilistically and cluster the links.

Input: one frame of entity rows, `source` and `row` (the row's number in its source) plus any of the fields
in `domain.ENTITY_FIELDS` as text. Output: each row with its cluster (one cluster = one legal entity), how it
was linked and the match weight of its best probabilistic link.

Clustering is a star around the exact links, not plain connected components: a row without a valid code joins
the one credit-code entity it matches best (two equally good ones: it joins neither), so one doubtful row
never chains two registered entities into one. Rows without a code that match no registered entity cluster
among themselves.
"""

from __future__ import annotations

import polars as pl
from splink import DuckDBAPI, Linker

from zhengshu.core.fusion.linkage import (
    LinkResult,
    best_weights,
    components,
    exact_key,
    row_uids,
    source_rows,
    splink_api,
    standardised,
    timed,
)
from zhengshu.core.quality.schemas import address_district, credit_code_valid
from zhengshu.registries.legal_entity.domain import (
    ENTITY_FIELDS,
    FIELD_STANDARDISERS,
    MATCH_PROBABILITY,
    canonical_name,
    entity_fields,
    name_core,
    prior,
    representative,
    settings,
)

COMPARED = (*ENTITY_FIELDS, "name_core", "district")


def entity_rows(source: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A source's rows as entity rows: `source`, `row` (from 1) and the entity fields its items hold."""
    return source_rows(source, frame, entity_fields(frame.columns))


def standardise_entity_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """`source`, `row` and every entity field in standard form (null where a source has no such field)."""
    return standardised(frame, ENTITY_FIELDS, FIELD_STANDARDISERS) \
        .with_columns(canonical_name(pl.col("name")).alias("name"))


def _prepared(rows: pl.DataFrame) -> pl.DataFrame:
    """Rows with their exact-link key, the name's core and the district (from the address, else the name)."""
    valid = credit_code_valid(pl.col("credit_code")).fill_null(False)
    district = pl.coalesce(address_district(rows["address"]), address_district(rows["name"]))
    return rows.with_row_index("input").with_columns(
        exact_key(valid, pl.col("credit_code")).alias("exact_key"),
        name_core(pl.col("name")).alias("name_core"),
        district.alias("district"),
    )


def _candidates(prepared: pl.DataFrame) -> pl.DataFrame:
    """What Splink compares: one representative per exact-link key, and each row without a valid code."""
    fields = tuple(f for f in COMPARED if f != "credit_code")
    keyed = representative(prepared.lazy().filter(pl.col("exact_key").is_not_null()), "exact_key", fields) \
        .with_columns(pl.col("exact_key").alias("credit_code")).sort("exact_key").collect()
    loose = prepared.filter(pl.col("exact_key").is_null())
    frame = pl.concat([keyed.select("exact_key", *COMPARED), loose.select("exact_key", *COMPARED)], how="vertical")
    core = pl.col("name_core")
    return frame.with_row_index("uid").with_columns(
        pl.col("uid").cast(pl.Int64),
        pl.when(pl.col("credit_code").str.len_chars() == 18).then(pl.col("credit_code").str.slice(0, 17))
        .alias("code_body"),
        core.str.slice(0, 2).alias("core_head"), core.str.slice(-2, 2).alias("core_tail"),
        core.str.len_chars().alias("core_length"),
    )


def link_entities(rows: pl.DataFrame, *, threshold: float = MATCH_PROBABILITY) -> LinkResult:
    """Link standardised entity rows (see `standardise_entity_rows`) into clusters, one per legal entity."""
    seconds: dict[str, float] = {}
    with timed(seconds, "exact"):
        prepared = _prepared(rows)
        candidates = _candidates(prepared)
    with splink_api() as db_api, timed(seconds, "predict_cluster"):
        loose = candidates.filter(pl.col("exact_key").is_null())
        pairs = pl.DataFrame(schema={"uid_l": pl.Int64, "uid_r": pl.Int64, "match_weight": pl.Float64})
        if not loose.is_empty() and len(candidates) > 1:
            table = db_api.register(candidates.to_arrow(), dataset_display_name="entities")
            linker = Linker(table, settings(prior(len(candidates))), log_level=None)
            predictions = linker.inference.predict(threshold_match_probability=threshold)
            pairs = pl.from_arrow(predictions.as_pyarrow_table()).select(
                pl.col("uid_l").cast(pl.Int64), pl.col("uid_r").cast(pl.Int64), "match_weight")
        cluster_of = _star_clusters(candidates, pairs, db_api)
    with timed(seconds, "assign"):
        result = _assign(prepared, candidates, pairs, cluster_of)
    with timed(seconds, "second_pass"):
        result = _second_pass(prepared, result)
    return LinkResult(result, seconds, len(pairs))


def _star_clusters(candidates: pl.DataFrame, pairs: pl.DataFrame, db_api: DuckDBAPI) -> pl.DataFrame:
    """`uid` → `cluster_uid` for the rows without a valid code that link: each joins the one keyed candidate it
    matches best (a tie between two: none), or else the keyed candidate its linked loose rows all joined;
    the rest cluster among themselves (connected components of their links)."""
    keyed = candidates.select("uid", pl.col("exact_key").is_not_null().alias("keyed"))
    ends = pl.concat([pairs.select(pl.col("uid_l").alias("uid"), pl.col("uid_r").alias("other"), "match_weight"),
                      pairs.select(pl.col("uid_r").alias("uid"), pl.col("uid_l").alias("other"), "match_weight")])
    ends = ends.join(keyed, on="uid").join(keyed.rename({"uid": "other", "keyed": "other_keyed"}), on="other") \
        .filter(~pl.col("keyed"))
    to_keyed = ends.filter(pl.col("other_keyed"))
    best = to_keyed.filter(pl.col("match_weight") == pl.col("match_weight").max().over("uid"))
    joined = best.filter(pl.len().over("uid") == 1).select("uid", pl.col("other").alias("cluster_uid"))
    between = ends.filter(~pl.col("other_keyed"))
    via = (between.join(joined.rename({"uid": "other"}), on="other").join(joined, on="uid", how="anti")
           .group_by("uid").agg(pl.col("cluster_uid").unique())
           .filter(pl.col("cluster_uid").list.len() == 1).select("uid", pl.col("cluster_uid").list.first()))
    joined = pl.concat([joined, via])
    rest = between.join(joined, on="uid", how="anti").join(joined.rename({"uid": "other"}), on="other", how="anti")
    if rest.is_empty():
        return joined
    nodes = pl.concat([rest["uid"], rest["other"]]).unique().to_frame("uid")
    edges = rest.filter(pl.col("uid") < pl.col("other")).select(pl.col("uid").alias("uid_l"),
                                                                pl.col("other").alias("uid_r"))
    found = components(nodes, edges, db_api)
    found = found.with_columns(pl.col("uid").min().over("cluster_id").alias("cluster_uid")).select("uid", "cluster_uid")
    return pl.concat([joined, found])


def _assign(prepared: pl.DataFrame, candidates: pl.DataFrame, pairs: pl.DataFrame,
            cluster_of: pl.DataFrame) -> pl.DataFrame:
    """Each input row's cluster, numbered by the smallest input row in it, with how it was linked."""
    assigned = (row_uids(prepared, candidates).join(cluster_of, on="uid", how="left")
                .join(best_weights(pairs), on="uid", how="left")
                .with_columns(pl.coalesce("cluster_uid", "uid").alias("cluster_uid")))
    linked = pl.col("cluster_uid") != pl.col("uid")
    return (assigned.with_columns(pl.col("input").min().over("cluster_uid").alias("cluster"))
            .with_columns(pl.when(pl.col("exact_key").is_not_null()).then(pl.lit("信用代码"))
                          .when(linked | pl.col("uid").is_in(cluster_of["cluster_uid"].implode()))
                          .then(pl.lit("概率匹配"))
                          .otherwise(pl.lit("未链接")).alias("link"))
            .with_columns(pl.when(pl.col("link") == "概率匹配").then(pl.col("match_weight")).alias("match_weight"))
            .sort("input").select("source", "row", "cluster", "link", "match_weight"))


def _second_pass(prepared: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Unique-name matching (名称唯一匹配) for the rows left alone: a row without a valid code joins the one
    registered entity (cluster holding a valid code) whose rows bear its exact canonical name, when no other
    cluster bears that name — a penalty or an equipment record that lost its code still names its entity —
    unless the row's own (miscopied) code has a different body from that entity's code."""
    frame = prepared.select("input", "exact_key", "name", "credit_code").with_columns(rows["cluster"], rows["link"])
    alone = frame.filter((pl.len().over("cluster") == 1) & pl.col("exact_key").is_null()
                         & pl.col("name").is_not_null())
    if alone.is_empty():
        return rows
    bearers = frame.filter(pl.col("name").is_not_null()).group_by("name").agg(
        pl.col("cluster").n_unique().alias("bearers"))
    keyed = frame.filter(pl.col("exact_key").is_not_null()).group_by("name").agg(
        pl.col("cluster").first(), pl.col("exact_key").first())
    chosen = (alone.join(bearers.filter(pl.col("bearers") == 2), on="name")
              .join(keyed, on="name", suffix="_k")
              .filter(pl.col("credit_code").is_null()
                      | (pl.col("credit_code").str.slice(0, 17) == pl.col("exact_key_k").str.slice(0, 17)))
              .select("input", pl.col("cluster_k").alias("joined")))
    return (rows.with_row_index("input").join(chosen, on="input", how="left")
            .with_columns(pl.when(pl.col("joined").is_not_null()).then(pl.lit("名称唯一")).otherwise(pl.col("link"))
                          .alias("link"), pl.coalesce("joined", "cluster").alias("cluster"))
            .select(rows.columns))
