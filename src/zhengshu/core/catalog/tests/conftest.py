"""Fixtures of the catalogue tests: the city's departments seeded, people to act as, a complete entry to
register, and a browser-like client on the real application with a switch saying who is signed in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from conftest import make_actor
from fastapi.testclient import TestClient
from sqlalchemy import text

from zhengshu.app import create_app
from zhengshu.core.identity.service import seed_city
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

POLICE, MARKET = "130300003", "130300004"  # 市公安局, 市市场监管局
POLICE_OFFICER = make_actor(Role.DATA_OFFICER, department=POLICE, name="公安数据官")
MARKET_OFFICER = make_actor(Role.DATA_OFFICER, department=MARKET, name="市场监管数据官")
POLICE_APPROVER = make_actor(Role.APPROVER, department=POLICE, name="公安审核人")
ANALYST = make_actor(Role.ANALYST, department="130300001", name="分析员")
COLUMNS = ["公民身份号码", "姓名", "出生日期", "户籍地址"]


def entry_payload(**changes: Any) -> dict[str, Any]:
    """A complete registration of 市公安局's population resource (JSON, as the API takes it)."""
    body: dict[str, Any] = {
        "classification": {"directory": "base", "section": "01", "heading": "001"},
        "provider_code": POLICE,
        "name": "户籍人口基本信息",
        "abstract": "本市户籍人口的身份、出生与户籍地址信息。",
        "format": {"type": "database", "detail": "PostgreSQL"},
        "items": [
            {"name": "公民身份号码", "data_type": "C", "length": 18, "level": "important",
             "personal_info": "sensitive", "is_key": True},
            {"name": "姓名", "data_type": "C", "length": 50, "personal_info": "general"},
            {"name": "出生日期", "data_type": "D", "personal_info": "general"},
            {"name": "户籍地址", "data_type": "C", "length": 200, "personal_info": "general"},
        ],
        "sharing": {"type": "conditional", "condition": "用于政务服务身份核验",
                    "legal_basis": "《中华人民共和国居民身份证法》", "mode": "api"},
        "opening": {"type": "none"},
        "update_cycle": "daily",
        "owner": "王数据",
        "contact": "0335-3000000",
    }
    body.update(changes)
    return body


@pytest.fixture
def seeded(platform: Platform) -> Platform:
    seed_city(platform.uow(), system_actor("测试"))
    return platform


@pytest.fixture
def audit_actions(platform: Platform) -> Callable[[], list[tuple[str, str]]]:
    """(action, target) of the audit records so far, catalogue ones only, in chain order."""

    def read() -> list[tuple[str, str]]:
        with platform.database.reading() as session:
            rows = session.execute(text(
                "SELECT action, target FROM audit_records WHERE action LIKE 'catalog.%' ORDER BY seq")).all()
        return [(r[0], r[1]) for r in rows]

    return read


@pytest.fixture
def signed_in(seeded: Platform) -> Iterator[tuple[TestClient, dict[str, Actor | None]]]:
    """A client on the real app and a switch saying who is signed in (`who["actor"]`)."""
    app = create_app(seeded)
    who: dict[str, Actor | None] = {"actor": POLICE_OFFICER}
    app.state.authenticate = lambda request: who["actor"]
    with TestClient(app, follow_redirects=False) as client:
        yield client, who
