"""Fixtures of the quality report tests: the city seeded, two departments' resources with recorded loads,
and a web client whose signed-in actor a test chooses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import polars as pl
import pytest
from conftest import make_actor, web_as
from fastapi.testclient import TestClient

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, MountInput
from zhengshu.core.identity.service import seed_city
from zhengshu.core.quality import service
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

POLICE, MARKET = "130300003", "130300004"
POLICE_OFFICER = make_actor(Role.DATA_OFFICER, department=POLICE, name="公安数据官")
MARKET_OFFICER = make_actor(Role.DATA_OFFICER, department=MARKET, name="市场监管数据官")
ADMIN = make_actor(Role.PLATFORM_ADMIN, department="130300002", name="数据主管部门管理员")
ANALYST = make_actor(Role.ANALYST, department="130300008", name="分析员")
PEOPLE = pl.DataFrame({"row": [1, 2, 3, 4], "公民身份号码": ["130302199003071234", "130302199003071235", None,
                                                             "13030420010101002X"],
                       "姓名": ["张伟", "王芳", "李四", ""], "性别": ["男", "男", "女", "女"],
                       "出生日期": ["1990-03-07", "1990-03-07", "1990-03-07", "2001-01-01"]})
FIRMS = pl.DataFrame({"row": [1, 2, 3, 4],
                      "统一社会信用代码": ["91110000600037341L", "91110000600037341L", "91110000600037341N", "9111"],
                      "企业名称": ["甲公司", "乙公司", "丙公司", " "]})


def entry(platform: Platform, actor: Actor, provider: str, name: str, items: list[dict], publish: bool = True) -> str:
    """A registered catalogue entry of `provider`, published (so every member of staff sees it) unless asked."""
    code = catalog.register_entry(platform.uow(), actor, EntryCreate.model_validate({
        "classification": {"directory": "base", "section": "01", "heading": "001"}, "provider_code": provider,
        "name": name, "abstract": f"{name}。", "format": {"type": "database", "detail": "PostgreSQL"},
        "items": [{"personal_info": "general", **i} for i in items],
        "sharing": {"type": "conditional", "condition": "用于政务服务", "legal_basis": "《政务数据共享条例》",
                    "mode": "api"},
        "opening": {"type": "none"}, "update_cycle": "daily", "owner": "王数据", "contact": "0335-3000000"})).entry.code
    if publish:
        columns = [i["name"] for i in items]
        mount = MountInput(kind="dataset", reference="q.test", columns=columns)
        catalog.mount_entry(platform.uow(), actor, code, mount)
        catalog.publish_entry(platform.uow(), actor, code)
    return code


@dataclass
class City:
    platform: Platform
    people: str  # 市公安局's resource, two loads recorded
    firms: str  # 市市场监管局's resource, one load recorded
    empty: str  # 市公安局's resource without loads

    def load(self, actor: Actor, code: str, load_id: str, frame: pl.DataFrame) -> None:
        uow = self.platform.uow
        result = service.evaluate(uow(), actor, code, frame, today=date(2026, 1, 5))
        service.record_load_result(uow(), actor, code, load_id, result)


@pytest.fixture
def city(platform: Platform) -> City:
    seed_city(platform.uow(), system_actor("测试"))
    people = entry(platform, POLICE_OFFICER, POLICE, "户籍人口基本信息", [
        {"name": "公民身份号码", "data_type": "C", "length": 18, "is_key": True},
        {"name": "姓名", "data_type": "C", "length": 50}, {"name": "性别", "data_type": "C", "length": 2},
        {"name": "出生日期", "data_type": "D"}])
    firms = entry(platform, MARKET_OFFICER, MARKET, "市场主体登记信息", [
        {"name": "统一社会信用代码", "data_type": "C", "length": 18, "is_key": True},
        {"name": "企业名称", "data_type": "C", "length": 100}])
    empty = entry(platform, POLICE_OFFICER, POLICE, "暂住人口信息", [{"name": "姓名", "data_type": "C", "length": 50}],
                  publish=False)
    found = City(platform, people, firms, empty)
    found.load(POLICE_OFFICER, people, "p-1", PEOPLE.head(2))
    found.load(POLICE_OFFICER, people, "p-2", PEOPLE)
    found.load(MARKET_OFFICER, firms, "f-1", FIRMS)
    return found


@pytest.fixture
def signed_in(city: City) -> Iterator[tuple[TestClient, dict[str, Actor | None]]]:
    """A client on the real app, 市公安局's data officer signed in; `who["actor"]` switches."""
    with web_as(city.platform, POLICE_OFFICER) as web:
        yield web
