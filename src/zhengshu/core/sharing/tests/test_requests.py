"""Sharing requests on the real databases (SQLite and PostgreSQL): the whole flow with its deadlines across
国庆, 无条件共享 granted at once, the unpublished resource offered on the board, every refusal and denial (four
eyes, the wrong department, no reason, fields outside the entry, 不予共享 only as a dispute), overdue."""

from __future__ import annotations

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import (
    ComplianceReview,
    CoordinationInput,
    DisputeInput,
    ProviderReview,
    RowFilter,
)
from zhengshu.core.sharing.tests.conftest import (
    ADMIN,
    ANALYST,
    HEALTH_APPROVER,
    HEALTH_OFFICER,
    MARKET,
    MARKET_ADMIN,
    MARKET_APPROVER,
    MARKET_OFFICER,
    POLICE,
    POLICE_APPROVER,
    POLICE_OFFICER,
    City,
    Clock,
    request_body,
)
from zhengshu.kernel.database import metadata
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.modules import Platform


def test_the_migration_matches_the_tables(platform: Platform) -> None:
    with platform.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert [d for d in compare_metadata(context, metadata) if "sharing_" in str(d)] == []


def test_a_conditional_request_is_checked_reviewed_and_granted(city: City, audit_actions) -> None:
    code = city.entry()
    detail = city.ask(code)
    request = detail.request
    assert request.status.value == "submitted" and request.status.label == "待符合性审查"
    assert request.due_on == date(2026, 10, 9)  # 2 working days after 09-30: 10-08, 10-09 (国庆 in between)
    assert request.consumer_name == "市市场监管局" and request.provider_name == "市公安局"
    assert request.sharing_type.label == "有条件共享" and request.published and not request.overdue
    assert request.row_filters == [RowFilter(column="户籍地址", op="prefix", value="海港区")]
    assert detail.actions == [] and [h.step.value for h in detail.history] == ["submitted"]
    assert service.get_request(city.platform.uow(), ADMIN, request.id).actions == ["review_compliance"]

    passed = service.review_compliance(city.platform.uow(), ADMIN, request.id, ComplianceReview(approve=True),
                                       city.platform.settings)
    assert passed.request.status.value == "provider_review"
    assert passed.request.due_on == date(2026, 10, 13)  # 5 working days: 10-08, 10-09, 10-10 (调休), 10-12, 10-13
    assert service.get_request(city.platform.uow(), POLICE_APPROVER, request.id).actions == ["review_provider"]

    grant_terms = {"fields": ["公民身份号码", "姓名"], "pseudonymous_fields": ["公民身份号码"], "daily_quota": 5000,
                   "expires_on": "2027-03-31",
                   "row_filters": [{"column": "户籍地址", "op": "in", "value": ["海港区", "北戴河区"]}]}
    granted = service.review_as_provider(city.platform.uow(), POLICE_APPROVER, request.id,
                                         ProviderReview(approve=True, grant=grant_terms))
    assert granted.request.status.value == "granted" and granted.request.due_on is None
    assert [h.step.value for h in granted.history] == ["submitted", "compliance_approved", "provider_approved"]
    grant = granted.grant.grant
    assert granted.request.grant_id == grant.id and granted.grant.state.value == "active"
    assert (grant.resource_code, grant.provider_code, grant.consumer_code) == (code, POLICE, MARKET)
    assert grant.client_key == city.client_key and grant.request_id == request.id
    assert grant.fields == ("公民身份号码", "姓名") and grant.pseudonymous_fields == ("公民身份号码",)
    assert grant.row_filters == (RowFilter(column="户籍地址", op="in", value=["海港区", "北戴河区"]),)
    assert grant.purpose == "企业开办登记时核验法定代表人身份" and grant.legal_basis.startswith("《市场主体登记")
    assert (grant.starts_on, grant.expires_on, grant.daily_quota) == (date(2026, 9, 30), date(2027, 3, 31), 5000)

    assert service.active_grant(city.platform.uow(), city.client(), code) == grant
    target = f"sharing_request:{request.id}"
    assert audit_actions() == [("sharing.request_submitted", target), ("sharing.compliance_approved", target),
                               ("sharing.provider_approved", target),
                               ("sharing.grant_issued", f"sharing_grant:{grant.id}")]


