"""The rules of a fusion run, pure Polars: what a registry hands the engine (`RegistrySpec`), which rows changed
since the last run, which clusters must be linked again (the touched ones and their neighbours), how a new
run's clusters inherit the ids of the last run's (stable ids), how review decisions are applied, and which
clusters need a person's review.

A row's identity across runs is its content, not its position: `(source, hash, dup)`, the hash of the whole
source row and its occurrence among identical rows of that source, so a row inserted above it does not make
it "changed". (The hash is Polars' `hash_rows` with fixed seeds: a Polars upgrade that changes it makes one
run link every row again; ids stay stable by overlap even then.)
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from zhengshu.core.fusion.golden import AuthorityTable

IDENTITY = ("source", "hash", "dup")
LINK_SCHEMA = {"source": pl.String, "row": pl.Int64, "cluster": pl.Int64, "link": pl.String,
               "match_weight": pl.Float64}
MEMBER_SCHEMA = {"id": pl.String, "source": pl.String, "row": pl.Int64, "hash": pl.String, "dup": pl.Int64,
                 "link": pl.String, "match_weight": pl.Float64}
CONFIRM, SPLIT = "confirm", "split"
DECISION_TITLES = {CONFIRM: "确认为同一对象", SPLIT: "拆分"}
REVIEW_LINKS = ("概率匹配", "整簇匹配")  # links a person may doubt; exact links (same valid key) are certain


@dataclass(frozen=True)
class RegistrySpec:
    """What a registry hands the fusion engine (see the package docstring).

    `code` names the registry (`population`) and its datasets (`registry-population`, `-members`, `-lineage`,
    `-values`); `title` is its Chinese name (人口基础库); `id_title` the golden records' id column (人员编号)
    and `id_prefix` the ids' prefix (RK → RK0000000001). `owner` is the department code holding the registry.
    `table` is the 一数一源 rule table: its `datasets` (部门/资源名) are the sources, found in the catalogue
    by provider and resource name. `rows(source, frame)` turns a source dataset's frame into the link
    function's input rows (`source`, `row` from 1, then text fields), `link(rows)` links any set of such rows
    into clusters (`LINK_SCHEMA`); `fields` are the input fields `rows` may give (null where a source has
    none), `neighbour_fields` are input fields whose shared value brings an existing
    cluster into the re-link of a changed row, `key_fields` those of which a source must fill at least one
    (else it has "no usable key"). `entry` is the registry's catalogue entry as `EntryCreate` data (without
    items: they are the golden columns, classified by `classify(item_name)` → level, personal_info, is_key).
    A probabilistic link (概率匹配) below `review_below` match weight, or a row linked in one of the ways
    `review_links` names (the link function's doubtful kinds), puts its cluster on the review queue.
    `context_clusters`: how many untouched clusters an incremental run links along with the changed rows, so
    that a link function that trains its model on its input (Splink's prior and u estimates) has enough
    data; a changed row that joins one of them joins that cluster, and their own rows are left as they were."""

    code: str
    title: str
    id_title: str
    id_prefix: str
    owner: str
    table: AuthorityTable
    rows: Callable[[str, pl.DataFrame], pl.DataFrame]
    link: Callable[[pl.DataFrame], pl.DataFrame]
    fields: tuple[str, ...]
    neighbour_fields: tuple[str, ...]
    key_fields: tuple[str, ...]
    entry: Mapping[str, Any]
    classify: Callable[[str], dict[str, Any]] = field(default=lambda _: {})
    review_below: float = 8.0
    review_links: tuple[str, ...] = ("整簇匹配",)
    context_clusters: int = 0

    def dataset(self, part: str = "") -> str:
        return f"registry-{self.code}" + (f"-{part}" if part else "")

    def item_names(self) -> list[str]:
        """The golden records' columns, which are the catalogue entry's items: the id, then each field's title."""
        return [self.id_title, *(rule.title for rule in self.table.fields)]


def identities(source: str, frame: pl.DataFrame) -> pl.DataFrame:
    """`source`, `row` (from 1), `hash` and `dup` of each row of a source frame (see the module docstring)."""
    hashes = frame.hash_rows(seed=0).cast(pl.String) if frame.width else \
        pl.Series(["0"] * frame.height, dtype=pl.String)
    out = pl.DataFrame({"hash": hashes}).with_columns(
        pl.lit(source).alias("source"), pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row"))
    return out.with_columns(pl.int_range(pl.len(), dtype=pl.Int64).over("hash").alias("dup")) \
        .select("source", "row", "hash", "dup")


@dataclass
class Plan:
    """What a run links again: `relink` (input rows: identity, row and fields), the rows kept as they were
    (`kept`: member rows with their id, link and weight, renumbered to the current rows), and counts."""

    relink: pl.DataFrame
    kept: pl.DataFrame
    added: int
    removed: int
    touched: int


def plan_run(current: pl.DataFrame, previous: pl.DataFrame, fields: Sequence[str],
             neighbour_fields: Sequence[str], forced: Sequence[str] = ()) -> Plan:
    """Compare the current input rows (identity, `row`, fields) with the last run's members (`MEMBER_SCHEMA`
    and fields): rows whose identity is new are added, those gone are removed; a cluster is touched when it
    lost a row, shares a neighbour-field value with an added row, or is `forced` (a review decision). The
    added rows and every current row of a touched cluster are linked again; the rest keep their cluster."""
    joined = current.join(previous.select(*IDENTITY, "id", "link", "match_weight"), on=list(IDENTITY), how="left")
    added = joined.filter(pl.col("id").is_null())
    removed = previous.join(current.select(IDENTITY), on=list(IDENTITY), how="anti")
    touched = set(removed["id"].to_list()) | set(forced)
    kept_rows = joined.filter(pl.col("id").is_not_null())
    for name in neighbour_fields:
        if name in added.columns and not added.is_empty():
            values = added[name].drop_nulls().unique().implode()
            touched |= set(kept_rows.filter(pl.col(name).is_in(values))["id"].unique().to_list())
    touched_ids = pl.Series(sorted(touched), dtype=pl.String).implode()
    again = kept_rows.filter(pl.col("id").is_in(touched_ids))
    relink = pl.concat([added, again]).select(*IDENTITY, "row", *fields, pl.col("id").alias("previous_id"))
    kept = kept_rows.filter(~pl.col("id").is_in(touched_ids)).select(*MEMBER_SCHEMA, *fields)
    return Plan(relink.sort("source", "row"), kept, added.height, removed.height, len(touched))


def with_context(plan: Plan, clusters: int) -> pl.DataFrame:
    """The rows to link: the plan's, and (when there are any to link) the rows of up to `clusters` kept
    clusters, chosen by id order (the same every run), marked `context`."""
    relink = plan.relink.with_columns(pl.lit(False).alias("context"))
    if not clusters or relink.is_empty() or plan.kept.is_empty():
        return relink
    ids = plan.kept["id"].unique().sort().head(clusters).implode()
    context = plan.kept.filter(pl.col("id").is_in(ids)).select(
        *IDENTITY, "row", *(c for c in relink.columns if c not in (*IDENTITY, "row", "previous_id", "context")),
        pl.col("id").alias("previous_id"), pl.lit(True).alias("context"))
    return pl.concat([relink, context.select(relink.columns)])


def apply_splits(linked: pl.DataFrame, splits: Sequence[Sequence[tuple[str, str, int]]]) -> pl.DataFrame:
    """Each split decision names rows (identities) that are another person than the rest of their cluster:
    after linking, those rows still in one cluster with others move to a cluster of their own (together)."""
    if not splits:
        return linked
    next_cluster = (linked["cluster"].max() or 0) + 1
    for number, rows in enumerate(splits):
        chosen = pl.DataFrame(list(rows), schema={"source": pl.String, "hash": pl.String, "dup": pl.Int64},
                              orient="row").with_columns(pl.lit(True).alias("split"))
        marked = linked.join(chosen, on=list(IDENTITY), how="left").with_columns(pl.col("split").fill_null(False))
        clusters = marked.filter(pl.col("split"))["cluster"].unique().implode()
        mixed = marked.filter(pl.col("cluster").is_in(clusters)).group_by("cluster").agg(
            pl.col("split").all().alias("pure"))
        if mixed["pure"].all():
            continue
        linked = marked.with_columns(
            pl.when(pl.col("split")).then(pl.lit(next_cluster + number)).otherwise(pl.col("cluster"))
            .alias("cluster")).drop("split")
    return linked


def assign_ids(linked: pl.DataFrame, prefix: str, next_number: int) -> tuple[pl.DataFrame, int]:
    """Stable ids: each new cluster takes the previous id most of its rows had (greedily, largest overlap
    first, each previous id once); a cluster with none takes a new id. Returns the rows with `id` and the
    next free number."""
    overlap = (linked.filter(pl.col("previous_id").is_not_null())
               .group_by("cluster", "previous_id").agg(pl.len().alias("n"))
               .sort(["n", "previous_id", "cluster"], descending=[True, False, False]))
    taken_ids: set[str] = set()
    chosen: dict[int, str] = {}
    for cluster, previous_id, _ in overlap.iter_rows():
        if cluster in chosen or previous_id in taken_ids:
            continue
        chosen[cluster] = previous_id
        taken_ids.add(previous_id)
    fresh = sorted(set(linked["cluster"].unique().to_list()) - set(chosen))
    for cluster in fresh:
        chosen[cluster] = f"{prefix}{next_number:010d}"
        next_number += 1
    mapping = pl.DataFrame({"cluster": list(chosen), "id": list(chosen.values())},
                           schema={"cluster": pl.Int64, "id": pl.String})
    return linked.join(mapping, on="cluster", how="left"), next_number


_DECLARED: dict[str, Callable[[], RegistrySpec]] = {}


def declare_registry(code: str, build: Callable[[], RegistrySpec]) -> None:
    """A registry makes itself known to the fusion pages (its module does this when it is loaded); `build`
    makes its spec when it is first needed."""
    _DECLARED[code] = build


def declared_registries() -> dict[str, Callable[[], RegistrySpec]]:
    return dict(_DECLARED)


def parse_row_key(text: str) -> tuple[str, str, int]:
    """`source|hash|dup` (as a review page names a row) → its identity."""
    source, _, rest = text.rpartition("|")
    source, _, hash_ = source.rpartition("|")
    if not source or not hash_ or not rest.isdigit():
        raise ValueError(text)
    return source, hash_, int(rest)


def fingerprints(members: pl.DataFrame) -> pl.DataFrame:
    """Each cluster's fingerprint (`id`, `fingerprint`): a short SHA-256 of its sorted row
    identities, so a review decision can tell whether the cluster it was made on is still the same."""
    keyed = members.select("id", pl.format("{}|{}|{}", "source", "hash", "dup").alias("key"))
    grouped = keyed.group_by("id").agg(pl.col("key").sort().str.join(";"))
    return grouped.select("id", pl.col("key").map_elements(
        lambda text: hashlib.sha256(text.encode()).hexdigest()[:16], return_dtype=pl.String).alias("fingerprint"))


def review_queue(members: pl.DataFrame, below: float, confirmed: Mapping[str, str],
                 links: Sequence[str] = ("整簇匹配",)) -> pl.DataFrame:
    """Clusters needing review: more than one row and a doubtful link (a probabilistic link under `below`
    match weight, or a row linked in one of the ways `links` names), unless a person confirmed the cluster as
    it is now (`confirmed`: id → fingerprint). `id`, `rows`, `weakest` (lowest match weight), `fingerprint`."""
    doubtful = pl.col("link").is_in(list(links)) | ((pl.col("link") == "概率匹配") & (pl.col("match_weight") < below))
    sized = members.with_columns(pl.len().over("id").alias("rows"))
    flagged = sized.filter((pl.col("rows") > 1) & doubtful)["id"].unique().implode()
    queue = sized.filter(pl.col("id").is_in(flagged)).group_by("id").agg(
        pl.len().alias("rows"), pl.col("match_weight").min().alias("weakest"))
    queue = queue.join(fingerprints(members.filter(pl.col("id").is_in(flagged))), on="id")
    if confirmed:
        done = pl.DataFrame({"id": list(confirmed), "confirmed": list(confirmed.values())},
                            schema={"id": pl.String, "confirmed": pl.String})
        queue = queue.join(done, on="id", how="left").filter(
            pl.col("confirmed").is_null() | (pl.col("confirmed") != pl.col("fingerprint"))).drop("confirmed")
    return queue.sort(["weakest", "id"], nulls_last=True)


def link_counts(members: pl.DataFrame) -> dict[str, dict[str, int]]:
    """Rows per source and link kind: {source: {link: rows}}."""
    counts: dict[str, dict[str, int]] = {}
    for source, link, n in members.group_by("source", "link").len().sort("source", "link").iter_rows():
        counts.setdefault(source, {})[link] = n
    return counts


def weight_histogram(members: pl.DataFrame, width: float = 2.0) -> list[tuple[float, int]]:
    """The match-weight distribution of the probabilistic links: (bin start, rows), bins of `width`."""
    weights = members.filter(pl.col("match_weight").is_not_null())["match_weight"]
    if weights.is_empty():
        return []
    bins = (weights / width).floor() * width
    counted = bins.value_counts().sort(bins.name)
    return [(float(b), int(n)) for b, n in counted.iter_rows()]
