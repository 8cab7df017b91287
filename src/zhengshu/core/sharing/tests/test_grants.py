"""Grants on the real databases: the exchange's question (`active_grant`) answered only for the client that
holds a live grant; revocation and expiry stop access on the next call; renewal and re-certification."""

from __future__ import annotations

from datetime import date

import pytest

from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import RenewInput, RevokeInput
from zhengshu.core.sharing.tests.conftest import (
    ADMIN,
    HEALTH_OFFICER,
    MARKET_ADMIN,
    MARKET_OFFICER,
    POLICE_APPROVER,
    POLICE_OFFICER,
    City,
    Clock,
)
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound


def test_only_the_client_holding_the_grant_gets_it(city: City) -> None:
    code = city.entry()
    grant = city.granted(code).grant.grant
    uow = city.platform.uow
    assert service.active_grant(uow(), city.client(), f" {code} ") == grant
    for actor in (city.client(city.police_client_key, department="130300003"), MARKET_OFFICER, ADMIN):
        with pytest.raises(NotFound):
            service.active_grant(uow(), actor, code)
    with pytest.raises(NotFound):
        service.active_grant(uow(), city.client(), city.entry())  # another resource


def test_revoking_stops_access_on_the_next_call(city: City, audit_actions) -> None:
    code = city.entry()
    detail = city.granted(code)
    grant_id, uow = detail.grant.grant.id, city.platform.uow
    assert detail.grant.can_revoke  # the provider's approver who granted it may revoke it
    assert not service.get_grant(uow(), MARKET_OFFICER, grant_id).can_revoke  # the requester sees it, no more
    with pytest.raises(NotFound):
        service.revoke_grant(uow(), MARKET_OFFICER, grant_id, RevokeInput(reason="不再需要"))
    with pytest.raises(InvalidInput, match="撤销理由不能为空"):
        service.revoke_grant(uow(), POLICE_APPROVER, grant_id, RevokeInput(reason=" "))
    assert service.get_grant(uow(), POLICE_APPROVER, grant_id).can_revoke
    revoked = service.revoke_grant(uow(), POLICE_APPROVER, grant_id, RevokeInput(reason="发现超范围使用"))
    assert revoked.state.value == "revoked" and revoked.revoked_reason == "发现超范围使用"
    assert revoked.grant.status == "revoked" and not revoked.can_revoke and not revoked.can_renew
    with pytest.raises(NotFound):
        service.active_grant(uow(), city.client(), code)
    with pytest.raises(Conflict):
        service.revoke_grant(uow(), ADMIN, grant_id, RevokeInput(reason="再撤一次"))
    with pytest.raises(Conflict, match="已撤销的授权不能续期"):
        service.renew_grant(uow(), POLICE_APPROVER, grant_id, RenewInput(expires_on=date(2028, 1, 1)))
    history = service.get_request(uow(), MARKET_OFFICER, detail.request.id).history
    assert history[-1].step.value == "grant_revoked" and history[-1].note == "发现超范围使用"
    assert audit_actions()[-1] == ("sharing.grant_revoked", f"sharing_grant:{grant_id}")
    city.ask(code)  # a revoked grant is no longer live: the department may ask again


def test_platform_admins_may_revoke_any_grant(city: City) -> None:
    grant_id = city.granted(city.entry()).grant.grant.id
    revoked = service.revoke_grant(city.platform.uow(), MARKET_ADMIN, grant_id, RevokeInput(reason="安全事件"))
    assert revoked.state.value == "revoked"


def test_a_grant_is_valid_from_its_first_to_its_last_day(city: City, today: Clock) -> None:
    code = city.entry()
    city.ask(code, starts_on="2026-10-08", ends_on="2026-12-31")
    request_id = service.list_requests(city.platform.uow(), MARKET_OFFICER, "mine")[0].id
    from zhengshu.core.sharing.schemas import ComplianceReview, ProviderReview

    uow = city.platform.uow
    service.review_compliance(uow(), ADMIN, request_id, ComplianceReview(approve=True), city.platform.settings)
    granted = service.review_as_provider(uow(), POLICE_APPROVER, request_id, ProviderReview(approve=True))
    assert granted.grant.state.value == "pending"
    with pytest.raises(NotFound):  # not yet started
        service.active_grant(uow(), city.client(), code)
    for day in (date(2026, 10, 8), date(2026, 12, 31)):
        today.day = day
        assert service.active_grant(uow(), city.client(), code).status == "active"
    today.day = date(2027, 1, 1)
    with pytest.raises(NotFound):  # expired
        service.active_grant(uow(), city.client(), code)
    assert service.get_grant(uow(), MARKET_OFFICER, granted.grant.grant.id).state.value == "expired"


def test_renewal_and_the_recertification_reminder(city: City, today: Clock, audit_actions) -> None:
    code = city.entry()
    detail = city.granted(code, expires_on="2026-12-31")
    grant_id, uow = detail.grant.grant.id, city.platform.uow
    assert not detail.grant.recertification_due
    today.day = date(2026, 12, 1)  # 30 days before expiry
    view = service.get_grant(uow(), POLICE_APPROVER, grant_id)
    assert view.recertification_due and view.can_renew
    assert [g.grant.id for g in service.daily_digest(uow(), ADMIN).recertification] == [grant_id]
    assert [g.grant.id for g in service.list_grants(uow(), POLICE_OFFICER, "recertification")] == [grant_id]
    assert service.summary(uow(), POLICE_APPROVER).recertification_due == 1
    with pytest.raises(NotFound):  # renewal is the provider's re-certification: its approver only
        service.renew_grant(uow(), ADMIN, grant_id, RenewInput(expires_on=date(2027, 12, 31)))
    with pytest.raises(InvalidInput, match="须晚于当前到期日"):
        service.renew_grant(uow(), POLICE_APPROVER, grant_id, RenewInput(expires_on=date(2026, 12, 31)))
    with pytest.raises(InvalidInput, match="最长三年"):
        service.renew_grant(uow(), POLICE_APPROVER, grant_id, RenewInput(expires_on=date(2030, 1, 1)))
    renewed = service.renew_grant(uow(), POLICE_APPROVER, grant_id, RenewInput(expires_on=date(2027, 12, 31)))
    assert renewed.grant.expires_on == date(2027, 12, 31) and renewed.renewals == 1
    assert not renewed.recertification_due
    today.day = date(2027, 6, 1)
    assert service.active_grant(uow(), city.client(), code).expires_on == date(2027, 12, 31)
    assert audit_actions()[-1] == ("sharing.grant_renewed", f"sharing_grant:{grant_id}")


def test_grants_are_listed_by_side(city: City) -> None:
    grant_id = city.granted(city.entry()).grant.grant.id
    uow = city.platform.uow
    assert [g.grant.id for g in service.list_grants(uow(), MARKET_OFFICER, "consumer")] == [grant_id]
    assert service.list_grants(uow(), MARKET_OFFICER, "provider") == []
    assert [g.grant.id for g in service.list_grants(uow(), POLICE_APPROVER, "provider")] == [grant_id]
    assert [g.grant.id for g in service.list_grants(uow(), ADMIN, "all")] == [grant_id]
    assert service.list_grants(uow(), HEALTH_OFFICER, "all") == []
    with pytest.raises(NotFound):
        service.get_grant(uow(), HEALTH_OFFICER, grant_id)
    with pytest.raises(InvalidInput):
        service.list_grants(uow(), ADMIN, "sideways")
