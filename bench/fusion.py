"""Benchmark of person entity resolution (人口基础库 fusion) against the synthetic city's truth.

Generates a city, reads every person-describing source file as text with the ingestion connectors,
standardises, links (exact links on valid ID numbers, then Splink on DuckDB) and prints the pairwise
precision, recall and F1 of the clusters against `links/links.parquet`, the time of each stage and the peak
memory (max RSS) of the process.

    PYTHONPATH=src .venv/bin/python bench/fusion.py --persons 10000
"""

from __future__ import annotations

import argparse
import json
import resource
import tempfile
import time
from pathlib import Path

import polars as pl

from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.registries.population.linkage import link_persons, person_rows, standardise_person_rows
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import AS_OF, CityConfig


def read_person_sources(city: Path) -> pl.DataFrame:
    """Every person source of the city as person rows (source = the file's path in the city)."""
    frames = []
    for entry in json.loads((city / "manifest.json").read_text("utf-8"))["files"]:
        if entry["subject"] != "person":
            continue
        options = {"table": entry["table"]} if entry["format"] == "sqlite" else {}
        with open_source(SourceSpec.for_location(str(city / entry["path"]), **options)) as reader:
            batches = [pl.from_arrow(batch.records) for batch in reader.batches()]
        frames.append(person_rows(entry["path"], pl.concat(batches, how="vertical")))
    return pl.concat(frames, how="diagonal")


def pairwise_scores(clusters: pl.DataFrame, truth: pl.DataFrame) -> dict[str, float]:
    """Pairwise precision, recall and F1 of `clusters` (source, row, cluster) against the true subjects."""
    both = clusters.join(truth, on=["source", "row"], how="inner")

    def pairs(*keys: str) -> int:
        return int(both.group_by(*keys).len().select((pl.col("len") * (pl.col("len") - 1) // 2).sum()).item())

    predicted, true, correct = pairs("cluster"), pairs("subject_id"), pairs("cluster", "subject_id")
    precision = correct / predicted if predicted else 1.0
    recall = correct / true if true else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "predicted_pairs": predicted,
            "true_pairs": true}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args()
    seconds: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        city = Path(folder) / "city"
        start = time.perf_counter()
        generate_city(CityConfig(persons=args.persons, seed=args.seed), city)
        seconds["generate (not fusion)"] = time.perf_counter() - start

        start = time.perf_counter()
        raw = read_person_sources(city)
        seconds["read"] = time.perf_counter() - start
        start = time.perf_counter()
        rows = standardise_person_rows(raw)
        seconds["standardise"] = time.perf_counter() - start
        options = {} if args.threshold is None else {"threshold": args.threshold}
        result = link_persons(rows, as_of=AS_OF, **options)
        seconds |= result.seconds
        truth = pl.read_parquet(city / "links" / "links.parquet").filter(pl.col("subject_kind") == "person")
    scores = pairwise_scores(result.rows, truth.select("source", "row", "subject_id"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    fusion = sum(v for k, v in seconds.items() if k != "generate (not fusion)")
    print(f"persons {args.persons:,}  rows {len(rows):,}  clusters {result.rows['cluster'].n_unique():,}  "
          f"pairs scored above threshold {result.pairs_scored:,}")
    print(result.rows.group_by("link").len().sort("link"))
    print("  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v:,}" for k, v in scores.items()))
    print("  ".join(f"{k} {v:.1f}s" for k, v in seconds.items()) + f"  fusion total {fusion:.1f}s")
    print(f"peak RSS {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
