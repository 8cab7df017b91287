"""A toy registry for the engine's tests (no Splink): two departments' person tables in the catalogue, linked
exactly by ID number and, for rows without one, by name; a rule table where 市公安局 is the authority."""

from __future__ import annotations

from typing import Any

import polars as pl

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion.domain import RegistrySpec
from zhengshu.core.fusion.golden import parse_authority
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.identifiers import id_check_char
from zhengshu.modules import Platform

POLICE, RENSHE, AUTHORITY_DEPT = "130300003", "130300005", "130300002"
HUJI, SHEBAO = "市公安局/户籍人口", "市人社局/社保参保"
TABLE = parse_authority({
    "version": "test",
    "datasets": {HUJI: {"date": None}, SHEBAO: {"date": "参保日期"}},
    "fields": [
        {"field": "name", "title": "姓名", "standardiser": "name", "authority": HUJI,
         "sources": [{"dataset": HUJI, "item": "姓名"}, {"dataset": SHEBAO, "item": "姓名"}]},
        {"field": "id_number", "title": "公民身份号码", "standardiser": "id_number", "authority": HUJI,
         "sources": [{"dataset": HUJI, "item": "公民身份号码"}, {"dataset": SHEBAO, "item": "身份证号"}]},
        {"field": "insurance_status", "title": "参保状态", "standardiser": "text", "authority": SHEBAO,
         "sources": [{"dataset": SHEBAO, "item": "参保状态"}]},
    ],
})
COLUMNS = {"公民身份号码": "id_number", "身份证号": "id_number", "姓名": "name"}


def rows(source: str, frame: pl.DataFrame) -> pl.DataFrame:
    present = {field: column for column, field in COLUMNS.items() if column in frame.columns}
    return frame.select(pl.lit(source).alias("source"), pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("row"),
                        *(pl.col(c).cast(pl.String).alias(f) for f, c in present.items()))


LINKED: list[int] = []  # rows each call of `link` was given


def link(frame: pl.DataFrame) -> pl.DataFrame:
    """Same ID number → one cluster; a row without one joins the cluster bearing its name (weight 5)."""
    LINKED.append(frame.height)
    frame = frame.with_columns(pl.coalesce("id_number", "name").alias("key"))
    keyed = frame.with_columns(pl.col("key").rank("dense").cast(pl.Int64).alias("cluster"))
    names = keyed.filter(pl.col("id_number").is_not_null()).group_by("name").agg(pl.col("cluster").first())
    loose = keyed.filter(pl.col("id_number").is_null()).drop("cluster").join(names, on="name", how="left")
    loose = loose.with_columns(pl.col("cluster").fill_null(pl.col("key").rank("dense").cast(pl.Int64) + 10_000),
                               pl.when(pl.col("cluster").is_not_null()).then(pl.lit(5.0)).alias("match_weight"))
    exact = keyed.filter(pl.col("id_number").is_not_null()).with_columns(
        pl.lit(None, dtype=pl.Float64).alias("match_weight"))
    both = pl.concat([exact.select("source", "row", "cluster", "match_weight"),
                      loose.select("source", "row", "cluster", "match_weight")])
    return both.with_columns(pl.when(pl.col("match_weight").is_null()).then(pl.lit("身份证号"))
                             .otherwise(pl.lit("概率匹配")).alias("link"))


def classify(name: str) -> dict[str, Any]:
    if name == "公民身份号码":
        return {"level": "important", "personal_info": "sensitive", "is_key": True}
    return {"personal_info": "general"} if name == "姓名" else {}


def spec() -> RegistrySpec:
    return RegistrySpec(
        code="toy", title="测试人口库", id_title="人员编号", id_prefix="T", owner=AUTHORITY_DEPT, table=TABLE,
        rows=rows, link=link, fields=("id_number", "name"), neighbour_fields=("id_number", "name"),
        key_fields=("id_number", "name"), classify=classify,
        entry={"classification": {"directory": "base", "section": "01", "heading": "001"},
               "provider_code": AUTHORITY_DEPT, "name": "测试人口库", "abstract": "测试用的人口基础库。",
               "format": {"type": "database", "detail": "Parquet"},
               "sharing": {"type": "conditional", "condition": "用于履行法定职责", "legal_basis": "《个人信息保护法》",
                           "mode": "api"},
               "opening": {"type": "none"}, "update_cycle": "daily", "owner": "数据官", "contact": "0335-3000000"})


def id_number(i: int) -> str:
    body = f"130302199001{i % 28 + 1:02d}{i:03d}"
    return body + id_check_char(body)


def huji(n: int = 6) -> pl.DataFrame:
    return pl.DataFrame({"公民身份号码": [id_number(i) for i in range(n)], "姓名": [f"张{i}" for i in range(n)]})


def shebao(n: int = 4, renamed: int | None = None, status: str = "正常参保") -> pl.DataFrame:
    names = [f"张{i}" if i != renamed else "错名" for i in range(n)]
    return pl.DataFrame({"身份证号": [id_number(i) for i in range(n)] + [None], "姓名": [*names, "张5"],
                         "参保状态": [status] * (n + 1), "参保日期": ["2020-01-01"] * (n + 1)})


def publish_source(platform: Platform, actor: Actor, department: str, name: str, code: str,
                   frame: pl.DataFrame) -> str:
    """A dataset with one version and a published catalogue entry mounted on it; returns the entry code."""
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    datasets.create_dataset(platform.uow(), actor, code, name, department)
    datasets.write_version(platform.uow(), actor, store, code, frame, publish=True)
    items = [{"name": c, "data_type": "C", "length": 100, **classify(c)} for c in frame.columns]
    entry = EntryCreate.model_validate({
        "classification": {"directory": "base", "section": "01", "heading": "001"}, "provider_code": department,
        "name": name, "abstract": f"{name}。", "format": {"type": "database", "detail": "Parquet"}, "items": items,
        "sharing": {"type": "unconditional", "mode": "api"}, "opening": {"type": "none"},
        "update_cycle": "daily", "owner": "数据官", "contact": "0335-3000000"})
    entry_code = catalog.register_entry(platform.uow(), actor, entry).entry.code
    catalog.mount_entry(platform.uow(), actor, entry_code, MountInput(kind="dataset", reference=code,
                                                                      columns=list(frame.columns)))
    catalog.publish_entry(platform.uow(), actor, entry_code)
    return entry_code
