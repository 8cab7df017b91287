"""Fixtures of the sharing tests: the city and its calendar seeded, a clock the test sets, people to act as,
catalogue entries of 市公安局 to ask for, an API client of 市市场监管局 to grant them to, and a web client whose
signed-in actor a test chooses."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from conftest import make_actor, web_as
from fastapi.testclient import TestClient
from sqlalchemy import text

from zhengshu.core.calendar.service import seed_calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, MountInput
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import ClientCreate
from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import ComplianceReview, ProviderReview, RequestCreate, RequestDetail
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind, system_actor
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

POLICE, MARKET, HEALTH, AUTHORITY = "130300003", "130300004", "130300008", "130300002"
POLICE_OFFICER = make_actor(Role.DATA_OFFICER, department=POLICE, name="公安数据官")
POLICE_APPROVER = make_actor(Role.APPROVER, department=POLICE, name="公安审核人")
MARKET_OFFICER = make_actor(Role.DATA_OFFICER, department=MARKET, name="市场监管数据官")
MARKET_APPROVER = make_actor(Role.APPROVER, department=MARKET, name="市场监管审核人")
MARKET_ADMIN = make_actor(Role.PLATFORM_ADMIN, department=MARKET, name="市场监管局的平台管理员")
HEALTH_OFFICER = make_actor(Role.DATA_OFFICER, department=HEALTH, name="卫健数据官")
HEALTH_APPROVER = make_actor(Role.APPROVER, department=HEALTH, name="卫健审核人")
ANALYST = make_actor(Role.ANALYST, department=HEALTH, name="分析员")
ADMIN = make_actor(Role.PLATFORM_ADMIN, department=AUTHORITY, name="数据主管部门管理员")
ITEMS = ["公民身份号码", "姓名", "出生日期", "户籍地址"]
START = date(2026, 9, 30)  # a Wednesday just before 国庆: 10-01..07 off, 10-10 (Saturday) a working day


def entry_payload(**changes: Any) -> dict[str, Any]:
    """A complete registration of 市公安局's population resource."""
    body: dict[str, Any] = {
        "classification": {"directory": "base", "section": "01", "heading": "001"},
        "provider_code": POLICE, "name": "户籍人口基本信息", "abstract": "本市户籍人口的身份、出生与户籍地址信息。",
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
        "opening": {"type": "none"}, "update_cycle": "daily", "owner": "王数据", "contact": "0335-3000000",
    }
    body.update(changes)
    return body


SHARING_TYPES = {
    "conditional": {"type": "conditional", "condition": "用于政务服务身份核验", "legal_basis": "《居民身份证法》",
                    "mode": "api"},
    "unconditional": {"type": "unconditional", "mode": "api"},
    "none": {"type": "none", "legal_basis": "《中华人民共和国个人信息保护法》"},
}


class Clock:
    """The platform's clock, set by the test: `now()` is 10:00 Beijing time on `day`."""

    def __init__(self, day: date) -> None:
        self.day = day

    def now(self) -> datetime:
        return datetime.combine(self.day, time(2, 0), tzinfo=UTC)  # 10:00 in Asia/Shanghai


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fixed = Clock(START)
    monkeypatch.setattr(clock, "now", fixed.now)
    return fixed


@dataclass
class City:
    """The seeded platform and what the tests ask for."""

    platform: Platform
    client_key: str  # 市市场监管局's system
    police_client_key: str

    def entry(self, sharing: str = "conditional", publish: bool = True, **changes: Any) -> str:
        """A 市公安局 entry of the given sharing type; published unless asked not to (then only registered)."""
        body = entry_payload(sharing=SHARING_TYPES[sharing], **changes)
        code = catalog.register_entry(self.platform.uow(), POLICE_OFFICER, EntryCreate(**body)).entry.code
        if publish:
            mount = MountInput(kind="dataset", reference="gongan.population", columns=ITEMS)
            catalog.mount_entry(self.platform.uow(), POLICE_OFFICER, code, mount)
            catalog.publish_entry(self.platform.uow(), POLICE_OFFICER, code)
        return code

    def ask(self, code: str, actor: Actor = MARKET_OFFICER, **changes: Any) -> RequestDetail:
        body = request_body(code, changes.pop("client_key", self.client_key), **changes)
        return service.submit_request(self.platform.uow(), actor, body, self.platform.settings)

    def granted(self, code: str, **grant: Any) -> RequestDetail:
        """A request of 市市场监管局 for `code`, passed by the data authority and granted by 市公安局."""
        request_id = self.ask(code).request.id
        service.review_compliance(self.platform.uow(), ADMIN, request_id, ComplianceReview(approve=True),
                                  self.platform.settings)
        return service.review_as_provider(self.platform.uow(), POLICE_APPROVER, request_id,
                                          ProviderReview(approve=True, grant=grant))

    def client(self, key: str | None = None, department: str = MARKET) -> Actor:
        """The consumer's system as the exchange sees it after its token is checked."""
        return Actor(kind=ActorKind.CLIENT, id=key or self.client_key, name="业务系统", department_code=department)


def request_body(code: str, client_key: str, **changes: Any) -> RequestCreate:
    body: dict[str, Any] = {
        "resource_code": code, "client_key": client_key, "fields": ["公民身份号码", "姓名", "户籍地址"],
        "row_scope": "海港区户籍人口", "row_filters": [{"column": "户籍地址", "op": "prefix", "value": "海港区"}],
        "purpose": "企业开办登记时核验法定代表人身份", "legal_basis": "《市场主体登记管理条例》第十条",
        "ends_on": date(2027, 9, 29),
    }
    body.update(changes)
    return RequestCreate(**body)


def _client_key(platform: Platform, actor: Actor, department: str, name: str) -> str:
    created = identity.create_client(platform.uow(), actor, ClientCreate(name=name, organisation_code=department))
    return created.client.client_key


@pytest.fixture
def city(platform: Platform, today: Clock) -> City:
    seed = system_actor("测试")
    identity.seed_city(platform.uow(), seed)
    seed_calendar(platform.uow(), seed)
    return City(platform, _client_key(platform, MARKET_OFFICER, MARKET, "市场主体登记系统"),
                _client_key(platform, POLICE_OFFICER, POLICE, "公安业务系统"))


@pytest.fixture
def audit_actions(platform: Platform) -> Callable[[], list[tuple[str, str]]]:
    """(action, target) of the sharing records in the audit chain, in order."""

    def read() -> list[tuple[str, str]]:
        with platform.database.reading() as session:
            rows = session.execute(text(
                "SELECT action, target FROM audit_records WHERE action LIKE 'sharing.%' ORDER BY seq")).all()
        return [(r[0], r[1]) for r in rows]

    return read


@pytest.fixture
def signed_in(city: City) -> Iterator[tuple[TestClient, dict[str, Actor | None]]]:
    """A client on the real app and a switch saying who is signed in (`who["actor"]`)."""
    with web_as(city.platform, MARKET_OFFICER) as web:
        yield web
