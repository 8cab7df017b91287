"""Fixtures of the open-data tests: 市生态环境局 publishes daily air quality by station (no personal data) and
市公安局 a table of residents (identifying), both catalogued, mounted and published on the real databases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl
import pytest
from conftest import make_actor

from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import service as identity
from zhengshu.core.opendata import service
from zhengshu.core.opendata.schemas import DecisionInput, ProposalInput
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

ECO, POLICE = "130300003", "130300003"
AUTHORITY = make_actor(Role.PLATFORM_ADMIN, department="130300002", name="数据主管部门管理员")
STATIONS = [("监测站甲", "130302"), ("监测站乙", "130303"), ("监测站丙", "130304")]


def officer(department: str) -> object:
    return make_actor(Role.DATA_OFFICER, department=department, name="数据官")


def air(days: int = 10, start: date = date(2026, 10, 1)) -> pl.DataFrame:
    rows = [{"站点": s, "区划": d, "日期": start + timedelta(days=i), "AQI": 40 + (i * 7 + j * 13) % 90,
             "PM25": float(10 + (i * 3 + j) % 40)} for i in range(days) for j, (s, d) in enumerate(STATIONS)]
    return pl.DataFrame(rows)


def residents(n: int = 40) -> pl.DataFrame:
    surnames = "张李王赵钱孙周吴"
    return pl.DataFrame({
        "姓名": [f"{surnames[i % 8]}{'明华强丽'[i % 4]}" for i in range(n)],
        "手机号": [f"138{i:08d}" for i in range(n)],
        "性别": ["男" if i % 2 else "女" for i in range(n)],
        "出生日期": [date(1960 + i % 37, 1 + i % 12, 1 + i % 27) for i in range(n)],
        "区划": ["130302" if i % 3 else "130303" for i in range(n)],
    })


AIR_ITEMS = [{"name": "站点", "data_type": "C", "length": 50}, {"name": "区划", "data_type": "C", "length": 6},
             {"name": "日期", "data_type": "D"}, {"name": "AQI", "data_type": "N", "length": 4},
             {"name": "PM25", "data_type": "N", "length": 8}]
RESIDENT_ITEMS = [{"name": "姓名", "data_type": "C", "length": 50, "personal_info": "general"},
                  {"name": "手机号", "data_type": "C", "length": 20, "personal_info": "general"},
                  {"name": "性别", "data_type": "C", "length": 2, "personal_info": "general"},
                  {"name": "出生日期", "data_type": "D", "personal_info": "general"},
                  {"name": "区划", "data_type": "C", "length": 6, "personal_info": "general"}]


def _entry(provider: str, name: str, items: list[dict], opening: dict, heading: str) -> EntryCreate:
    return EntryCreate(**{
        "classification": {"directory": "theme", "section": "01", "heading": heading},
        "provider_code": provider, "name": name, "abstract": f"{name}。", "items": items,
        "format": {"type": "spreadsheet", "detail": "xlsx"},
        "sharing": {"type": "unconditional", "mode": "api"}, "opening": opening, "update_cycle": "daily",
        "owner": "数据官", "contact": "0335-3000000"})


@dataclass
class OpenCity:
    platform: Platform
    ctx: service.Context
    air_entry: str
    people_entry: str

    def uow(self):
        return self.platform.uow()


def publish(platform: Platform, store: DatasetStore, provider: str, dataset: str, frame: pl.DataFrame,
            entry: EntryCreate) -> str:
    actor = officer(provider)
    datasets.create_dataset(platform.uow(), actor, dataset, entry.name, provider)
    datasets.write_version(platform.uow(), actor, store, dataset, frame, publish=True)
    code = catalog.register_entry(platform.uow(), actor, entry).entry.code
    catalog.mount_entry(platform.uow(), actor, code, MountInput(kind="dataset", reference=dataset,
                                                                columns=list(frame.columns)))
    catalog.publish_entry(platform.uow(), actor, code)
    return code


def make_city(platform: Platform, days: int = 10) -> OpenCity:
    """The city seeded, with the two published entries (air quality over `days` days, residents)."""
    system = system_actor("测试")
    identity.seed_city(platform.uow(), system)
    calendar.seed_calendar(platform.uow(), system)
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    air_entry = publish(platform, store, ECO, "air-daily", air(days), _entry(
        ECO, "空气质量日报", AIR_ITEMS, {"type": "unconditional"}, "001"))
    people_entry = publish(platform, store, POLICE, "residents", residents(), _entry(
        POLICE, "居民名册", RESIDENT_ITEMS, {"type": "conditional", "condition": "仅用于科研"}, "002"))
    return OpenCity(platform, service.Context(store, 5), air_entry, people_entry)


@pytest.fixture
def city(platform: Platform) -> OpenCity:
    return make_city(platform)


def open_air(city: OpenCity, code: str = "air-quality-daily") -> None:
    proposal = ProposalInput(entry_code=city.air_entry, code=code, title="空气质量日报（按站点）",
                             theme="environment", description="各监测站每日空气质量。")
    detail = service.propose(city.uow(), officer(ECO), city.ctx, proposal)
    assert detail.opening.status.value == "proposed", detail.opening.gate_report
    service.decide(city.uow(), AUTHORITY, city.ctx, code, DecisionInput(approve=True))
