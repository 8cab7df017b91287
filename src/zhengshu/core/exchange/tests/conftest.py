"""Fixtures of the exchange tests: a whole city in miniature on the real databases. 市公安局 writes a
population dataset and publishes a catalogue entry mounted on it; 市人社局 registers a system, asks for the
resource and is granted part of it (some fields, one district, one pseudonymous field, a daily quota)
through the sharing flow; the system then calls the real application with a real bearer token."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from conftest import make_actor
from fastapi.testclient import TestClient
from sqlalchemy import text

from zhengshu.app import create_app
from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate, MountInput
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import ClientCreate
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import ComplianceReview, GrantTermsInput, ProviderReview, RequestCreate, RowFilter
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind, system_actor
from zhengshu.kernel.identifiers import id_check_char
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

POLICE, RENSHE = "130300003", "130300005"  # 市公安局 provides, 市人社局 consumes
POLICE_OFFICER = make_actor(Role.DATA_OFFICER, department=POLICE, name="公安数据官")
POLICE_APPROVER = make_actor(Role.APPROVER, department=POLICE, name="公安审核人")
RENSHE_OFFICER = make_actor(Role.DATA_OFFICER, department=RENSHE, name="人社数据官")
AUTHORITY = make_actor(Role.PLATFORM_ADMIN, department="130300002", name="数据主管部门管理员")
HUKOU = "130300003-hukou"
GRANTED = ["公民身份号码", "姓名", "区划", "户号", "出生日期", "户籍地址"]  # not 电话
ITEMS = [
    {"name": "公民身份号码", "data_type": "C", "length": 18, "level": "important", "personal_info": "sensitive",
     "is_key": True},
    {"name": "姓名", "data_type": "C", "length": 50, "personal_info": "general"},
    {"name": "区划", "data_type": "C", "length": 6},
    {"name": "户号", "data_type": "C", "length": 6},
    {"name": "电话", "data_type": "C", "length": 20, "personal_info": "sensitive"},
    {"name": "出生日期", "data_type": "D", "personal_info": "general"},
    {"name": "户籍地址", "data_type": "C", "length": 200, "personal_info": "general"},
]
SURNAMES = "张李王赵钱孙周吴"


def id_number(i: int) -> str:
    """A valid 18-character ID number (GB 11643 check character) of someone born in January 1990."""
    body = f"130302199001{i % 28 + 1:02d}{i:03d}"
    return body + id_check_char(body)


def people(n: int = 12) -> pl.DataFrame:
    """n residents, alternately in 海港区 (130302) and 山海关区 (130303)."""
    return pl.DataFrame({
        "公民身份号码": [id_number(i) for i in range(n)],
        "姓名": [f"{SURNAMES[i % 8]}小{i}" for i in range(n)],
        "区划": ["130302" if i % 2 == 0 else "130303" for i in range(n)],
        "户号": [f"{i:06d}" for i in range(n)],
        "电话": [f"138{i:08d}" for i in range(n)],
        "出生日期": [date(1990, 1, 1 + i) for i in range(n)],
        "户籍地址": [f"河北省秦皇岛市{'海港区' if i % 2 == 0 else '山海关区'}文化路{i}号" for i in range(n)],
    })


def entry() -> EntryCreate:
    return EntryCreate(**{
        "classification": {"directory": "base", "section": "01", "heading": "001"},
        "provider_code": POLICE, "name": "户籍人口基本信息", "abstract": "本市户籍人口的身份与户籍信息。",
        "format": {"type": "database", "detail": "Parquet"}, "items": ITEMS,
        "sharing": {"type": "conditional", "condition": "用于政务服务身份核验",
                    "legal_basis": "《中华人民共和国居民身份证法》", "mode": "api"},
        "opening": {"type": "none"}, "update_cycle": "daily", "owner": "王数据", "contact": "0335-3000000",
    })


@dataclass
class City:
    """The miniature city: who is who, the resource, the consumer's system and its grant."""

    platform: Platform
    resource: str
    client_key: str
    client_secret: str
    grant_id: int
    http: TestClient
    token: str = ""

    def headers(self, end_user: str | None = "wangkeyuan", token: str | None = None) -> dict[str, str]:
        found = {"Authorization": f"Bearer {token or self.token}"}
        if end_user is not None:
            found["X-End-User"] = end_user
        return found

    def read(self, params: Any = None, resource: str | None = None, **headers: Any):
        return self.http.get(f"/api/v1/exchange/{resource or self.resource}/records", params=params,
                             headers=self.headers(**headers))

    def verify(self, body: dict, resource: str | None = None, **headers: Any):
        return self.http.post(f"/api/v1/exchange/{resource or self.resource}/verify", json=body,
                              headers=self.headers(**headers))


