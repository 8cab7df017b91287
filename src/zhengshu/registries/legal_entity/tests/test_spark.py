"""The legal-entity linkage on the Spark backend (`ZHENGSHU_FUSION_SPARK_MASTER`, real Spark in local mode) puts
every row of a small synthetic city in the same cluster, with the same link kind, as on DuckDB; its candidates
carry Polars' unsigned integers (name-core lengths), which Spark takes only as signed ones."""

from __future__ import annotations

import time

import polars as pl
import pytest

from zhengshu.registries.legal_entity.linkage import link_entities, standardise_entity_rows
from zhengshu.registries.legal_entity.tests.test_linkage import read_entity_sources
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig


def test_spark_links_entities_as_duckdb_does(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    generate_city(CityConfig(persons=300, seed=5), tmp_path / "city")
    rows = standardise_entity_rows(read_entity_sources(tmp_path / "city"))
    monkeypatch.setenv("ZHENGSHU_FUSION_SPARK_MASTER", "")
    duck = link_entities(rows)
    monkeypatch.setenv("ZHENGSHU_FUSION_SPARK_MASTER", "local[2]")
    start = time.perf_counter()
    spark = link_entities(rows)
    print(f"{len(rows)} entity rows linked on Spark in {time.perf_counter() - start:.1f} s")

    assert spark.pairs_scored == duck.pairs_scored > 0
    compared = duck.rows.join(spark.rows, on=["source", "row"], how="full", suffix="_spark", coalesce=True)
    assert len(compared) == len(rows)
    assert compared.filter((pl.col("cluster") != pl.col("cluster_spark")) | (pl.col("link") != pl.col("link_spark"))
                           | pl.col("cluster_spark").is_null()).is_empty()
