"""Person entity resolution on Splink and DuckDB (人员实体识别): standardise the person rows of many sources,
link rows with the same valid ID number exactly, match the rest probabilistically and cluster the links.

Input: one frame of person rows, `source` and `row` (the row's number in its source) plus any of the
fields in `domain.PERSON_FIELDS` as text. Output: each row with its cluster (one cluster = one person), how
it was linked and the match weight of its best probabilistic link.

Cluster ids are per run (the smallest row id in the cluster); ids stable across runs come with incremental
fusion.
"""

from __future__ import annotations

from datetime import date

import polars as pl
from splink import DuckDBAPI, Linker

from zhengshu.core.fusion.linkage import (
    LinkResult,
    best_weights,
    components,
    exact_key,
    most_frequent,
    row_uids,
    source_rows,
    splink_api,
    standardised,
    timed,
)
from zhengshu.core.quality.schemas import id_birth, id_number_valid
from zhengshu.registries.population.domain import (
    CONTEXT_FIELDS,
    FIELD_STANDARDISERS,
    MANY_IDS,
    MATCH_PROBABILITY,
    PERSON_FIELDS,
    WHOLE_ON_VARIANT,
    birth_band,
    person_fields,
    representative,
    settings,
)

# Deterministic rules for Splink's estimate of the prior (pairs they find / their assumed recall).
_PRIOR_RULES = ["l.name = r.name and l.birth_date = r.birth_date", "l.name = r.name and l.phone = r.phone"]
_PRIOR_RECALL = 0.6
_SECOND_PASS_ROUNDS = 3


def person_rows(source: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A source's rows as person rows: `source`, `row` (from 1) and the person fields its items hold."""
    return source_rows(source, frame, person_fields(frame.columns))


def standardise_person_rows(frame: pl.DataFrame) -> pl.DataFrame:
    """`source`, `row` and every person field in standard form (null where a source has no such field)."""
    return standardised(frame, (*PERSON_FIELDS, *CONTEXT_FIELDS), FIELD_STANDARDISERS)


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
    """Link standardised person rows (see `standardise_person_rows`) into clusters, one per person. A row's
    `link`: 身份证号 | 概率匹配 | 整簇匹配 | 未链接, or one of the doubtful kinds (`domain.DOUBTFUL_LINKS`)."""
    seconds: dict[str, float] = {}
    with timed(seconds, "exact"):
        prepared = _prepared(rows)
        candidates = _candidates(prepared)
    with splink_api() as db_api:
        with timed(seconds, "train"):
            table = db_api.register(candidates.to_arrow(), dataset_display_name="persons")
            linker = Linker(table, settings(prior=1e-4), log_level=None)
            linker.training.estimate_probability_two_random_records_match(_PRIOR_RULES, recall=_PRIOR_RECALL)
            linker.training.estimate_u_using_random_sampling(max_pairs=u_pairs, seed=seed)
        with timed(seconds, "predict_cluster"):
            predictions = linker.inference.predict(threshold_match_probability=threshold)
            pairs = pl.from_arrow(predictions.as_pyarrow_table())
            cluster_of = _clusters(db_api, candidates, pairs)
    with timed(seconds, "assign"):
        result = _assign(prepared, candidates, pairs, cluster_of)
    with timed(seconds, "second_pass"):
        for _ in range(_SECOND_PASS_ROUNDS):  # a card that joins makes its cluster carded: others may be decided
            before = result["cluster"]
            result = _second_pass(prepared, result, as_of or date.today())
            if result["cluster"].equals(before):
                break
    return LinkResult(_doubts(prepared.with_columns(rows["birth_date"].is_not_null().alias("dated")), result),
                      seconds, len(pairs))


def _clusters(db_api: DuckDBAPI, candidates: pl.DataFrame, pairs: pl.DataFrame) -> pl.DataFrame:
    """Connected components of the links above the threshold and of the exact links: the rows standing for one
    ID number (`domain.representative`) are one person."""
    same_key = candidates.filter(pl.col("exact_key").is_not_null()) \
        .select(pl.col("uid").min().over("exact_key").alias("uid_l"), pl.col("uid").alias("uid_r")) \
        .filter(pl.col("uid_l") != pl.col("uid_r"))
    edges = pl.concat([pairs.select(pl.col("uid_l").cast(pl.Int64), pl.col("uid_r").cast(pl.Int64)), same_key])
    return components(candidates, edges, db_api)


def _assign(prepared: pl.DataFrame, candidates: pl.DataFrame, pairs: pl.DataFrame,
            cluster_of: pl.DataFrame) -> pl.DataFrame:
    """Each input row's cluster, numbered by the smallest input row in it, with how it was linked."""
    assigned = (row_uids(prepared, candidates).join(cluster_of, on="uid", how="left")
                .join(best_weights(pairs), on="uid", how="left")
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


def _doubts(prepared: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """The links most likely wrong, marked for a person's review (存疑): a whole-cluster match made on a name
    other than the cluster's registered name (`WHOLE_ON_VARIANT`: one source's typo of a person's name let
    another person bearing the typo join), and the probabilistic links of a cluster holding more than one valid
    ID number (`MANY_IDS`: two people chained, twins say). The registered name is the most frequent among the
    cluster's rows with a valid ID number that state a birth date themselves (`dated`: the civil registers —
    户籍, 出生医学证明, 学籍 —, whose names a typo repeated by another source must not outvote), else among all
    its rows with a valid ID number. Measured against the synthetic city's truth in docs/modules/population.md."""
    frame = prepared.select("exact_key", "name", "dated").with_columns(rows["cluster"], rows["link"])
    keys = frame.filter(pl.col("exact_key").is_not_null())
    names = keys.group_by("cluster").agg(most_frequent("name").alias("main"), pl.col("exact_key").n_unique()
                                         .alias("keys")) \
        .join(keys.filter(pl.col("dated")).group_by("cluster").agg(most_frequent("name").alias("registered")),
              on="cluster", how="left")
    link = pl.col("link")
    marked = frame.join(names, on="cluster", how="left", maintain_order="left").select(
        pl.when((link == "整簇匹配") & (pl.col("name") != pl.coalesce("registered", "main")))
        .then(pl.lit(WHOLE_ON_VARIANT))
        .when((link == "概率匹配") & (pl.col("keys") > 1)).then(pl.lit(MANY_IDS)).otherwise(link).alias("link"))
    return rows.with_columns(marked["link"])
