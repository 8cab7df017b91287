"""谁查询了我的数据 and 本部门数据使用 on SQLite and PostgreSQL: a citizen signed in by ID number sees the
department, resource, purpose and fields of every call that returned or checked a record about them (and
nothing about anyone else); a provider's officers see who used its resources; every look-up is audited."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.core.exchange import service
from zhengshu.core.exchange.tests.conftest import (
    AUTHORITY,
    POLICE,
    POLICE_OFFICER,
    RENSHE,
    RENSHE_OFFICER,
    City,
    id_number,
)
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import UserCreate
from zhengshu.kernel.actor import PUBLIC
from zhengshu.kernel.errors import InvalidInput, NotAuthenticated, NotFound
from zhengshu.kernel.identifiers import id_check_char
from zhengshu.modules import Platform
from zhengshu.settings import load_settings

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "Qhd-2026-exchange"


def citizen(platform: Platform, number: str):
    return identity.citizen_sign_in(platform.uow(), PUBLIC, number, platform.secret_key, platform.settings)


def test_a_citizen_sees_each_read_and_check_of_their_records_and_nobody_elses(city: City, exchange_audit) -> None:
    assert city.read({"fields": "公民身份号码,姓名,区划"}).status_code == 200  # 海港区 rows: 0, 2, 4, …
    assert city.verify({"key": {"公民身份号码": id_number(2)}, "claims": {"姓名": "王小2"}}).status_code == 200
    assert city.read({"区划": "130303"}).status_code == 200  # no rows: no subjects

    reads = service.reads_about_me(city.platform.uow(), citizen(city.platform, id_number(2)))
    expected = [("verify", ["姓名"]), ("read", ["公民身份号码", "姓名", "区划"])]
    assert [(r.operation, r.fields) for r in reads] == expected
    assert {(r.consumer_code, r.consumer_name, r.resource_code, r.resource_name, r.purpose) for r in reads} == {
        (RENSHE, "市人社局", city.resource, "户籍人口基本信息", "社保待遇资格认证")}
    assert reads[0].operation_title == "核验" and reads[0].occurred_at >= reads[1].occurred_at

    only_read = service.reads_about_me(city.platform.uow(), citizen(city.platform, id_number(0)))
    assert [r.operation for r in only_read] == ["read"]
    outside_the_grant = citizen(city.platform, id_number(1))  # 山海关区: never returned
    assert service.reads_about_me(city.platform.uow(), outside_the_grant) == []

    viewed = [r for r in exchange_audit() if r["action"] == "exchange.subject_reads_viewed"]
    assert [r["calls"] for r in viewed] == [2, 1, 0]
    assert viewed[0]["actor"].startswith("citizen:") and id_number(2) not in str(viewed)


def test_refused_calls_name_no_subjects(city: City) -> None:
    assert city.read({"公民身份号码": id_number(0)}).status_code == 400  # masked field
    assert service.reads_about_me(city.platform.uow(), citizen(city.platform, id_number(0))) == []


def test_only_citizens_look_up_reads_about_themselves(city: City) -> None:
    for actor in (AUTHORITY, POLICE_OFFICER, PUBLIC):
        with pytest.raises(NotFound):
            service.reads_about_me(city.platform.uow(), actor)


def test_citizen_sign_in_needs_a_valid_number_and_the_demo_switch(platform: Platform) -> None:
    body = "13030219900101123"
    wrong_check = body + ("0" if id_check_char(body) != "0" else "1")
    for bad in ("", "130302199001011", wrong_check, body + "Y"):
        with pytest.raises(InvalidInput) as refused:
            citizen(platform, bad)
        assert refused.value.field == "id_number"
    lower = citizen(platform, body + id_check_char(body).lower())
    assert lower == citizen(platform, body + id_check_char(body))  # x and X are the same person
    assert lower.name.endswith(f"{body[-3:]}{id_check_char(body)}）") and body not in lower.id

    production = load_settings(data_dir=platform.settings.data_dir, citizen_demo_login=False)
    with pytest.raises(NotAuthenticated):
        identity.citizen_sign_in(platform.uow(), PUBLIC, body + id_check_char(body), platform.secret_key, production)
    live = load_settings(environment="production", secret_key="k" * 32, audit_signing_key="1" * 64,
                         audit_public_key="04" + "1" * 128, database_url="sqlite://")
    assert live.citizen_demo_login_enabled is False


def test_a_provider_sees_who_used_its_resources(city: City) -> None:
    city.read()
    city.read({"limit": "2"})
    city.read({"公民身份号码": id_number(0)})  # refused: counted as denied
    [use] = service.consumers_of(city.platform.uow(), POLICE_OFFICER)
    assert (use.consumer_code, use.consumer_name, use.resource_code, use.resource_name, use.purpose) == (
        RENSHE, "市人社局", city.resource, "户籍人口基本信息", "社保待遇资格认证")
    assert (use.calls, use.rows, use.denied) == (3, 8, 1)
    assert service.consumers_of(city.platform.uow(), RENSHE_OFFICER) == []  # 人社局 provides nothing used
    with pytest.raises(NotFound):
        service.consumers_of(city.platform.uow(), RENSHE_OFFICER, POLICE)  # not its department
    assert service.consumers_of(city.platform.uow(), AUTHORITY, POLICE) == [use]
    [resource] = service.monitor_summary(city.platform.uow(), AUTHORITY).resources  # named on the monitor too
    assert (resource.key, resource.name, resource.calls) == (city.resource, "户籍人口基本信息", 3)
    with pytest.raises(NotFound):
        service.consumers_of(city.platform.uow(), replace(POLICE_OFFICER, roles=frozenset()))


def test_citizen_pages_sign_in_show_the_reads_and_sign_out(city: City) -> None:
    city.read()
    with TestClient(create_app(city.platform), follow_redirects=False) as web:
        assert web.get("/my/reads").headers["location"] == "/my/login"
        page = web.get("/my/login")
        assert page.status_code == 200 and "公民身份号码" in page.text
        token = CSRF_FIELD.search(page.text).group(1)
        refused = web.post("/my/login", data={"id_number": "123", "csrf_token": token})
        assert refused.status_code == 400 and "校验位" in refused.text
        signed = web.post("/my/login", data={"id_number": id_number(4), "csrf_token": token})
        assert signed.status_code == 303 and signed.headers["location"] == "/my/reads"
        assert web.get("/").headers["location"] == "/my/reads"
        reads = web.get("/my/reads")
        assert reads.status_code == 200 and "市人社局" in reads.text
        assert "社保待遇资格认证" in reads.text and "户籍人口基本信息" in reads.text and id_number(4) not in reads.text
        assert web.get("/exchange/monitor").status_code in (303, 404)  # a citizen is not staff
        token = CSRF_FIELD.search(reads.text).group(1)
        assert web.post("/logout", data={"csrf_token": token}).headers["location"] == "/my/login"
        assert web.get("/my/reads").headers["location"] == "/my/login"


def test_provider_page_lists_the_consumers(city: City) -> None:
    city.read()
    identity.create_user(city.platform.uow(), AUTHORITY, UserCreate(
        username="gongan.shujuguan", display_name="公安数据官", organisation_code=POLICE, roles=["data_officer"],
        password=PASSWORD))
    with TestClient(create_app(city.platform), follow_redirects=False) as web:
        token = CSRF_FIELD.search(web.get("/login").text).group(1)
        web.post("/login", data={"username": "gongan.shujuguan", "password": PASSWORD, "csrf_token": token})
        page = web.get("/exchange/consumers")
        assert page.status_code == 200 and "本部门数据使用" in page.text
        rows = page.text.split('data-testid="consumers"')[1]
        assert "市人社局" in rows and "社保待遇资格认证" in rows and "户籍人口基本信息" in rows
        assert web.get("/my/reads").headers["location"] == "/my/login"  # staff are not citizens
