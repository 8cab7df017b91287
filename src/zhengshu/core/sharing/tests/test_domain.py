"""The sharing rules on their own, no database: transitions from each state, four eyes, what a request and a
grant may hold, deadlines per stage, overdue, and a grant's validity, renewal and re-certification."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from zhengshu.core.sharing.domain.grants import (
    check_terms,
    grant_state,
    recertification_due,
    renew,
    revoke,
    terms_at_once,
)
from zhengshu.core.sharing.domain.requests import (
    DEFAULT_DEADLINES,
    Resource,
    SharingRequest,
    approve_as_provider,
    approve_compliance,
    check_answer,
    check_fields,
    check_period,
    coordinate,
    dispute,
    initial_status,
    make_conditions,
    open_to,
    refuse,
)
from zhengshu.core.sharing.domain.values import (
    Action,
    GrantState,
    NeedStatus,
    Operator,
    Outcome,
    RowCondition,
    SharingKind,
    Status,
    condition_json,
    condition_of,
)
from zhengshu.kernel.errors import Conflict, InvalidInput

POLICE, MARKET, AUTHORITY = "130300003", "130300004", "130300002"
TODAY = date(2026, 9, 30)
ITEMS = ("公民身份号码", "姓名", "户籍地址")
REQUEST = SharingRequest(
    id=1, resource_code="101001-0001", provider_code=POLICE, consumer_code=MARKET, client_key="zs_market",
    sharing=SharingKind.CONDITIONAL, fields=("姓名", "户籍地址"), row_filters=(), starts_on=TODAY,
    ends_on=date(2027, 9, 29), status=Status.SUBMITTED, due_on=date(2026, 10, 9))


def resource(**changes: object) -> Resource:
    base = Resource(code="101001-0001", name="户籍人口", provider_code=POLICE, sharing=SharingKind.CONDITIONAL,
                    items=ITEMS, published=True, retired=False)
    return replace(base, **changes)


def test_the_happy_path_of_a_conditional_request() -> None:
    passed = approve_compliance(REQUEST, AUTHORITY, date(2026, 10, 13))
    assert (passed.status, passed.due_on) == (Status.PROVIDER_REVIEW, date(2026, 10, 13))
    granted = approve_as_provider(passed, POLICE)
    assert (granted.status, granted.due_on) == (Status.GRANTED, None)


def test_unconditional_is_granted_at_the_compliance_check() -> None:
    request = replace(REQUEST, sharing=SharingKind.UNCONDITIONAL)
    assert approve_compliance(request, AUTHORITY, None).status is Status.GRANTED
    terms = terms_at_once(replace(request, starts_on=date(2026, 10, 8)), TODAY)
    assert (terms.fields, terms.starts_on, terms.expires_on, terms.daily_quota) == (
        ("姓名", "户籍地址"), date(2026, 10, 8), date(2027, 9, 29), None)


@pytest.mark.parametrize("status", [s for s in Status if s is not Status.SUBMITTED])
def test_compliance_review_only_from_submitted(status: Status) -> None:
    with pytest.raises(Conflict, match="不能进行符合性审查"):
        approve_compliance(replace(REQUEST, status=status), AUTHORITY, None)


def test_every_action_has_its_one_state() -> None:
    for action, state in ((Action.REVIEW_COMPLIANCE, Status.SUBMITTED), (Action.REVIEW_PROVIDER,
                          Status.PROVIDER_REVIEW), (Action.DISPUTE, Status.REFUSED),
                          (Action.COORDINATE, Status.DISPUTED)):
        assert [s for s in Status if open_to(replace(REQUEST, status=s), action, AUTHORITY)] == [state]


def test_four_eyes() -> None:
    assert not open_to(REQUEST, Action.REVIEW_COMPLIANCE, MARKET)
    with pytest.raises(Conflict, match="四眼原则"):
        approve_compliance(REQUEST, MARKET, None)
    with pytest.raises(Conflict, match="四眼原则"):
        approve_as_provider(replace(REQUEST, status=Status.PROVIDER_REVIEW), MARKET)
    with pytest.raises(Conflict, match="四眼原则"):
        coordinate(replace(REQUEST, status=Status.DISPUTED), MARKET, Outcome.SHARE, "同意")
    assert open_to(replace(REQUEST, status=Status.REFUSED), Action.DISPUTE, MARKET)  # the requester disputes


def test_refusals_and_disputes_need_reasons() -> None:
    with pytest.raises(InvalidInput, match="拒绝理由不能为空"):
        refuse(REQUEST, Action.REVIEW_COMPLIANCE, AUTHORITY, "")
    refused = refuse(REQUEST, Action.REVIEW_COMPLIANCE, AUTHORITY, " 依据不足 ")
    assert (refused.status, refused.refusal_reason, refused.due_on) == (Status.REFUSED, "依据不足", None)
    with pytest.raises(InvalidInput, match="异议理由不能为空"):
        dispute(refused, "", None)
    disputed = dispute(refused, "依据已补充", date(2026, 10, 20))
    assert (disputed.status, disputed.due_on) == (Status.DISPUTED, date(2026, 10, 20))
    with pytest.raises(InvalidInput, match="协调意见不能为空"):
        coordinate(disputed, AUTHORITY, Outcome.UPHOLD, " ")
    done, note = coordinate(disputed, AUTHORITY, Outcome.UPHOLD, "维持")
    assert (done.status, done.outcome, note) == (Status.COORDINATED, Outcome.UPHOLD, "维持")


def test_where_a_request_starts() -> None:
    assert initial_status(resource(), MARKET, "") is Status.SUBMITTED
    assert initial_status(resource(sharing=SharingKind.NONE), MARKET, "需要") is Status.DISPUTED
    with pytest.raises(InvalidInput, match="只能提出异议"):
        initial_status(resource(sharing=SharingKind.NONE), MARKET, "")
    with pytest.raises(InvalidInput, match="本部门的资源无需申请"):
        initial_status(resource(), POLICE, "")
    with pytest.raises(Conflict, match="已下架"):
        initial_status(resource(retired=True), MARKET, "")
    with pytest.raises(Conflict, match="尚未登记共享属性"):
        initial_status(resource(sharing=None), MARKET, "")


def test_deadlines_per_stage() -> None:
    d = DEFAULT_DEADLINES
    assert d.for_stage(Status.SUBMITTED, True) == 2
    assert (d.for_stage(Status.PROVIDER_REVIEW, True), d.for_stage(Status.PROVIDER_REVIEW, False)) == (5, 10)
    assert d.for_stage(Status.DISPUTED, True) == 10 and d.for_stage(Status.GRANTED, True) is None


def test_overdue_is_after_the_deadline_day_while_someone_must_act() -> None:
    assert not REQUEST.overdue(date(2026, 10, 9)) and REQUEST.overdue(date(2026, 10, 10))
    assert not replace(REQUEST, status=Status.GRANTED).overdue(date(2027, 1, 1))
    assert not replace(REQUEST, due_on=None).overdue(date(2027, 1, 1))


def test_fields_and_row_conditions() -> None:
    assert check_fields([" 姓名 ", "户籍地址"], ITEMS) == ("姓名", "户籍地址")
    with pytest.raises(InvalidInput, match="不在该资源的信息项中：学历"):
        check_fields(["学历"], ITEMS)
    with pytest.raises(InvalidInput, match="至少选择一个"):
        check_fields([" "], ITEMS)
    conditions = make_conditions([("户籍地址", "prefix", "海港区"), ("姓名", "in", ["张三", " ", "李四"])], ITEMS)
    assert conditions == (RowCondition("户籍地址", Operator.PREFIX, "海港区"),
                          RowCondition("姓名", Operator.IN, ("张三", "李四")))
    assert [condition_of(condition_json(c)) for c in conditions] == list(conditions)
    for bad in ([("姓名", "in", [])], [("姓名", "eq", ["a", "b"])], [("姓名", "eq", " ")]):
        with pytest.raises(InvalidInput):
            make_conditions(bad, ITEMS)


def test_the_period() -> None:
    check_period(TODAY, TODAY, TODAY)
    for starts, ends in ((date(2026, 9, 29), TODAY), (TODAY, date(2026, 9, 29)), (TODAY, date(2029, 10, 2))):
        with pytest.raises(InvalidInput):
            check_period(starts, ends, TODAY)


def test_grant_terms_narrow_the_request() -> None:
    request = replace(REQUEST, status=Status.PROVIDER_REVIEW, starts_on=date(2026, 10, 8))
    terms = check_terms(request, items=ITEMS, consumer_clients={"zs_market"}, client_key="", fields=[],
                        pseudonymous_fields=[], row_filters=[], expires_on=None, daily_quota=None, today=TODAY)
    assert (terms.client_key, terms.fields, terms.starts_on, terms.expires_on) == (
        "zs_market", ("姓名", "户籍地址"), date(2026, 10, 8), date(2027, 9, 29))
    gone = check_terms(request, items=("姓名",), consumer_clients={"zs_market"}, client_key="", fields=[],
                       pseudonymous_fields=[], row_filters=[], expires_on=None, daily_quota=None, today=TODAY)
    assert gone.fields == ("姓名",)  # an item the entry no longer has is not granted
    with pytest.raises(InvalidInput, match="不能早于生效日"):
        check_terms(request, items=ITEMS, consumer_clients={"zs_market"}, client_key="", fields=[],
                    pseudonymous_fields=[], row_filters=[], expires_on=TODAY, daily_quota=None, today=TODAY)


def test_a_grant_is_valid_between_its_dates_unless_revoked() -> None:
    first, last = date(2026, 10, 8), date(2026, 12, 31)
    assert grant_state(first, last, False, date(2026, 10, 7)) is GrantState.PENDING
    assert grant_state(first, last, False, first) is GrantState.ACTIVE
    assert grant_state(first, last, False, last) is GrantState.ACTIVE
    assert grant_state(first, last, False, date(2027, 1, 1)) is GrantState.EXPIRED
    assert grant_state(first, last, True, date(2026, 11, 1)) is GrantState.REVOKED


def test_recertification_window_renewal_and_revocation() -> None:
    last = date(2026, 12, 31)
    assert not recertification_due(last, False, date(2026, 11, 30))
    assert recertification_due(last, False, date(2026, 12, 1)) and recertification_due(last, False, last)
    assert not recertification_due(last, True, date(2026, 12, 1))
    assert not recertification_due(last, False, date(2027, 1, 1))
    assert renew(TODAY, last, False, date(2027, 12, 31), date(2026, 12, 1)) == date(2027, 12, 31)
    with pytest.raises(Conflict):
        renew(TODAY, last, True, date(2027, 12, 31), date(2026, 12, 1))
    with pytest.raises(InvalidInput, match="不能早于今天"):  # an expired grant renewed into the past
        renew(TODAY, last, False, date(2027, 1, 5), date(2027, 2, 1))
    assert revoke(False, " 泄露 ") == "泄露"
    with pytest.raises(Conflict):
        revoke(True, "again")


def test_answers_on_the_board() -> None:
    check_answer(NeedStatus.OPEN, MARKET, resource())
    with pytest.raises(Conflict):
        check_answer(NeedStatus.CLOSED, MARKET, resource())
    with pytest.raises(InvalidInput):
        check_answer(NeedStatus.OPEN, POLICE, resource())
    with pytest.raises(Conflict):
        check_answer(NeedStatus.OPEN, MARKET, resource(retired=True))
