"""Benchmark of legal-entity resolution and golden records (法人基础库 fusion) against the synthetic city's truth.

Generates a city, reads every entity-describing source file as text with the ingestion connectors,
standardises, links (exact links on valid credit codes, then Splink on DuckDB) and builds the golden records;
prints the pairwise precision, recall and F1 of the clusters against `links/links.parquet`, the accuracy of
the golden fields against `truth/entities.parquet`, the time of each stage and the peak memory (max RSS).
The reference run beside it is exact linking alone (same valid credit code), the baseline Splink improves on.

    PYTHONPATH=src .venv/bin/python bench/fusion_entities.py --persons 100000
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import polars as pl
from fusion import pairwise_scores  # bench/fusion.py: the persons' benchmark scores clusters the same way

from zhengshu.core.fusion.golden import field_values, golden_records
from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.core.quality.schemas import STANDARDISERS
from zhengshu.registries.legal_entity.linkage import entity_rows, link_entities, standardise_entity_rows
from zhengshu.registries.legal_entity.service import authority_table
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig

# golden field → truth column of truth/entities.parquet (legal_rep is checked through the person's name)
TRUTH = {"credit_code": "credit_code", "name": "name", "address": "address", "founded_on": "founded_on",
         "registration_status": "status", "registration_authority": "registration_authority"}


def read_sources(city: Path) -> dict[str, pl.DataFrame]:
    """Every entity source of the city (key 部门/表 → its rows as text)."""
    out = {}
    for entry in json.loads((city / "manifest.json").read_text("utf-8"))["files"]:
        if entry["subject"] != "entity":
            continue
        with open_source(SourceSpec.for_location(str(city / entry["path"]))) as reader:
            out[f"{entry['department']}/{entry['table']}"] = pl.concat(
                [pl.from_arrow(b.records) for b in reader.batches()], how="vertical")
    return out


def golden_accuracy(records: pl.DataFrame, linked: pl.DataFrame, truth_links: pl.DataFrame,
                    entities: pl.DataFrame) -> dict[str, float]:
    """Share of clusters whose golden value equals the true one (standardised alike), per field."""
    owner = (linked.join(truth_links, on=["source", "row"]).group_by("cluster")
             .agg(pl.col("subject_id").mode().min().alias("entity_id")))
    rules = {r.field: r.standardiser for r in authority_table().fields}
    truth = entities.select("entity_id", *(STANDARDISERS[rules[f]](entities[c].cast(pl.String)).series
                                           .alias(f"true_{f}") for f, c in TRUTH.items()))
    both = records.join(owner, on="cluster").join(truth, on="entity_id")
    out = {}
    for field in TRUTH:
        known = both.filter(pl.col(field).is_not_null())
        out[field] = float((known[field] == known[f"true_{field}"]).mean()) if len(known) else float("nan")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        city = Path(folder) / "city"
        start = time.perf_counter()
        generate_city(CityConfig(persons=args.persons, seed=args.seed), city)
        seconds["generate (not fusion)"] = time.perf_counter() - start
        start = time.perf_counter()
        sources = read_sources(city)
        seconds["read"] = time.perf_counter() - start
        start = time.perf_counter()
        rows = standardise_entity_rows(pl.concat([entity_rows(k, f) for k, f in sources.items()], how="diagonal"))
        seconds["standardise"] = time.perf_counter() - start
        result = link_entities(rows)
        seconds |= result.seconds
        start = time.perf_counter()
        values = pl.concat([field_values(k, f, authority_table(), version="1") for k, f in sources.items()])
        golden = golden_records(result.rows, values, authority_table())
        seconds["golden"] = time.perf_counter() - start
        links = pl.read_parquet(city / "links" / "links.parquet").filter(pl.col("subject_kind") == "entity")
        manifest = {f["path"]: f"{f['department']}/{f['table']}"
                    for f in json.loads((city / "manifest.json").read_text("utf-8"))["files"]}
        links = links.with_columns(pl.col("source").replace_strict(manifest)).select("source", "row", "subject_id")
        entities = pl.read_parquet(city / "truth" / "entities.parquet")
    scores = pairwise_scores(result.rows, links)
    exact = result.rows.with_columns(pl.when(pl.col("link") == "信用代码").then(pl.col("cluster"))
                                     .otherwise(-pl.int_range(1, pl.len() + 1)).alias("cluster"))
    baseline = pairwise_scores(exact, links)
    accuracy = golden_accuracy(golden.records, result.rows, links, entities)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fusion = sum(v for k, v in seconds.items() if k != "generate (not fusion)")
    print(f"persons {args.persons:,}  entities {len(entities):,}  entity rows {len(rows):,}  "
          f"clusters {result.rows['cluster'].n_unique():,}  pairs scored above threshold {result.pairs_scored:,}")
    print("links: " + "  ".join(f"{k} {v:,}" for k, v in sorted(result.rows.group_by('link').len().iter_rows())))
    print("fusion        " + "  ".join(f"{k} {scores[k]:.4f}" for k in ("precision", "recall", "f1")))
    print("exact only    " + "  ".join(f"{k} {baseline[k]:.4f}" for k in ("precision", "recall", "f1"))
          + f"  (recall ratio fusion/exact {scores['recall'] / baseline['recall']:.4f})")
    print("golden accuracy " + "  ".join(f"{k} {v:.4f}" for k, v in accuracy.items()))
    print(f"conflicts {len(golden.conflicts):,}")
    print("  ".join(f"{k} {v:.1f}s" for k, v in seconds.items()) + f"  fusion total {fusion:.1f}s")
    print(f"peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
