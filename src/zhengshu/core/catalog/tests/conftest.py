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
from zhengshu.core.catalog import service
from zhengshu.core.catalog.schemas import EntryCreate, MountInput
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


HRSS = "130300005"  # 市人社局


def item(name: str, **changes: Any) -> dict[str, Any]:
    return {"name": name, "data_type": "C", "length": 50, **changes}


def add_entry(platform: Platform, directory: str, section: str, provider: str, name: str, columns: list[str],
              *, publish: bool = True, **changes: Any) -> str:
    """Register an entry as a platform admin (any department), and mount and publish it unless told not to."""
    admin = make_actor(Role.PLATFORM_ADMIN, name="平台管理员")
    body = entry_payload(classification={"directory": directory, "section": section, "heading": "001"},
                         provider_code=provider, name=name, **{"items": [item(c) for c in columns], **changes})
    code = service.register_entry(platform.uow(), admin, EntryCreate(**body)).entry.code
    if publish:
        mount = MountInput(kind="dataset", reference=f"ds.{code}", columns=columns)
        service.mount_entry(platform.uow(), admin, code, mount)
        service.publish_entry(platform.uow(), admin, code)
    return code


@pytest.fixture
def catalogue(seeded: Platform) -> dict[str, str]:
    """A small catalogue to search and export: four published entries of three departments and one draft."""
    open_all = {"type": "unconditional", "mode": "api"}
    return {
        "population": add_entry(seeded, "base", "01", POLICE, "户籍人口基本信息", COLUMNS,
                                items=[item("公民身份号码", length=18, personal_info="sensitive", is_key=True),
                                       item("姓名", personal_info="general"), item("出生日期", data_type="D"),
                                       item("户籍地址", length=200)]),
        "licences": add_entry(seeded, "base", "02", MARKET, "企业营业执照登记信息",
                              ["统一社会信用代码", "企业名称", "法定代表人"],
                              abstract="本市市场主体的登记信息。", format={"type": "spreadsheet", "detail": "xlsx"},
                              sharing=open_all, opening={"type": "unconditional"}, update_cycle="monthly",
                              contact="data@scjg.qhd.gov.cn"),
        "insurance": add_entry(seeded, "theme", "03", HRSS, "社会保险缴费记录",
                               ["公民身份号码", "缴费年月", "缴费金额"], update_cycle="realtime",
                               abstract="职工养老保险、医疗保险的缴费情况，覆盖全市参保人口。"),
        "floating": add_entry(seeded, "department", "07", POLICE, "流动人口登记", ["姓名", "居住地址"],
                              abstract="暂住人员的登记信息。", sharing=open_all, update_cycle="weekly"),
        "draft": add_entry(seeded, "base", "01", POLICE, "重点人口管理信息", ["姓名"], publish=False),
    }
