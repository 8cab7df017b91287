"""Fixtures of the dataset tests: the city's departments (datasets belong to one), a store in the test's data
directory, people to act as, a small population frame whose ID numbers and phones must stay text, and the
audit trail read back with SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import polars as pl
import pytest
from conftest import make_actor
from sqlalchemy import text

from zhengshu.core.datasets import service
from zhengshu.core.datasets.schemas import VersionView
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.core.identity import service as identity
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform
from zhengshu.settings import Settings

POLICE, MARKET = "130300003", "130300004"  # 市公安局, 市市场监管局
HUKOU = "130300003-hukou"
POLICE_OFFICER = make_actor(Role.DATA_OFFICER, department=POLICE, name="公安数据官")
MARKET_OFFICER = make_actor(Role.DATA_OFFICER, department=MARKET, name="市场监管数据官")
ANALYST = make_actor(Role.ANALYST, department="130300001", name="分析员")
SYSTEM = system_actor("测试")
DISTRICTS = ("130302", "130303", "130304", "130306")


def people(n: int = 60, *, offset: int = 0) -> pl.DataFrame:
    """n residents: ID numbers (some ending in X), phones with a leading 0, codes with leading zeros, a
    nullable age, a birth date and a registration time; ties and empty values on purpose."""
    rows = range(offset, offset + n)
    return pl.DataFrame({
        "身份证号": [f"13030219{60 + i % 40:02d}0101{i % 1000:03d}{'X' if i % 7 == 0 else i % 10}" for i in rows],
        "姓名": [("张三", "李四", "王五", "赵六", None)[i % 5] for i in rows],
        "区划": [DISTRICTS[i % 4] for i in rows],
        "电话": [f"0{13800138000 + i}" for i in rows],
        "户号": [f"{i:06d}" for i in rows],
        "年龄": [None if i % 9 == 0 else 20 + i % 13 for i in rows],
        "出生日期": [date(1960 + i % 40, 1, 1) for i in rows],
        "登记时间": [datetime(2024, 1, 1 + i % 28, 8, tzinfo=UTC) for i in rows],
    })


@pytest.fixture
def seeded(platform: Platform) -> Platform:
    """The platform with Qinhuangdao's departments written (every dataset belongs to one)."""
    identity.seed_city(platform.uow(), SYSTEM)
    return platform


@pytest.fixture
def store(settings: Settings) -> DatasetStore:
    return DatasetStore.for_data_dir(settings.data_dir)


@pytest.fixture
def hukou(seeded: Platform, store: DatasetStore) -> VersionView:
    """市公安局's 户籍 dataset, version 1 (60 people) written and published."""
    service.create_dataset(seeded.uow(), POLICE_OFFICER, HUKOU, "常住人口户籍", POLICE)
    return service.write_version(seeded.uow(), POLICE_OFFICER, store, HUKOU, people(), publish=True)


@pytest.fixture
def actions(platform: Platform) -> Callable[[], list[str]]:
    """The audit actions recorded so far, in chain order."""

    def read() -> list[str]:
        with platform.database.reading() as session:
            return [r[0] for r in session.execute(text("SELECT action FROM audit_records ORDER BY seq"))]

    return read