def test_the_provider_keeps_what_was_asked_when_it_says_nothing_more(city: City) -> None:
    code = city.entry()
    grant = city.granted(code).grant.grant
    assert grant.fields == ("公民身份号码", "姓名", "户籍地址") and grant.pseudonymous_fields == ()
    assert grant.row_filters == (RowFilter(column="户籍地址", op="prefix", value="海港区"),)
    assert grant.expires_on == date(2027, 9, 29) and grant.daily_quota is None


def test_unconditional_resources_are_granted_at_once_after_the_compliance_check(city: City, audit_actions) -> None:
    code = city.entry("unconditional")
    request_id = city.ask(code, fields=["姓名", "出生日期"], starts_on="2026-10-08").request.id
    with pytest.raises(NotFound):
        service.active_grant(city.platform.uow(), city.client(), code)  # nothing before the check
    detail = service.review_compliance(city.platform.uow(), ADMIN, request_id, ComplianceReview(approve=True),
                                       city.platform.settings)
    assert detail.request.status.value == "granted" and detail.request.due_on is None
    assert [h.step.value for h in detail.history] == ["submitted", "compliance_approved", "granted_at_once"]
    grant = detail.grant.grant
    assert grant.fields == ("姓名", "出生日期") and grant.starts_on == date(2026, 10, 8)
    assert detail.grant.state.value == "pending"
    assert ("sharing.grant_issued", f"sharing_grant:{grant.id}") in audit_actions()
    assert service.list_requests(city.platform.uow(), POLICE_APPROVER, "review") == []  # nothing for the provider


def test_an_unpublished_resource_can_be_asked_for_once_offered_on_the_board(city: City, today: Clock) -> None:
    from zhengshu.core.sharing.schemas import AnswerCreate, NeedCreate

    code = city.entry(publish=False)
    with pytest.raises(NotFound):  # the market department cannot see a registered entry of the police
        city.ask(code)
    need = service.post_need(city.platform.uow(), MARKET_OFFICER, NeedCreate(title="法定代表人身份核验",
                                                                              description="核验身份"))
    service.answer_need(city.platform.uow(), POLICE_OFFICER, need.id, AnswerCreate(resource_code=code))
    request = city.ask(code).request
    assert not request.published
    passed = service.review_compliance(city.platform.uow(), ADMIN, request.id, ComplianceReview(approve=True),
                                       city.platform.settings)
    assert passed.request.due_on == date(2026, 10, 20)  # 10 working days: not yet published


def test_nobody_reviews_a_request_of_their_own_department(city: City) -> None:
    code = city.entry()
    request_id = city.ask(code).request.id
    assert service.get_request(city.platform.uow(), MARKET_ADMIN, request_id).actions == []
    assert service.list_requests(city.platform.uow(), MARKET_ADMIN, "review") == []
    with pytest.raises(Conflict, match="四眼原则"):
        service.review_compliance(city.platform.uow(), MARKET_ADMIN, request_id, ComplianceReview(approve=True),
                                  city.platform.settings)
    assert [r.id for r in service.list_requests(city.platform.uow(), ADMIN, "review")] == [request_id]
    with pytest.raises(InvalidInput, match="本部门的资源无需申请"):  # and no department asks for its own data
        service.submit_request(city.platform.uow(), POLICE_OFFICER, request_body(code, city.police_client_key),
                               city.platform.settings)


