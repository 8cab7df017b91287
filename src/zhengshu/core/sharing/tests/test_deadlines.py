"""Deadlines come from the settings (ZHENGSHU_SHARING_*_DAYS): a changed setting changes the deadline a new
stage gets, through the service and through the API; a bad value stops the platform with a clear message."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import AnswerCreate, ComplianceReview, NeedCreate
from zhengshu.core.sharing.tests.conftest import ADMIN, MARKET_OFFICER, POLICE_OFFICER, City, request_body
from zhengshu.kernel.errors import ConfigurationError
from zhengshu.modules import Platform
from zhengshu.settings import load_settings

# 09-30 is a Wednesday; 10-01..07 are 国庆, 10-10 (a Saturday) is a working day.
CHANGED = {"sharing_compliance_days": 4, "sharing_provider_days": 3, "sharing_unpublished_days": 7}


def test_the_settings_default_to_the_published_rules() -> None:
    settings = load_settings()
    assert (settings.sharing_compliance_days, settings.sharing_provider_days,
            settings.sharing_unpublished_days) == (2, 5, 10)


def test_the_settings_are_read_from_the_environment_and_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHENGSHU_SHARING_PROVIDER_DAYS", "7")
    assert load_settings().sharing_provider_days == 7
    monkeypatch.setenv("ZHENGSHU_SHARING_COMPLIANCE_DAYS", "0")
    with pytest.raises(ConfigurationError, match="ZHENGSHU_SHARING_COMPLIANCE_DAYS"):
        load_settings()


def test_changed_settings_change_every_deadline(city: City) -> None:
    settings = city.platform.settings.model_copy(update=CHANGED)
    uow = city.platform.uow
    published = city.entry()
    asked = service.submit_request(uow(), MARKET_OFFICER, request_body(published, city.client_key), settings)
    assert asked.request.due_on == date(2026, 10, 12)  # 4 working days: 10-08, 10-09, 10-10, 10-12 (not 10-09)
    passed = service.review_compliance(uow(), ADMIN, asked.request.id, ComplianceReview(approve=True), settings)
    assert passed.request.due_on == date(2026, 10, 10)  # 3 working days (not 5: 10-13)

    unpublished = city.entry(publish=False)
    need = service.post_need(uow(), MARKET_OFFICER, NeedCreate(title="人口", description="户籍人口"))
    service.answer_need(uow(), POLICE_OFFICER, need.id, AnswerCreate(resource_code=unpublished))
    other = service.submit_request(uow(), MARKET_OFFICER, request_body(unpublished, city.client_key), settings)
    passed = service.review_compliance(uow(), ADMIN, other.request.id, ComplianceReview(approve=True), settings)
    assert passed.request.due_on == date(2026, 10, 15)  # 7 working days (not 10: 10-20)


def test_the_api_uses_the_platform_s_settings(city: City) -> None:
    platform = Platform.start(city.platform.settings.model_copy(update=CHANGED), database=city.platform.database)
    app = create_app(platform)
    who = {"actor": MARKET_OFFICER}
    app.state.authenticate = lambda request: who["actor"]
    code = city.entry()
    with TestClient(app) as web:
        created = web.post("/api/v1/sharing/requests", json=request_body(code, city.client_key).model_dump(
            mode="json"))
        assert created.status_code == 201, created.text
        assert created.json()["request"]["due_on"] == "2026-10-12"
        who["actor"] = ADMIN
        passed = web.post(f"/api/v1/sharing/requests/{created.json()['request']['id']}/compliance",
                          json={"approve": True})
        assert passed.json()["request"]["due_on"] == "2026-10-10"