def grant_resource(platform: Platform, resource: str, client_key: str, **terms: Any) -> int:
    """市人社局 asks for the resource; the data authority and 市公安局's approver agree, with these terms."""
    today = clock.now().astimezone(clock.DISPLAY_ZONE).date()
    request = sharing.submit_request(platform.uow(), RENSHE_OFFICER, RequestCreate(
        resource_code=resource, client_key=client_key, fields=GRANTED,
        row_filters=[RowFilter(column="区划", op="eq", value="130302")], purpose="社保待遇资格认证",
        legal_basis="《社会保险法》", ends_on=today + timedelta(days=365)), platform.settings)
    request_id = request.request.id
    sharing.review_compliance(platform.uow(), AUTHORITY, request_id, ComplianceReview(approve=True), platform.settings)
    terms = {"pseudonymous_fields": ["户号"], "daily_quota": 1000, **terms}
    detail = sharing.review_as_provider(platform.uow(), POLICE_APPROVER, request_id,
                                        ProviderReview(approve=True, grant=GrantTermsInput(**terms)))
    assert detail.grant is not None, detail
    return detail.grant.grant.id


@pytest.fixture
def city(platform: Platform) -> Iterator[City]:
    system = system_actor("测试")
    identity.seed_city(platform.uow(), system)
    calendar.seed_calendar(platform.uow(), system)
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    datasets.create_dataset(platform.uow(), POLICE_OFFICER, HUKOU, "常住人口户籍", POLICE)
    datasets.write_version(platform.uow(), POLICE_OFFICER, store, HUKOU, people(), publish=True)
    code = catalog.register_entry(platform.uow(), POLICE_OFFICER, entry()).entry.code
    catalog.mount_entry(platform.uow(), POLICE_OFFICER, code,
                        MountInput(kind="dataset", reference=HUKOU, columns=[i["name"] for i in ITEMS]))
    catalog.publish_entry(platform.uow(), POLICE_OFFICER, code)
    created = identity.create_client(platform.uow(), RENSHE_OFFICER, ClientCreate(name="社保待遇认证系统",
                                                                                  organisation_code=RENSHE))
    key = created.client.client_key
    grant_id = grant_resource(platform, code, key)
    with TestClient(create_app(platform)) as http:
        city = City(platform, code, key, created.client_secret, grant_id, http)
        response = http.post("/api/v1/identity/token", json={"client_key": key, "client_secret": city.client_secret})
        assert response.status_code == 200, response.text
        city.token = response.json()["access_token"]
        yield city


@pytest.fixture
def exchange_audit(platform: Platform) -> Callable[[], list[dict[str, Any]]]:
    """The exchange's audit records so far, in chain order: action, actor, target, outcome and details."""
    import json

    def read() -> list[dict[str, Any]]:
        with platform.database.reading() as session:
            rows = session.execute(text(
                "SELECT action, actor, target, outcome, details, department_code FROM audit_records "
                "WHERE action LIKE 'exchange.%' ORDER BY seq")).all()
        return [{"action": r[0], "actor": r[1], "target": r[2], "outcome": r[3], "department": r[5],
                 **json.loads(r[4])} for r in rows]

    return read


def as_actor(city: City) -> Actor:
    """The consumer's system as the services see it behind a bearer token."""
    return Actor(kind=ActorKind.CLIENT, id=city.client_key, name="社保待遇认证系统",
                 department_code=RENSHE, client_address="127.0.0.1")