def test_the_wrong_department_or_role_finds_nothing(city: City) -> None:
    code = city.entry()
    request_id = city.ask(code).request.id
    uow = city.platform.uow
    for outsider in (HEALTH_OFFICER, HEALTH_APPROVER, ANALYST):
        with pytest.raises(NotFound):
            service.get_request(uow(), outsider, request_id)
    with pytest.raises(NotFound):  # only the data authority checks compliance
        service.review_compliance(uow(), POLICE_APPROVER, request_id, ComplianceReview(approve=True),
                                  city.platform.settings)
    service.review_compliance(uow(), ADMIN, request_id, ComplianceReview(approve=True), city.platform.settings)
    for wrong in (HEALTH_APPROVER, MARKET_APPROVER, POLICE_OFFICER, ADMIN):  # only the provider's approver
        with pytest.raises(NotFound):
            service.review_as_provider(uow(), wrong, request_id, ProviderReview(approve=True))
    with pytest.raises(NotFound):
        service.submit_request(uow(), POLICE_APPROVER, request_body(code, city.client_key),
                               city.platform.settings)  # approvers don't ask
    with pytest.raises(NotFound):
        service.review_compliance(uow(), ADMIN, 9999, ComplianceReview(approve=True), city.platform.settings)


def test_a_refusal_must_say_why(city: City, audit_actions) -> None:
    code = city.entry()
    request_id = city.ask(code).request.id
    uow = city.platform.uow
    with pytest.raises(InvalidInput, match="拒绝理由不能为空") as caught:
        service.review_compliance(uow(), ADMIN, request_id, ComplianceReview(approve=False, reason="  "),
                                  city.platform.settings)
    assert caught.value.field == "reason"
    service.review_compliance(uow(), ADMIN, request_id, ComplianceReview(approve=True), city.platform.settings)
    with pytest.raises(InvalidInput, match="拒绝理由不能为空"):
        service.review_as_provider(uow(), POLICE_APPROVER, request_id, ProviderReview(approve=False))
    refused = service.review_as_provider(uow(), POLICE_APPROVER, request_id,
                                         ProviderReview(approve=False, reason="用途超出身份核验范围"))
    assert refused.request.status.value == "refused" and refused.request.refusal_reason == "用途超出身份核验范围"
    assert refused.grant is None and refused.history[-1].note == "用途超出身份核验范围"
    assert refused.request.due_on is None
    assert audit_actions()[-1] == ("sharing.provider_refused", f"sharing_request:{request_id}")
    with pytest.raises(Conflict):  # a decided request is not decided again
        service.review_as_provider(uow(), POLICE_APPROVER, request_id, ProviderReview(approve=True))


def test_the_compliance_check_may_refuse_too(city: City) -> None:
    request_id = city.ask(city.entry("unconditional")).request.id
    refused = service.review_compliance(city.platform.uow(), ADMIN, request_id,
                                        ComplianceReview(approve=False, reason="申请依据不足"), city.platform.settings)
    assert refused.request.status.value == "refused" and refused.grant is None
    assert [h.step.value for h in refused.history] == ["submitted", "compliance_refused"]


def test_fields_must_be_items_of_the_entry(city: City) -> None:
    code = city.entry()
    with pytest.raises(InvalidInput, match="以下信息项不在该资源的信息项中：婚姻状况、学历") as caught:
        city.ask(code, fields=["姓名", "婚姻状况", "学历"])
    assert caught.value.field == "fields"
    with pytest.raises(InvalidInput, match="信息项重复"):
        city.ask(code, fields=["姓名", "姓名"])
    with pytest.raises(InvalidInput, match="不是该资源的信息项"):
        city.ask(code, row_filters=[{"column": "民族", "op": "eq", "value": "汉"}])
    with pytest.raises(InvalidInput, match="运算符"):
        city.ask(code, row_filters=[{"column": "姓名", "op": "like", "value": "张%"}])
    with pytest.raises(InvalidInput, match="起始日不能早于今天"):
        city.ask(code, starts_on="2026-09-29")
    with pytest.raises(InvalidInput, match="最长三年"):
        city.ask(code, ends_on="2030-01-01")
    with pytest.raises(InvalidInput, match="接入系统") as caught:
        city.ask(code, client_key=city.police_client_key)  # another department's system
    assert caught.value.field == "client_key"
    with pytest.raises(NotFound):
        city.ask("199999-0001")


