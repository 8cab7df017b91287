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
from zhengshu.registries.population.domain import DOUBTFUL_LINKS, MANY_IDS, WHOLE_ON_VARIANT
from zhengshu.registries.population.linkage import (
    LinkResult,
    _doubts,
    link_persons,
    person_rows,
    standardise_person_rows,
)
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


def _valid_id(body: str) -> str:
    """An 18-character ID number with its GB 11643 check character."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def _extra_rows(people: pl.DataFrame) -> pl.DataFrame:
    """Hand-made rows: a person's hotel booking (ID and phone), then the same person with no ID, a typo and
    traditional characters in the name; two namesakes 王伟 with nothing else in common; a person whose ID
    rows mostly carry a misspelt name, and an ID-less row with the right name and address; bus cards."""
    normal = people.filter(pl.col("status") == "正常")
    person, other = normal.row(0, named=True), normal.row(1, named=True)
    birth = person["birth_date"].isoformat()
    spelt = OpenCC("s2t").convert(person["name"][0] + "玮" + person["name"][2:])
    misspelt = other["name"][:-1] + ("蕊" if other["name"][-1] != "蕊" else "芯")
    elder, young, lonely, rare, wife, husband, namesake, misnamed = (_valid_id(body) for body in (
        "13030219500101001", "13030220010101002", "13030319480202003", "13030419700303004",
        "13030219720404005", "13030219700505006", "13030319800606007", "13030219750707008"))
    rows = [
        {"row": 1, "id_number": person["id_number"], "name": person["name"], "phone": person["phone"]},
        {"row": 2, "name": f" {spelt} ", "birth_date": birth.replace("-", "/"), "phone": f"+86 {person['phone']}"},
        {"row": 3, "name": "王伟", "birth_date": "1961-03-02", "sex": "男", "phone": "13900000001",
         "address": "河北省秦皇岛市海港区文化路1号"},
        {"row": 4, "name": "王伟", "birth_date": "1987-11-20", "sex": "男", "phone": "13900000002",
         "address": "河北省秦皇岛市山海关区南关大街9号"},
        *({"row": row, "id_number": other["id_number"], "name": misspelt} for row in range(5, 11)),
        {"row": 11, "name": other["name"], "address": other["address"], "phone": "13900000011"},
        # 欧阳测甲: one born 1950, one born 2001; an elderly card sold in 2015 can only be the elder's.
        {"row": 12, "id_number": elder, "name": "欧阳测甲"},
        {"row": 13, "id_number": young, "name": "欧阳测甲"},
        {"row": 14, "name": "欧阳测甲", "phone": "13900000014", "card_type": "老年卡", "card_date": "2015/03/01"},
        # 欧阳测乙: one person, two cards left alone: which is his is not known, neither joins.
        {"row": 15, "id_number": lonely, "name": "欧阳测乙"},
        *({"row": row, "name": "欧阳测乙", "phone": f"139000000{row}", "card_type": "普通卡",
           "card_date": "2012-05-01"} for row in (16, 17)),
        # 司马测丙: two utility accounts at an address no ID row knows, one name nobody else bears.
        {"row": 18, "id_number": rare, "name": "司马测丙", "address": "河北省秦皇岛市海港区测试路1号"},
        *({"row": row, "name": "司马测丙", "phone": "13900000019", "address": "河北省秦皇岛市北戴河区测试路2号"}
          for row in (19, 20)),
        # 上官测丁, two of them; a marriage registration without his ID names his wife, who lives with one.
        {"row": 21, "id_number": wife, "name": "上官测妻", "address": "河北省秦皇岛市海港区测试路3号"},
        {"row": 22, "id_number": husband, "name": "上官测丁", "address": "河北省秦皇岛市海港区测试路3号"},
        {"row": 23, "id_number": namesake, "name": "上官测丁", "address": "河北省秦皇岛市昌黎县测试路4号"},
        {"row": 24, "name": "上官测丁", "partner_id": wife},
        # 东方测戊, registered with his birth date; another source writes his name 东方测己 three times, and a
        # bus card of a 东方测己 joins him on that name: the link is doubtful (a person should look).
        {"row": 25, "id_number": misnamed, "name": "东方测戊", "birth_date": "1975-07-07"},
        *({"row": row, "id_number": misnamed, "name": "东方测己"} for row in (26, 27, 28)),
        {"row": 29, "name": "东方测己", "phone": "13900000029", "card_type": "普通卡", "card_date": "2012-05-01"},
    ]
    return pl.DataFrame(rows, schema={"row": pl.Int64, "id_number": pl.String, "name": pl.String,
                                      "birth_date": pl.String, "sex": pl.String, "phone": pl.String,
                                      "address": pl.String, "card_type": pl.String, "card_date": pl.String,
                                      "partner_id": pl.String}
                        ).with_columns(pl.lit(EXTRA).alias("source"))


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
    assert set(result.rows["link"].unique()) <= {"身份证号", "概率匹配", "整簇匹配", "未链接", *DOUBTFUL_LINKS}


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
    assert exact.filter(pl.col("source") != EXTRA)["id_number"].is_in(people["id_number"].to_list()).all()
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


def test_a_name_misspelt_by_most_id_rows_still_matches_the_right_spelling(linked) -> None:
    """The ID number's rows stand in the matching once per distinct name and address, so the majority
    spelling (a typo repeated by one source) does not hide the other."""
    _, result = linked
    assert _cluster(result, EXTRA, 11) == _cluster(result, EXTRA, 5)


def test_a_card_joins_the_only_namesake_its_birth_band_allows(linked) -> None:
    _, result = linked
    card = result.rows.filter((pl.col("source") == EXTRA) & (pl.col("row") == 14))
    assert card["link"].item() == "整簇匹配"
    assert _cluster(result, EXTRA, 14) == _cluster(result, EXTRA, 12) != _cluster(result, EXTRA, 13)


def test_a_card_joined_on_a_name_other_than_the_registered_one_is_doubtful(linked) -> None:
    _, result = linked
    assert _cluster(result, EXTRA, 29) == _cluster(result, EXTRA, 25)
    links = result.rows.filter((pl.col("source") == EXTRA) & pl.col("row").is_in([14, 29])).sort("row")["link"]
    assert links.to_list() == ["整簇匹配", WHOLE_ON_VARIANT]  # 欧阳测甲's card joined on his registered name


def test_the_probabilistic_links_of_a_cluster_with_two_id_numbers_are_doubtful() -> None:
    """Twins born the same day, one character apart, chained by their ID-less birth certificates."""
    first, second = _valid_id("13030620260215225"), _valid_id("13030220260215155")
    prepared = pl.DataFrame({"exact_key": [first, None, second, None, first],
                             "name": ["王轩宇", "王轩宇", "王墨宇", "王墨宇", "王轩宇"],
                             "dated": [True, True, True, True, False]})
    rows = pl.DataFrame({"source": ["s"] * 5, "row": [1, 2, 3, 4, 5], "cluster": [0, 0, 0, 0, 4],
                         "link": ["身份证号", "概率匹配", "身份证号", "概率匹配", "身份证号"],
                         "match_weight": [14.5, 14.5, 14.5, 14.5, None]})
    marked = _doubts(prepared, rows)
    assert marked["link"].to_list() == ["身份证号", MANY_IDS, "身份证号", MANY_IDS, "身份证号"]
    assert marked.drop("link").equals(rows.drop("link"))


def test_two_cards_choosing_one_person_both_stay_alone(linked) -> None:
    _, result = linked
    cards = result.rows.filter((pl.col("source") == EXTRA) & pl.col("row").is_in([16, 17]))
    assert cards["link"].to_list() == ["未链接", "未链接"]
    assert _cluster(result, EXTRA, 15) not in cards["cluster"].to_list()


def test_a_cluster_without_id_joins_the_only_bearer_of_its_rare_name(linked) -> None:
    _, result = linked
    assert _cluster(result, EXTRA, 19) == _cluster(result, EXTRA, 20) == _cluster(result, EXTRA, 18)


def test_a_marriage_row_without_the_husbands_id_finds_him_in_his_wifes_household(linked) -> None:
    _, result = linked
    assert _cluster(result, EXTRA, 24) == _cluster(result, EXTRA, 22) != _cluster(result, EXTRA, 23)
    assert _cluster(result, EXTRA, 21) != _cluster(result, EXTRA, 22)
