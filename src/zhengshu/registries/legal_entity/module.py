"""The legal-entity base registry as a platform module: its fusion spec handed to the fusion engine
(`zhengshu fuse entities`, the fusion report, the 基础目录 entry 法人基础库) — the entities' rule table, entity
rows, Splink linkage — and the portrait pages (法人画像、人员画像、来源记录)."""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from zhengshu.core.fusion import service as fusion
from zhengshu.modules import Module, NavItem
from zhengshu.registries.legal_entity import cli, pages
from zhengshu.registries.legal_entity import permissions as perms
from zhengshu.registries.legal_entity.domain import ENTITY_FIELDS
from zhengshu.registries.legal_entity.linkage import entity_rows, link_entities, standardise_entity_rows
from zhengshu.registries.legal_entity.service import CODE, ID_TITLE, OWNER, authority_table

SENSITIVE = re.compile(r"证件号码")
PERSONAL = re.compile(r"法定代表人")
KEYS = re.compile(r"统一社会信用代码|主体标识")


def classify(item: str) -> dict[str, Any]:
    """An item's level and personal-information flag: an entity's registration is public (企业信用信息公示), its
    legal representative's name general personal information, his ID number sensitive (重要)."""
    if SENSITIVE.search(item):
        return {"level": "important", "personal_info": "sensitive"}
    if KEYS.search(item):
        return {"is_key": True}
    return {"personal_info": "general"} if PERSONAL.search(item) else {}


def rows(source: str, frame: pl.DataFrame) -> pl.DataFrame:
    return standardise_entity_rows(entity_rows(source, frame))


def link(frame: pl.DataFrame) -> pl.DataFrame:
    return link_entities(frame).rows


def spec() -> fusion.RegistrySpec:
    return fusion.RegistrySpec(
        code=CODE, title="法人基础库", id_title=ID_TITLE, id_prefix="FR", owner=OWNER, table=authority_table(),
        rows=rows, link=link, fields=ENTITY_FIELDS, neighbour_fields=("credit_code", "name", "legal_rep"),
        key_fields=("credit_code", "name"), classify=classify,
        entry={"classification": {"directory": "base", "section": "02", "heading": "001"},
               "provider_code": OWNER, "name": "法人基础库",
               "abstract": "由市场监管、税务等部门的法人记录经实体识别与一数一源融合而成的法人基础库："
                           "每个法人一条黄金记录，每个值注明权威来源。",
               "format": {"type": "database", "detail": "Parquet"},
               "sharing": {"type": "conditional", "condition": "用于履行法定职责、办理政务服务和市场监管",
                           "legal_basis": "《企业信息公示暂行条例》；"
                                          "《中华人民共和国个人信息保护法》第十三条第一款第三项",
                           "mode": "api"},
               "opening": {"type": "none"}, "update_cycle": "daily", "owner": "数据主管部门数据官",
               "contact": "0335-3000000"})


fusion.declare_registry(CODE, spec)

MODULE = Module(
    name="legal_entity",
    title="法人基础库",
    pages=pages.router,
    cli=(),
    permissions=perms.ALL,
    nav=(NavItem("法人画像", "/legal-entities", perms.VIEW_PORTRAIT),),
    templates_package="zhengshu.registries.legal_entity",
)
_ = cli  # `zhengshu fuse entities` is added to the fusion module's `fuse` group when cli is imported