def test_a_grant_may_narrow_a_request_but_never_widen_it(city: City) -> None:
    code = city.entry()
    request_id = city.ask(code, fields=["姓名", "户籍地址"]).request.id
    uow = city.platform.uow
    service.review_compliance(uow(), ADMIN, request_id, ComplianceReview(approve=True), city.platform.settings)

    def approve(**terms: object) -> None:
        service.review_as_provider(uow(), POLICE_APPROVER, request_id, ProviderReview(approve=True, grant=terms))

    with pytest.raises(InvalidInput, match="不在申请的信息项中：公民身份号码"):
        approve(fields=["姓名", "公民身份号码"])
    with pytest.raises(InvalidInput, match="假名化字段须在授权的信息项中"):
        approve(fields=["姓名"], pseudonymous_fields=["户籍地址"])
    with pytest.raises(InvalidInput, match="不能晚于申请的截止日"):
        approve(expires_on="2028-01-01")
    with pytest.raises(InvalidInput, match="每日限额"):
        approve(daily_quota=0)
    with pytest.raises(InvalidInput, match="接入系统"):
        approve(client_key=city.police_client_key)
    assert service.get_request(uow(), MARKET_OFFICER, request_id).request.status.value == "provider_review"


def test_not_shareable_resources_can_only_be_disputed(city: City, audit_actions) -> None:
    code = city.entry("none")
    with pytest.raises(InvalidInput, match="只能提出异议") as caught:
        city.ask(code)
    assert caught.value.field == "dispute_reason"
    detail = city.ask(code, dispute_reason="企业开办需核验身份，已有法定依据")
    request = detail.request
    assert request.status.value == "disputed" and request.due_on == date(2026, 10, 20)  # 10 working days
    assert [h.step.value for h in detail.history] == ["submitted", "disputed"]
    uow = city.platform.uow
    with pytest.raises(Conflict):  # no compliance review, no provider review: only coordination
        service.review_compliance(uow(), ADMIN, request.id, ComplianceReview(approve=True), city.platform.settings)
    assert [r.id for r in service.list_requests(uow(), ADMIN, "review")] == [request.id]
    with pytest.raises(InvalidInput, match="协调意见不能为空"):
        service.coordinate(uow(), ADMIN, request.id, CoordinationInput(outcome="share", note=""))
    with pytest.raises(Conflict, match="四眼原则"):
        service.coordinate(uow(), MARKET_ADMIN, request.id, CoordinationInput(outcome="share", note="同意"))
    done = service.coordinate(uow(), ADMIN, request.id, CoordinationInput(
        outcome="share", note="经协调，仅共享姓名用于核验", grant={"fields": ["姓名"]}))
    assert done.request.status.value == "coordinated" and done.request.outcome.value == "share"
    assert done.grant.grant.fields == ("姓名",) and done.request.outcome_note == "经协调，仅共享姓名用于核验"
    assert ("sharing.dispute_coordinated", f"sharing_request:{request.id}") in audit_actions()
    with pytest.raises(InvalidInput, match="只有不予共享的资源或被拒绝的申请才能提出异议"):
        city.ask(city.entry(), dispute_reason="先提异议")


