"""Planning reads and verifications from a grant, the entry's items and the request: what is returned and how
it is masked, and every refusal (each names the field and the rule)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from zhengshu.core.exchange import domain
from zhengshu.core.exchange.domain import FieldFilter, QuotaExceeded, ReadRequest, VerifyRequest
from zhengshu.core.exchange.masking import HIDDEN_TEXT, ItemClass, consumer_key
from zhengshu.core.exchange.schemas import request_from_params
from zhengshu.core.sharing.schemas import Grant, RowFilter
from zhengshu.kernel.errors import Conflict, InvalidInput

ITEMS = [
    ItemClass("公民身份号码", level="important", personal_info="sensitive", is_key=True),
    ItemClass("姓名", personal_info="general"),
    ItemClass("区划"),
    ItemClass("户号", is_key=False),
    ItemClass("电话", personal_info="sensitive"),
    ItemClass("出生日期", personal_info="general", data_type="D"),
]


def grant(**changes: Any) -> Grant:
    terms: dict[str, Any] = {
        "id": 7, "request_id": 3, "resource_code": "101001-0001", "provider_code": "130300003",
        "consumer_code": "130300005", "client_key": "ck_renshe", "fields": ("公民身份号码", "姓名", "区划", "出生日期"),
        "pseudonymous_fields": ("户号",), "row_filters": (RowFilter(column="区划", op="eq", value="130302"),),
        "purpose": "社保待遇资格认证", "starts_on": date(2026, 1, 1), "expires_on": date(2026, 12, 31),
        "daily_quota": 1000, "status": "active",
    }
    return Grant(**{**terms, **changes})


def plan(**request: Any) -> domain.ReadPlan:
    return domain.plan_read(grant(), ITEMS, ReadRequest(**request))


def refusal(error: pytest.ExceptionInfo) -> tuple[str | None, str]:
    return error.value.field, error.value.details["reason"]


def test_by_default_every_granted_field_in_the_entry_s_order() -> None:
    read = plan()
    assert [(p.name, p.treatment.value) for p in read.fields] == [
        ("公民身份号码", "masked"), ("姓名", "masked"), ("区划", "clear"), ("户号", "pseudonym"),
        ("出生日期", "masked")]
    assert read.columns == ("公民身份号码", "姓名", "区划", "户号", "出生日期")
    assert read.conditions == (FieldFilter("区划", "eq", "130302"),)  # the grant's rows, always
    assert read.key_fields == ("公民身份号码",) and read.limit == domain.DEFAULT_LIMIT


def test_chosen_fields_and_the_key_read_but_not_returned() -> None:
    read = plan(fields=("区划", "姓名", "区划"), filters=(FieldFilter("区划", "in", ("130302", "130303")),),
                sort=(("区划", "desc"),), limit=200)
    assert [p.name for p in read.fields] == ["区划", "姓名"]
    assert read.columns == ("区划", "姓名", "公民身份号码")  # the key names the subjects in the audit trail
    assert read.conditions == (FieldFilter("区划", "in", ("130302", "130303")), FieldFilter("区划", "eq", "130302"))
    assert read.sort == (("区划", "desc"),)


def test_rows_are_masked_and_only_returned_fields_leave() -> None:
    read = plan(fields=("公民身份号码", "姓名", "户号"))
    key = consumer_key("secret", "130300005")
    rows = domain.mask_rows(read, [{"公民身份号码": "130302199001011234", "姓名": "张三", "户号": "000001",
                                    "电话": "13800138000"}], key)
    assert rows[0]["公民身份号码"] == "130302********1234" and rows[0]["姓名"] == "张*"
    assert len(rows[0]["户号"]) == 64 and set(rows[0]) == {"公民身份号码", "姓名", "户号"}
    assert domain.subjects(read, [{"公民身份号码": "1"}, {"公民身份号码": "1"}, {"公民身份号码": None}]) == ["1"]


@pytest.mark.parametrize(("request_", "field", "reason"), [
    ({"fields": ("电话",)}, "电话", "field_not_granted"),  # in the entry, not in the grant
    ({"fields": ("不存在",)}, "不存在", "field_not_granted"),  # the same words: existence is not revealed
    ({"fields": ()}, "fields", "no_fields"),
    ({"filters": (FieldFilter("电话", "eq", "1"),)}, "电话", "field_not_granted"),
    ({"filters": (FieldFilter("姓名", "prefix", "张"),)}, "姓名", "masked_field_filter"),
    ({"filters": (FieldFilter("户号", "eq", "000001"),)}, "户号", "pseudonym_field_filter"),
    ({"filters": (FieldFilter("公民身份号码", "gt", "1"),)}, "公民身份号码", "masked_field_filter"),
    ({"sort": (("出生日期", "asc"),)}, "出生日期", "masked_field_sort"),
    ({"sort": (("户号", "asc"),)}, "户号", "pseudonym_field_sort"),
    ({"sort": (("区划", "up"),)}, "sort", "invalid_sort"),
    ({"sort": (("区划", "asc"), ("区划", "desc"))}, "sort", "invalid_sort"),
    ({"filters": (FieldFilter("区划", "like", "1%"),)}, "区划", "invalid_operator"),
    ({"filters": (FieldFilter("区划", "in", ()),)}, "区划", "invalid_value"),
    ({"filters": (FieldFilter("区划", "eq", "1" * 201),)}, "区划", "invalid_value"),
    ({"filters": tuple(FieldFilter("区划", "eq", "1") for _ in range(21))}, "filters", "too_many_filters"),
    ({"limit": 201}, "limit", "limit_out_of_range"),
    ({"limit": 0}, "limit", "limit_out_of_range"),
])
def test_refusals_name_the_field_and_the_rule(request_: dict, field: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as error:
        plan(**request_)
    assert refusal(error) == (field, reason)
    if reason == "field_not_granted":
        assert error.value.message == f"字段未授权或不存在：{field}"


def test_sql_like_text_is_just_a_value() -> None:
    text = "130302' OR '1'='1"
    assert plan(filters=(FieldFilter("区划", "eq", text),)).conditions[0] == FieldFilter("区划", "eq", text)


def test_a_grant_that_no_longer_fits_the_entry_is_unusable() -> None:
    with pytest.raises(Conflict):
        domain.plan_read(grant(row_filters=(RowFilter(column="已删除", op="eq", value="1"),)), ITEMS, ReadRequest())
    with pytest.raises(Conflict):
        domain.plan_read(grant(fields=("已删除",), pseudonymous_fields=()), ITEMS, ReadRequest())


def test_url_parameters_become_a_request() -> None:
    params = [("fields", "姓名,区划"), ("sort", "-区划"), ("limit", "20"), ("after", "abc"), ("purpose", "核查"),
              ("区划[in]", "130302"), ("区划[in]", "130303"), ("姓名[prefix]", "张"), ("户号", "000001"),
              ("fields[eq]", "x")]
    read = request_from_params(params)
    assert read.fields == ("姓名", "区划") and read.sort == (("区划", "desc"),) and read.limit == 20
    assert read.after == "abc"
    assert read.filters == (FieldFilter("姓名", "prefix", "张"), FieldFilter("户号", "eq", "000001"),
                            FieldFilter("fields", "eq", "x"), FieldFilter("区划", "in", ("130302", "130303")))
    assert request_from_params([("limit", "many")]).limit == 0  # refused by the plan, inside the audited call


# --- verification --------------------------------------------------------------------------------------------

def verify_plan(key: dict, claims: dict, **changes: Any) -> domain.VerifyPlan:
    return domain.plan_verify(grant(**changes), ITEMS, VerifyRequest(key=key, claims=claims))


def test_verification_locates_by_key_and_compares_canonically() -> None:
    checked = verify_plan({"公民身份号码": " 13030219900101123x "}, {"姓名": "张三", "出生日期": "1990-01-01"})
    assert checked.conditions == (FieldFilter("公民身份号码", "eq", "13030219900101123x"),
                                  FieldFilter("区划", "eq", "130302"))
    assert checked.columns == ("姓名", "出生日期", "公民身份号码")
    rows = [{"公民身份号码": "13030219900101123X", "姓名": "张三", "出生日期": date(1990, 1, 2)}]
    result = domain.answer(checked, rows)
    assert (result.match, result.fields) == (False, {"姓名": True, "出生日期": False})
    rows[0]["出生日期"] = date(1990, 1, 1)
    assert domain.answer(checked, rows).match
    assert domain.answer(checked, []).fields == {"姓名": False, "出生日期": False}  # not found: nothing matches


@pytest.mark.parametrize(("key", "claims", "field", "reason"), [
    ({}, {"姓名": "张三"}, "key", "no_key"),
    ({"公民身份号码": "1"}, {}, "claims", "no_claims"),
    ({"区划": "130302"}, {"姓名": "张三"}, "区划", "not_a_key"),
    ({"公民身份号码": "1"}, {"电话": "138"}, "电话", "field_not_granted"),
    ({"公民身份号码": "1"}, {"公民身份号码": "1"}, "公民身份号码", "claim_is_key"),
    ({"公民身份号码": ""}, {"姓名": "张三"}, "公民身份号码", "invalid_value"),
    ({"公民身份号码": "1"}, {"姓名": ["张三"]}, "姓名", "invalid_value"),
])
def test_verification_refusals(key: dict, claims: dict, field: str, reason: str) -> None:
    with pytest.raises(InvalidInput) as error:
        verify_plan(key, claims)
    assert refusal(error) == (field, reason)


def test_masked_fields_may_be_verified_but_never_read_back() -> None:
    checked = verify_plan({"公民身份号码": "1"}, {"户号": "000001"})  # pseudonymous in reads
    assert domain.answer(checked, [{"户号": "000001"}]).fields == {"户号": True}
    assert HIDDEN_TEXT not in str(domain.answer(checked, [{"户号": "000001"}]))


# --- quota, grant, who asks ----------------------------------------------------------------------------------

def test_the_daily_quota_cuts_a_page_short_then_refuses() -> None:
    assert domain.allowed_rows(grant(daily_quota=None), 10**9, 50) == 50
    assert domain.allowed_rows(grant(daily_quota=100), 80, 50) == 20
    with pytest.raises(QuotaExceeded) as error:
        domain.allowed_rows(grant(daily_quota=100), 100, 50)
    assert error.value.code == "quota_exceeded" and isinstance(error.value, Conflict)


def test_a_grant_is_in_force_only_for_its_client_resource_and_dates() -> None:
    good = grant()
    assert domain.grant_in_force(good, "ck_renshe", "101001-0001", date(2026, 6, 1))
    assert not domain.grant_in_force(good, "ck_other", "101001-0001", date(2026, 6, 1))
    assert not domain.grant_in_force(good, "ck_renshe", "101001-0002", date(2026, 6, 1))
    assert not domain.grant_in_force(good, "ck_renshe", "101001-0001", date(2027, 1, 1))
    assert not domain.grant_in_force(grant(status="revoked"), "ck_renshe", "101001-0001", date(2026, 6, 1))


def test_the_end_user_is_required_and_the_purpose_defaults_to_the_grant_s() -> None:
    assert domain.check_end_user(" 王科员 ") == "王科员"
    for bad in (None, "  ", "x" * 65, "a\nb"):
        with pytest.raises(InvalidInput) as error:
            domain.check_end_user(bad)
        assert error.value.field == "X-End-User"
    assert domain.check_purpose("", "社保待遇资格认证") == "社保待遇资格认证"
    assert domain.check_purpose("年度核查", "社保待遇资格认证") == "年度核查"
