"""Grant options chosen at provider approval: fields released in clear (明文提供: a 重要 or personal item that
would be masked, never a 核心 one, each among the granted fields) and verify-only grants (仅核验). Stored on
the grant, part of the exchange's Grant, in the audit record, on the pages and in the JSON."""

from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import ComplianceReview, ProviderReview, RevokeInput
from zhengshu.core.sharing.tests.conftest import ADMIN, POLICE_APPROVER, City, entry_payload
from zhengshu.core.sharing.tests.test_pages import csrf, page
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput

Web = tuple[TestClient, dict[str, Actor | None]]


def core_entry(city: City) -> str:
    """The population entry with 出生日期 classified 核心."""
    items = entry_payload()["items"]
    items = [{**i, "level": "core"} if i["name"] == "出生日期" else i for i in items]
    return city.entry(items=items)


def asked(city: City, code: str) -> int:
    """A request for 公民身份号码, 姓名 and 出生日期 that passed compliance: waiting on the provider."""
    request_id = city.ask(code, fields=["公民身份号码", "姓名", "出生日期"]).request.id
    service.review_compliance(city.platform.uow(), ADMIN, request_id, ComplianceReview(approve=True),
                              city.platform.settings)
    return request_id


def refused(city: City, request_id: int, **grant: Any) -> InvalidInput:
    """The provider's approval with these terms, refused."""
    with pytest.raises(InvalidInput) as caught:
        service.review_as_provider(city.platform.uow(), POLICE_APPROVER, request_id,
                                   ProviderReview(approve=True, grant=grant))
    return caught.value


def test_released_fields_and_verify_only_are_stored_on_the_grant(city: City, platform, signed_in: Web) -> None:
    code = city.entry()
    detail = city.granted(code, clear_fields=["公民身份号码", "姓名"])
    assert detail.grant.grant.clear_fields == ("公民身份号码", "姓名") and not detail.grant.grant.verify_only
    active = service.active_grant(city.platform.uow(), city.client(), code)
    assert active.clear_fields == ("公民身份号码", "姓名") and active.verify_only is False
    with platform.database.reading() as session:
        details = session.execute(text("SELECT details FROM audit_records WHERE action = 'sharing.grant_issued'"
                                       )).scalar_one()
    assert json.loads(details)["clear_fields"] == ["公民身份号码", "姓名"]

    service.revoke_grant(city.platform.uow(), POLICE_APPROVER, detail.grant.grant.id, RevokeInput(reason="换发"))
    only = city.granted(code, verify_only=True)
    assert only.grant.grant.verify_only and only.grant.grant.clear_fields == ()
    assert service.active_grant(city.platform.uow(), city.client(), code).verify_only is True
    web, _who = signed_in  # the consumer's data officer sees it on the request page and in the grants list
    assert 'data-testid="verify-only"' in page(web.get(f"/sharing/requests/{only.request.id}"))
    assert "仅核验" in page(web.get("/sharing/grants", params={"side": "consumer"}))


def test_core_items_are_never_released_in_clear(city: City) -> None:
    code = core_entry(city)
    error = refused(city, asked(city, code), clear_fields=["公民身份号码", "出生日期"])
    assert error.field == "clear_fields" and error.message == "核心数据项不能明文提供：出生日期"


def test_released_fields_must_be_granted_and_not_pseudonymous_nor_on_a_verify_only_grant(city: City) -> None:
    request_id = asked(city, city.entry())
    error = refused(city, request_id, fields=["姓名"], clear_fields=["公民身份号码"])
    assert error.field == "clear_fields" and "须在授权的信息项中：公民身份号码" in error.message
    error = refused(city, request_id, pseudonymous_fields=["公民身份号码"], clear_fields=["公民身份号码"])
    assert "不能既假名化又明文提供：公民身份号码" in error.message
    error = refused(city, request_id, verify_only=True, clear_fields=["姓名"])
    assert "仅核验的授权不返回数据" in error.message
    assert service.list_grants(city.platform.uow(), ADMIN, "all") == []  # nothing was granted by a refusal


def test_the_provider_chooses_the_options_on_the_request_page(city: City, signed_in: Web) -> None:
    web, who = signed_in
    code = core_entry(city)
    request_id = asked(city, code)
    who["actor"] = POLICE_APPROVER
    html = page(web.get(f"/sharing/requests/{request_id}"))
    assert 'name="clear_fields" value="公民身份号码"' in html and 'name="verify_only"' in html
    assert 'name="clear_fields" value="出生日期"' not in html  # 核心: not offered
    form = {"csrf_token": csrf(html), "decision": "approve", "client_key": city.client_key,
            "grant_fields": ["公民身份号码", "姓名", "出生日期"], "expires_on": "2027-06-30"}
    core = web.post(f"/sharing/requests/{request_id}/provider", data={**form, "clear_fields": ["出生日期"]})
    assert "核心数据项不能明文提供：出生日期" in page(core, 400)
    granted = web.post(f"/sharing/requests/{request_id}/provider", data={**form, "clear_fields": ["公民身份号码"]})
    assert granted.status_code == 303, granted.text[:500]
    html = page(web.get(granted.headers["location"]))
    assert "明文提供：公民身份号码" in html and 'data-testid="verify-only"' not in html
    grant = web.get(f"/api/v1/sharing/requests/{request_id}").json()["grant"]["grant"]
    assert grant["clear_fields"] == ["公民身份号码"] and grant["verify_only"] is False
    listed = page(web.get("/sharing/grants", params={"side": "provider"}))
    assert "明文提供：公民身份号码" in listed