def test_a_refused_request_may_be_disputed_and_the_refusal_upheld(city: City) -> None:
    code = city.entry()
    request_id = city.ask(code).request.id
    uow = city.platform.uow
    with pytest.raises(Conflict):  # nothing to dispute yet
        service.dispute(uow(), MARKET_OFFICER, request_id, DisputeInput(reason="太慢"))
    service.review_compliance(uow(), ADMIN, request_id, ComplianceReview(approve=False, reason="用途不明确"),
                              city.platform.settings)
    with pytest.raises(NotFound):  # only the requesting department disputes
        service.dispute(uow(), HEALTH_OFFICER, request_id, DisputeInput(reason="不服"))
    with pytest.raises(InvalidInput, match="异议理由不能为空"):
        service.dispute(uow(), MARKET_OFFICER, request_id, DisputeInput(reason=""))
    disputed = service.dispute(uow(), MARKET_OFFICER, request_id, DisputeInput(reason="用途已在申请中写明"))
    assert disputed.request.status.value == "disputed" and disputed.request.due_on == date(2026, 10, 20)
    with pytest.raises(InvalidInput, match="协调结果"):
        service.coordinate(uow(), ADMIN, request_id, CoordinationInput(outcome="maybe", note="再议"))
    upheld = service.coordinate(uow(), ADMIN, request_id, CoordinationInput(outcome="uphold", note="维持"))
    assert upheld.request.status.value == "coordinated" and upheld.request.outcome.label == "维持原决定"
    assert upheld.grant is None
    assert [h.step.value for h in upheld.history] == ["submitted", "compliance_refused", "disputed", "coordinated"]


def test_one_open_request_and_one_live_grant_per_system_and_resource(city: City) -> None:
    code = city.entry()
    city.ask(code)
    with pytest.raises(Conflict, match="办理中的申请"):
        city.ask(code)
    other = city.entry()
    city.granted(other)
    with pytest.raises(Conflict, match="有效授权"):
        city.ask(other)


def test_overdue_requests_are_flagged_listed_and_in_the_digest(city: City, today: Clock) -> None:
    code = city.entry()
    request_id = city.ask(code).request.id  # due 2026-10-09
    uow = city.platform.uow
    today.day = date(2026, 10, 9)
    assert not service.get_request(uow(), MARKET_OFFICER, request_id).request.overdue
    assert service.list_requests(uow(), ADMIN, "overdue") == []
    today.day = date(2026, 10, 10)
    assert service.get_request(uow(), MARKET_OFFICER, request_id).request.overdue
    assert [r.id for r in service.list_requests(uow(), ADMIN, "overdue")] == [request_id]
    assert [r.id for r in service.list_requests(uow(), POLICE_APPROVER, "overdue")] == [request_id]
    assert service.list_requests(uow(), HEALTH_OFFICER, "overdue") == []
    digest = service.daily_digest(uow(), ADMIN)
    assert digest.on == date(2026, 10, 10) and [r.id for r in digest.overdue] == [request_id]
    summary = service.summary(uow(), ADMIN)
    assert (summary.to_review, summary.open_requests, summary.overdue) == (1, 1, 1)
    with pytest.raises(NotFound):
        service.daily_digest(uow(), MARKET_OFFICER)
    passed = service.review_compliance(uow(), ADMIN, request_id, ComplianceReview(approve=True), city.platform.settings)
    assert not passed.request.overdue and passed.request.due_on == date(2026, 10, 16)  # a new stage, a new clock


def test_lists_by_side(city: City) -> None:
    code = city.entry()
    request_id = city.ask(code).request.id
    uow = city.platform.uow
    assert [r.id for r in service.list_requests(uow(), MARKET_OFFICER, "mine")] == [request_id]
    assert service.list_requests(uow(), MARKET_OFFICER, "provided") == []
    assert [r.id for r in service.list_requests(uow(), POLICE_OFFICER, "provided")] == [request_id]
    assert [r.id for r in service.list_requests(uow(), ADMIN, "all")] == [request_id]
    assert service.list_requests(uow(), HEALTH_OFFICER, "all") == []
    assert service.list_requests(uow(), POLICE_APPROVER, "review") == []  # not yet past compliance
    with pytest.raises(InvalidInput):
        service.list_requests(uow(), ADMIN, "everything")
