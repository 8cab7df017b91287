"""Golden records with 一数一源 on hand-made rows (the authority wins, the newest fallback when it has none, a
second person's value by ID number) and on a small synthetic city linked with Splink: lineage to real source
rows, a planted differing value that becomes a conflict, and golden-field accuracy against the city's truth."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.registries.population.golden import (
    AUTHORITATIVE,
    NEWEST,
    VALUE_SCHEMA,
    GoldenResult,
    authority_table,
    dataset_of,
    field_values,
    golden_accuracy,
    golden_records,
)
from zhengshu.registries.population.linkage import link_persons, person_rows, standardise_person_rows
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig

HUJI, SHEBAO = "sources/市公安局/户籍人口.csv", "sources/市人社局/社保参保.csv"
XUEJI = "sources/市教育局/中小学生学籍.json"
PLANTED_NAME = "错误名"


def _values(rows: list[tuple]) -> pl.DataFrame:
    """(source, row, field, value, date, subject) → a values frame."""
    frame = pl.DataFrame(rows, schema=["source", "row", "field", "value", "date", "subject"], orient="row")
    return frame.with_columns(pl.lit("v1").alias("version")).select(list(VALUE_SCHEMA)).cast(VALUE_SCHEMA)


def test_the_rule_table_names_an_authority_among_each_field_s_sources() -> None:
    table = authority_table()
    assert table.version
    fields = {rule.field: rule for rule in table.fields}
    assert fields["name"].authority == fields["household_address"].authority == "市公安局/户籍人口"
    assert fields["marital_status"].authority == "市民政局/婚姻登记"
    assert fields["insurance_unit"].authority == "市人社局/社保参保"
    assert fields["property_address"].authority == "市住建局/房产登记"
    assert fields["phone"].authority is None
    assert {s.dataset for rule in table.fields for s in rule.sources} <= set(table.dates)


def test_the_authority_wins_and_the_newest_other_value_stands_in_when_it_has_none() -> None:
    linked = pl.DataFrame({"source": [HUJI, SHEBAO, SHEBAO, XUEJI, "sources/市交通运输局/公交卡持卡人.csv"],
                           "row": [1, 1, 2, 1, 1], "cluster": [7, 7, 7, 7, 7]})
    values = _values([
        (HUJI, 1, "name", "张三", None, None),
        (SHEBAO, 2, "name", "张叁", date(2025, 1, 1), None),  # newer, but not the authority
        (XUEJI, 1, "birth_date", "2010-01-02", date(2016, 9, 1), None),  # the authority has no birth date
        (SHEBAO, 1, "sex", "男", date(2020, 1, 1), None),
        (XUEJI, 1, "sex", "女", date(2016, 9, 1), None),
        ("sources/市交通运输局/公交卡持卡人.csv", 1, "phone", "13800000001", date(2019, 1, 1), None),
        ("sources/秦皇岛市自来水公司/用水户.csv", 1, "phone", "13800000002", None, None),  # not linked
    ])
    result = golden_records(linked, values)
    lineage = {r["field"]: r for r in result.lineage.iter_rows(named=True)}
    assert (lineage["name"]["value"], lineage["name"]["basis"], lineage["name"]["row"]) == ("张三", AUTHORITATIVE, 1)
    assert (lineage["birth_date"]["value"], lineage["birth_date"]["basis"]) == ("2010-01-02", NEWEST)
    assert lineage["sex"]["value"] == "男" and lineage["sex"]["source"] == SHEBAO  # the newer of two others
    assert lineage["phone"]["value"] == "13800000001" and lineage["phone"]["version"] == "v1"
    assert result.records.row(0, named=True)["name"] == "张三"
    assert result.conflicts.select("field", "other_value", "other_source", "other_row", "provider").rows() == [
        ("name", "张叁", SHEBAO, 2, "市人社局")]


def test_a_rule_table_whose_key_field_no_rule_states_still_gives_records() -> None:
    from dataclasses import replace

    table = replace(authority_table(), key_field="no_such_field")  # second-person values then attach nowhere
    linked = pl.DataFrame({"source": [HUJI], "row": [1], "cluster": [3]})
    values = _values([(HUJI, 1, "name", "张三", None, None), (HUJI, 1, "name", "李四", None, "130302199001011234")])
    result = golden_records(linked, values, table)
    assert result.records.select("cluster", "name").rows() == [(3, "张三")]


def test_a_value_about_a_row_s_second_person_counts_for_the_person_with_that_id() -> None:
    wife_id, marriages = "130302199001011228", "sources/市民政局/婚姻登记.xlsx"
    linked = pl.DataFrame({"source": [HUJI, HUJI, marriages], "row": [1, 2, 1], "cluster": [1, 2, 1]})
    values = _values([
        (HUJI, 1, "id_number", "130302198801011213", None, None), (HUJI, 1, "marital_status", "未婚", None, None),
        (HUJI, 2, "id_number", wife_id, None, None), (HUJI, 2, "marital_status", "未婚", None, None),
        (marriages, 1, "marital_status", "已婚", date(2015, 5, 1), None),
        (marriages, 1, "marital_status", "已婚", date(2015, 5, 1), wife_id),
    ])
    result = golden_records(linked, values)
    assert result.records.sort("cluster")["marital_status"].to_list() == ["已婚", "已婚"]
    conflicts = result.conflicts.sort("cluster")
    assert conflicts.select("cluster", "other_value", "provider").rows() == [(1, "未婚", "市公安局"),
                                                                              (2, "未婚", "市公安局")]


# --- on a small synthetic city -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "city"
    generate_city(CityConfig(persons=300, seed=3), out)
    return out


def _plant(path: str, frame: pl.DataFrame) -> pl.DataFrame:
    """A differing name in the first 社保 row (the same person by ID number, so a conflict for 人社)."""
    if path == SHEBAO:
        return frame.with_columns(pl.when(pl.int_range(pl.len()) == 0).then(pl.lit(PLANTED_NAME))
                                  .otherwise(pl.col("姓名")).alias("姓名"))
    return frame


@pytest.fixture(scope="module")
def sources(city: Path) -> dict[str, tuple[pl.DataFrame, str]]:
    """Each person source as read by the ingestion connectors (planted), with its version (file hash)."""
    out = {}
    for entry in json.loads((city / "manifest.json").read_text("utf-8"))["files"]:
        if entry["subject"] == "person":
            options = {"table": entry["table"]} if entry["format"] == "sqlite" else {}
            with open_source(SourceSpec.for_location(str(city / entry["path"]), **options)) as reader:
                records = pl.concat([pl.from_arrow(b.records) for b in reader.batches()])
            out[entry["path"]] = (_plant(entry["path"], records), entry["sha256"][:12])
    return out


@pytest.fixture(scope="module")
def fused(sources: dict[str, tuple[pl.DataFrame, str]]) -> tuple[pl.DataFrame, GoldenResult]:
    table = authority_table()
    rows = standardise_person_rows(pl.concat([person_rows(p, f) for p, (f, _) in sources.items()], how="diagonal"))
    linked = link_persons(rows).rows
    values = pl.concat([field_values(p, f, table, version=v) for p, (f, v) in sources.items()])
    return linked, golden_records(linked, values, table)


def test_the_rule_table_s_items_are_the_city_s_columns(sources: dict[str, tuple[pl.DataFrame, str]]) -> None:
    columns = {pl.select(dataset_of(pl.lit(p))).item(): set(f.columns) for p, (f, _) in sources.items()}
    for rule in authority_table().fields:
        for item in rule.sources:
            assert item.item in columns[item.dataset], (rule.field, item)
            assert item.subject is None or item.subject in columns[item.dataset]


def test_one_golden_record_per_cluster_and_registered_people_s_core_fields_from_public_security(fused) -> None:
    linked, result = fused
    assert result.records["cluster"].sort().to_list() == linked["cluster"].unique().sort().to_list()
    in_register = linked.filter(pl.col("source") == HUJI)["cluster"].implode()
    registered = result.lineage.filter(pl.col("field").is_in(["id_number", "birth_date", "household_address"]),
                                       pl.col("cluster").is_in(in_register))
    assert (registered["basis"] == AUTHORITATIVE).all() and (registered["source"] == HUJI).all()
    marital = result.lineage.filter(pl.col("field") == "marital_status").group_by("basis").agg(pl.col("source"))
    sources = {r["basis"]: set(r["source"]) for r in marital.iter_rows(named=True)}
    assert sources == {AUTHORITATIVE: {"sources/市民政局/婚姻登记.xlsx"}, NEWEST: {HUJI}}


def test_lineage_names_a_real_source_row_and_its_version(fused, sources) -> None:
    linked, result = fused
    direct = result.lineage.filter(pl.col("subject").is_null())
    assert direct.join(linked, on=["source", "row", "cluster"], how="anti").is_empty()
    second = result.lineage.filter(pl.col("subject").is_not_null())  # a wife's marital status: her ID, his row
    assert not second.is_empty() and second.join(linked, on=["source", "row"], how="anti").is_empty()
    ids = result.records.select("cluster", pl.col("id_number").alias("subject"))
    assert second.join(ids, on=["cluster", "subject"], how="anti").is_empty()
    names = direct.filter(pl.col("field") == "name")
    for record in names.sample(40, seed=1).iter_rows(named=True):
        frame, version = sources[record["source"]]
        item = {rule.dataset: rule.item for rule in authority_table().fields[0].sources if rule.subject is None}
        raw = frame[record["row"] - 1, item[pl.select(dataset_of(pl.lit(record["source"]))).item()]]
        assert raw.strip() and record["version"] == version
        standard = standardise_person_rows(pl.DataFrame({"source": ["x"], "row": [1], "name": [raw]}))["name"]
        assert standard.item() == record["value"]


def test_a_planted_differing_value_becomes_a_conflict_for_its_provider(fused, sources) -> None:
    _, result = fused
    planted = result.conflicts.filter((pl.col("other_source") == SHEBAO) & (pl.col("other_row") == 1))
    assert planted.select("field", "other_value", "authoritative_source", "provider").rows() == [
        ("name", PLANTED_NAME, HUJI, "市人社局")]
    cluster = planted["cluster"].item()
    assert result.records.filter(pl.col("cluster") == cluster)["name"].item() != PLANTED_NAME
    assert (result.conflicts["other_source"] != result.conflicts["authoritative_source"]).all()


def test_golden_fields_are_accurate_against_the_city_s_truth(fused, city: Path) -> None:
    linked, result = fused
    accuracy = golden_accuracy(result.records, linked, pl.read_parquet(city / "links" / "links.parquet"),
                               pl.read_parquet(city / "truth" / "people.parquet"))
    with pl.Config(tbl_rows=20):
        print(accuracy)
    by_field = {r["field"]: r["accuracy"] for r in accuracy.iter_rows(named=True)}
    for field in ("id_number", "birth_date", "sex", "household_address", "marital_status", "insurance_unit_code"):
        assert by_field[field] >= 0.97, (field, by_field[field])
    assert by_field["name"] >= 0.95 and by_field["phone"] >= 0.9


# --- the same results as the plain whole-frame sort -----------------------------------------------------------


def _reference(linked: pl.DataFrame, values: pl.DataFrame, table) -> GoldenResult:
    """The plain form of the rule, as `golden_records` first computed it: every candidate row, strings and
    all, sorted in one piece (simple, but ~8 GiB at 1M people); the compact computation must equal it."""
    ranks = table.ranks().lazy()

    def candidates(frame: pl.LazyFrame) -> pl.LazyFrame:
        return frame.filter(pl.col("value").is_not_null()).with_columns(
            dataset_of(pl.col("source")).alias("dataset")).join(ranks, on=["field", "dataset"], how="inner")

    def choose(frame: pl.LazyFrame) -> pl.LazyFrame:
        ordered = frame.sort(["cluster", "field", "authority", "date", "order", "source", "row"],
                             descending=[False, False, True, True, False, False, False], nulls_last=True,
                             maintain_order=True)
        return ordered.group_by("cluster", "field", maintain_order=True).first().with_columns(
            pl.when(pl.col("authority")).then(pl.lit(AUTHORITATIVE)).otherwise(pl.lit(NEWEST)).alias("basis"))

    clusters = linked.lazy().select("source", "row", "cluster")
    direct = values.lazy().filter(pl.col("subject").is_null()).join(clusters, on=["source", "row"], how="inner",
                                                                    maintain_order="left")
    ids = choose(candidates(direct.filter(pl.col("field") == table.key_field))) \
        .select("cluster", pl.col("value").alias("subject"))
    second = values.lazy().filter(pl.col("subject").is_not_null()).join(
        ids.filter(pl.len().over("subject") == 1), on="subject", how="inner", maintain_order="left")
    found = candidates(pl.concat([direct, second.select(direct.collect_schema().names())])).collect()
    chosen = choose(found.lazy()).collect()
    lineage = chosen.select("cluster", "field", "value", "source", "row", "subject", "version", "date", "basis")
    fields = [rule.field for rule in table.fields]
    records = lineage.pivot("field", index="cluster", values="value")
    records = records.with_columns(pl.lit(None, dtype=pl.String).alias(f) for f in fields if f not in records.columns)
    golden = chosen.filter(pl.col("basis") == AUTHORITATIVE).select(
        "cluster", "field", pl.col("value").alias("authoritative_value"),
        pl.col("source").alias("authoritative_source"), pl.col("row").alias("authoritative_row"))
    conflicts = (found.filter(~pl.col("authority")).join(golden, on=["cluster", "field"], how="inner")
                 .filter(pl.col("value") != pl.col("authoritative_value"))
                 .select("cluster", "field", "authoritative_value", "authoritative_source", "authoritative_row",
                         pl.col("value").alias("other_value"), pl.col("source").alias("other_source"),
                         pl.col("row").alias("other_row"), pl.col("version").alias("other_version"),
                         pl.col("dataset").str.split("/").list.first().alias("provider")))
    return GoldenResult(records.select("cluster", *fields).sort("cluster"), lineage.sort("cluster", "field"),
                        conflicts)


def _assert_same(result: GoldenResult, expected: GoldenResult) -> None:
    assert result.records.equals(expected.records)
    assert result.lineage.equals(expected.lineage)
    assert result.conflicts.columns == expected.conflicts.columns
    assert result.conflicts.equals(result.conflicts.sort("cluster", "field", "other_source", "other_row"))
    everything = result.conflicts.columns
    assert result.conflicts.sort(everything).equals(expected.conflicts.sort(everything))


def test_the_small_city_s_golden_records_equal_the_plain_whole_frame_sort(fused, sources) -> None:
    linked, result = fused
    table = authority_table()
    values = pl.concat([field_values(p, f, table, version=v) for p, (f, v) in sources.items()])
    expected = _reference(linked, values, table)
    assert result.lineage.height > 1000 and result.conflicts.height > 10
    assert result.lineage.filter(pl.col("subject").is_not_null()).height > 0
    _assert_same(result, expected)


def test_ties_on_date_and_missing_dates_are_broken_as_by_the_plain_sort() -> None:
    """Many clusters, few sources, dates that tie or are missing, and second-person values: every tie-break
    of the rule (authority, date, nulls last, fallback order, source, row) decides somewhere."""
    table = authority_table()
    paths = [HUJI, SHEBAO, "sources/市民政局/婚姻登记.xlsx", XUEJI, "sources/市交通运输局/公交卡持卡人.csv",
             "sources/秦皇岛市自来水公司/用水户.csv", "sources/市外/未列出的来源.csv"]
    fields = ["name", "id_number", "sex", "marital_status", "phone", "education", "not_a_field"]
    rng = __import__("random").Random(7)
    rows, linked = [], []
    for _ in range(3000):
        source, row = rng.choice(paths), rng.randint(1, 400)
        field = rng.choice(fields)
        value = None if rng.random() < 0.05 else (f"13030219900101{row % 60:04d}" if field == "id_number"
                                                  else rng.choice(["甲", "乙", "丙"]))
        day = None if rng.random() < 0.3 else date(2020, 1, rng.randint(1, 3))
        subject = f"13030219900101{rng.randint(0, 70):04d}" if rng.random() < 0.1 else None
        rows.append((source, row, field, value, day, subject))
        linked.append((source, row, rng.randint(1, 120)))
    values = _values(rows).unique(["source", "row", "field", "subject"], keep="first", maintain_order=True)
    links = pl.DataFrame(linked, schema=["source", "row", "cluster"], orient="row").unique(
        ["source", "row"], keep="first", maintain_order=True)
    expected = _reference(links, values, table)
    assert expected.conflicts.height > 50 and expected.lineage.filter(pl.col("subject").is_not_null()).height > 0
    _assert_same(golden_records(links, values, table), expected)
