"""Legal-entity resolution on a small synthetic city, with real Splink on DuckDB: exact links on valid credit
codes, a miscopied code, name variants (有限责任公司, brackets, 秦皇岛市 prefix, a typo) found by the name's
core and the legal representative, a row that matches two registered entities equally joins neither, and the
pairwise precision and recall against the city's truth links."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.kernel.identifiers import is_valid_credit_code
from zhengshu.registries.legal_entity.domain import describes_entities, name_core
from zhengshu.registries.legal_entity.linkage import entity_rows, link_entities, standardise_entity_rows
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig

EXTRA = "测试/补充记录"


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "city"
    generate_city(CityConfig(persons=1500, seed=5), out)
    return out


def read_entity_sources(city: Path) -> pl.DataFrame:
    frames = []
    for entry in json.loads((city / "manifest.json").read_text("utf-8"))["files"]:
        if entry["subject"] == "entity":
            with open_source(SourceSpec.for_location(str(city / entry["path"]))) as reader:
                records = pl.concat([pl.from_arrow(b.records) for b in reader.batches()])
            assert describes_entities(records.columns), entry["path"]
            frames.append(entity_rows(entry["path"], records))
    return pl.concat(frames, how="diagonal")


def pairwise(clusters: pl.DataFrame, truth: pl.DataFrame) -> tuple[float, float]:
    both = clusters.join(truth, on=["source", "row"], how="inner")

    def pairs(*keys: str) -> int:
        return int(both.group_by(*keys).len().select((pl.col("len") * (pl.col("len") - 1) // 2).sum()).item())

    predicted, true, correct = pairs("cluster"), pairs("subject_id"), pairs("cluster", "subject_id")
    return correct / predicted, correct / true


def test_name_cores_ignore_the_organisation_form_brackets_and_prefixes() -> None:
    names = ["秦皇岛市华兴商贸有限责任公司", "秦皇岛华兴商贸有限公司", "河北省秦皇岛市华兴商贸（有限公司）",
             "海港区华兴便利店", "青龙满族自治县华兴种植专业合作社", "秦皇岛华兴商贸有限公司海港分公司", "有限公司"]
    cores = pl.select(name_core(pl.Series(names))).to_series().to_list()
    assert cores == ["华兴商贸", "华兴商贸", "华兴商贸", "华兴便利店", "华兴种植", "华兴商贸", None]


def test_the_city_s_entity_rows_link_to_their_entities(city: Path) -> None:
    rows = standardise_entity_rows(read_entity_sources(city))
    result = link_entities(rows)
    truth = pl.read_parquet(city / "links" / "links.parquet").filter(pl.col("subject_kind") == "entity")
    precision, recall = pairwise(result.rows, truth.select("source", "row", "subject_id"))
    print(result.rows.group_by("link").len(), precision, recall)
    assert len(result.rows) == len(rows)
    assert precision >= 0.995 and recall >= 0.99
    links = set(result.rows["link"].unique())
    assert {"信用代码", "概率匹配"} <= links
    # a row whose code has a wrong check character is still its entity's
    wrong = truth.filter(pl.col("errors").str.contains("wrong_check"))
    assert not wrong.is_empty()
    clusters = result.rows.join(truth, on=["source", "row"])
    per_subject = clusters.filter(pl.col("subject_id").is_in(wrong["subject_id"].implode())) \
        .group_by("subject_id").agg(pl.col("cluster").n_unique())
    assert (per_subject["cluster"] == 1).mean() >= 0.9


def _extra(rows: list[dict]) -> pl.DataFrame:
    return pl.DataFrame([{"source": EXTRA, "row": i, **r} for i, r in enumerate(rows, 1)]).cast(
        {"row": pl.Int64})


def test_name_variants_join_the_registered_entity_and_a_tie_joins_neither() -> None:
    a, b = "91130300MA0CW9B669", "91130302MA0D9B2M0X"
    assert is_valid_credit_code(a) and is_valid_credit_code(b)
    frame = _extra([
        {"credit_code": a, "name": "秦皇岛华兴商贸有限公司", "legal_rep": "张三",
         "address": "河北省秦皇岛市海港区文化路1号"},
        {"credit_code": b, "name": "秦皇岛长城物流有限公司", "legal_rep": "李四",
         "address": "河北省秦皇岛市海港区建设大街9号"},
        {"credit_code": b, "name": "秦皇岛长城物流有限公司"},
        # no code, 有限责任公司 and a typo in the representative: the first
        {"name": "秦皇岛市华兴商贸有限责任公司", "legal_rep": "张叁", "address": "海港区文化路1号"},
        # a code with a wrong check character: the second
        {"credit_code": b[:17] + "X", "name": "秦皇岛长城物流有限公司"},
        # a typo in the name's core, the same representative: the first
        {"name": "秦皇岛华星商贸有限公司", "legal_rep": "张三"},
        # two namesakes of the same name (different codes), and a row naming it with nothing else
        {"credit_code": "91130300MA0CWQ0J9W", "name": "海港区利民便利店", "legal_rep": "王五"},
        {"credit_code": "92130302MA0CWQ1XXM", "name": "海港区利民便利店", "legal_rep": "赵六"},
        {"name": "海港区利民便利店"},
    ])
    result = link_entities(standardise_entity_rows(frame)).rows
    cluster = result["cluster"].to_list()
    assert cluster[3] == cluster[5] == cluster[0] and cluster[4] == cluster[1] == cluster[2]
    assert cluster[0] != cluster[1]
    assert len({cluster[6], cluster[7], cluster[8]}) == 3  # the tie joins neither namesake
    assert result["link"][8] == "未链接"
