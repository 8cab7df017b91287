"""The population base registry as a platform module: its fusion spec handed to the fusion engine
(`zhengshu fuse persons`, the fusion report) — the population's rule table, person rows, Splink linkage
and its 基础目录 entry."""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from zhengshu.core.fusion import service as fusion
from zhengshu.modules import Module
from zhengshu.registries.population import cli
from zhengshu.registries.population.domain import CONTEXT_FIELDS, DOUBTFUL_LINKS, PERSON_FIELDS
from zhengshu.registries.population.golden import authority_table

CODE = "population"
OWNER = "130300002"  # 市行政审批局, the data authority (大数据主管部门) in the identity seed, holds the registry
SENSITIVE = re.compile(r"身份号码")
PERSONAL = re.compile(r"姓名|出生日期|性别|地址|电话|坐落|婚姻|文化程度|人员状态|参保|公积金")


def classify(item: str) -> dict[str, Any]:
    """An item's level and personal-information flag, as the person resources of the catalogue have them:
    the ID number is sensitive personal information (重要), the other facts about a person general."""
    if SENSITIVE.search(item):
        return {"level": "important", "personal_info": "sensitive", "is_key": True}
    if item == "人员编号":
        return {"is_key": True}
    return {"personal_info": "general"} if PERSONAL.search(item) else {}


# linkage imports Splink and DuckDB: loaded when a fusion runs, not whenever the platform starts
def rows(source: str, frame: pl.DataFrame) -> pl.DataFrame:
    from zhengshu.registries.population.linkage import person_rows, standardise_person_rows

    return standardise_person_rows(person_rows(source, frame))


def link(frame: pl.DataFrame) -> pl.DataFrame:
    from zhengshu.registries.population.linkage import link_persons

    return link_persons(frame).rows


def spec() -> fusion.RegistrySpec:
    return fusion.RegistrySpec(
        code=CODE, title="人口基础库", id_title="人员编号", id_prefix="RK", owner=OWNER, table=authority_table(),
        rows=rows, link=link, fields=(*PERSON_FIELDS, *CONTEXT_FIELDS),
        neighbour_fields=("id_number", "name", "phone"), key_fields=("id_number", "name"), classify=classify,
        context_clusters=5000, review_links=DOUBTFUL_LINKS,
        entry={
            "classification": {"directory": "base", "section": "01", "heading": "001"},
            "provider_code": OWNER, "name": "人口基础库",
            "abstract": "由公安、人社、民政、住建、卫健、教育、公积金、交通、文旅等部门的人员数据融合而成的人口基础库："
                        "每人一条记录，每个字段取其权威来源部门的值（一数一源），并记录每个值的来源。",
            "format": {"type": "database", "detail": "Parquet"},
            "sharing": {"type": "conditional", "condition": "用于履行法定职责、办理政务服务", "mode": "api",
                        "legal_basis": "《中华人民共和国个人信息保护法》第十三条第一款第三项"},
            "opening": {"type": "none"}, "update_cycle": "daily", "owner": "市行政审批局数据官",
            "contact": "0335-3000000"})


fusion.declare_registry(CODE, spec)

MODULE = Module(name=CODE, title="人口基础库", cli=(), permissions=())
_ = cli  # `zhengshu fuse persons` is added to the fusion module's `fuse` group when cli is imported
