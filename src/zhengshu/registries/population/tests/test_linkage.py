"""Person entity resolution on a small synthetic city, with real Splink on DuckDB: exact links on valid ID
numbers, a misspelt name in traditional characters found by birth date and phone, namesakes kept apart, and
one cluster for every row."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from opencc import OpenCC

from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.core.quality.schemas import id_number_valid
from zhengshu.registries.population.linkage import LinkResult, link_persons, person_rows, standardise_person_rows
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig

EXTRA = "测试/补充记录"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "city"
    generate_city(CityConfig(persons=400, seed=3), out)
    return out


@pytest.fixture(scope="module")
def people(city: Path) -> pl.DataFrame:
    return pl.read_parquet(city / "truth" / "people.parquet")


def _read(city: Path) -> pl.DataFrame:
    frames = []
    for entry in json.loads((city / "manifest.json").read_text("utf-8"))["files"]:
        if entry["subject"] == "person":
            options = {"table": entry["table"]} if entry["format"] == "sqlite" else {}
            with open_source(SourceSpec.for_location(str(city / entry["path"]), **options)) as reader:
                records = pl.concat([pl.from_arrow(b.records) for b in reader.batches()])
            frames.append(person_rows(entry["path"], records))
    return pl.concat(frames, how="diagonal")


def _extra_rows(people: pl.DataFrame) -> pl.DataFrame:
    """Hand-made rows: a person's hotel booking (ID and phone), then the same person with no ID, a typo and
    traditional characters in the name; and two namesakes 王伟 with nothing else in common."""
    person = people.filter(pl.col("status") == "正常").row(0, named=True)
    birth = person["birth_date"].isoformat()
    spelt = OpenCC("s2t").convert(person["name"][0] + "玮" + person["name"][2:])
    rows = [
        {"row": 1, "id_number": person["id_number"], "name": person["name"], "phone": person["phone"]},
        {"row": 2, "name": f" {spelt} ", "birth_date": birth.replace("-", "/"), "phone": f"+86 {person['phone']}"},
        {"row": 3, "name": "王伟", "birth_date": "1961-03-02", "sex": "男", "phone": "13900000001",
         "address": "河北省秦皇岛市海港区文化路1号"},
        {"row": 4, "name": "王伟", "birth_date": "1987-11-20", "sex": "男", "phone": "13900000002",
         "address": "河北省秦皇岛市山海关区南关大街9号"},
    ]
    return pl.DataFrame(rows, schema={"row": pl.Int64, "id_number": pl.String, "name": pl.String,
                                      "birth_date": pl.String, "sex": pl.String, "phone": pl.String,
                                      "address": pl.String}).with_columns(pl.lit(EXTRA).alias("source"))


@pytest.fixture(scope="module")
def linked(city: Path, people: pl.DataFrame) -> tuple[pl.DataFrame, LinkResult]:
    rows = standardise_person_rows(pl.concat([_read(city), _extra_rows(people)], how="diagonal"))
    return rows, link_persons(rows)


def _cluster(result: LinkResult, source: str, row: int) -> int:
    return result.rows.filter((pl.col("source") == source) & (pl.col("row") == row))["cluster"].item()


def test_every_row_gets_exactly_one_cluster(linked) -> None:
    rows, result = linked
    assert result.rows.select("source", "row").equals(rows.select("source", "row"))
    assert result.rows["cluster"].null_count() == 0
    assert set(result.rows["link"].unique()) <= {"身份证号", "概率匹配", "整簇匹配", "未链接"}


def test_no_cluster_holds_two_valid_id_numbers(linked) -> None:
    rows, result = linked
    ids = rows.select("id_number").with_columns(result.rows["cluster"], result.rows["link"])
    assert (ids.filter(id_number_valid(pl.col("id_number")).fill_null(False)).group_by("cluster")
            .agg(pl.col("id_number").n_unique())["id_number"].max()) <= 1
    joined = ids.filter(pl.col("link") == "整簇匹配")
    assert not joined.is_empty()  # the second pass joins ID-less rows (bus cards) to clusters, one each
    assert not joined.select(id_number_valid(pl.col("id_number")).fill_null(False).any()).item()


def test_rows_with_the_same_valid_id_number_are_one_cluster(linked, people: pl.DataFrame) -> None:
    rows, result = linked
    exact = rows.with_columns(result.rows["cluster"], result.rows["link"]).filter(pl.col("link") == "身份证号")
    assert exact.group_by("id_number").agg(pl.col("cluster").n_unique())["cluster"].max() == 1
    assert exact["id_number"].is_in(people["id_number"].to_list()).all()
    assert exact["id_number"].n_unique() > 300


def test_a_misspelt_traditional_name_without_id_links_by_birth_date_and_phone(linked) -> None:
    _, result = linked
    assert _cluster(result, EXTRA, 2) == _cluster(result, EXTRA, 1)
    registered = result.rows.filter(pl.col("source").str.contains("户籍人口"))
    assert _cluster(result, EXTRA, 1) in registered["cluster"].to_list()
    assert result.rows.filter((pl.col("source") == EXTRA) & (pl.col("row") == 2))["link"].item() == "概率匹配"


def test_two_people_with_the_same_common_name_stay_apart(linked) -> None:
    _, result = linked
    assert _cluster(result, EXTRA, 3) != _cluster(result, EXTRA, 4)


def test_links_on_the_small_city_are_precise(linked, city: Path) -> None:
    _, result = linked
    truth = pl.read_parquet(city / "links" / "links.parquet").select("source", "row", "subject_id")
    both = result.rows.join(truth, on=["source", "row"])
    clusters = both.group_by("cluster").agg(pl.col("subject_id").n_unique().alias("people"))
    assert (clusters["people"] == 1).mean() > 0.99
