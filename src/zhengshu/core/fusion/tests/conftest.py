"""Fixtures of the fusion tests: the toy registry's two sources published in the catalogue."""

from __future__ import annotations

import pytest
from conftest import make_actor

from zhengshu.core.calendar import service as calendar
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion.tests import toy
from zhengshu.core.identity import service as identity
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

SYSTEM = system_actor("测试")
POLICE_OFFICER = make_actor(Role.DATA_OFFICER, department=toy.POLICE, name="公安数据官")
RENSHE_OFFICER = make_actor(Role.DATA_OFFICER, department=toy.RENSHE, name="人社数据官")


@pytest.fixture
def fused(platform: Platform) -> tuple[Platform, DatasetStore, dict[str, str]]:
    identity.seed_city(platform.uow(), SYSTEM)
    calendar.seed_calendar(platform.uow(), SYSTEM)
    codes = {
        "huji": toy.publish_source(platform, POLICE_OFFICER, toy.POLICE, "户籍人口", "hukou", toy.huji()),
        "shebao": toy.publish_source(platform, RENSHE_OFFICER, toy.RENSHE, "社保参保", "shebao",
                                     toy.shebao(renamed=2)),
    }
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    return platform, store, codes


@pytest.fixture
def declared(monkeypatch: pytest.MonkeyPatch) -> None:
    """The toy registry declared for this test only (the demo fuses every declared registry)."""
    from zhengshu.core.fusion import domain

    monkeypatch.setitem(domain._DECLARED, "toy", toy.spec)
