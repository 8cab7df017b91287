"""The exchange through the real application, with a real bearer token, on SQLite and PostgreSQL: what a
granted system reads and how it is masked, every refusal, and the audit trail every call leaves."""

from __future__ import annotations

from typing import Any

from httpx import Response

from zhengshu.core.audit import service as audit
from zhengshu.core.exchange.masking import consumer_key
from zhengshu.core.exchange.tests.conftest import (
    AUTHORITY,
    POLICE_APPROVER,
    RENSHE,
    City,
    id_number,
)
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import RevokeInput
from zhengshu.kernel.subjects import pseudonym, subject_hash, subject_key


def ok(response: Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def error(response: Response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "field", "details"}
    assert body["error"]["code"] == code and body["error"]["message"] and "Traceback" not in response.text
    return body["error"]


def test_a_granted_system_reads_its_rows_masked_by_classification(city: City, exchange_audit) -> None:
    page = ok(city.read())
    assert [(f["name"], f["treatment"]) for f in page["fields"]] == [
        ("公民身份号码", "masked"), ("姓名", "masked"), ("区划", "clear"), ("户号", "pseudonym"),
        ("出生日期", "masked"), ("户籍地址", "masked")]
    assert page["count"] == 6 and page["next"] is None and page["quota_remaining"] == 1000 - 6
    first = page["rows"][0]
    assert first == {
        "公民身份号码": id_number(0)[:6] + "*" * 8 + id_number(0)[-4:],
        "姓名": "张**", "区划": "130302",
        "户号": pseudonym(consumer_key(city.platform.secret_key, RENSHE), "000000"),
        "出生日期": "1990-**-**", "户籍地址": "河北省秦皇岛市海港区*****",
    }
    assert {r["区划"] for r in page["rows"]} == {"130302"}  # the grant's district only
    assert all("电话" not in r for r in page["rows"])  # not granted, never returned

    [record] = exchange_audit()
    assert record["action"] == "exchange.records_read" and record["outcome"] == "success"
    assert record["actor"] == f"client:{city.client_key}" and record["department"] == RENSHE
    assert record["target"] == f"catalog_entry:{city.resource}" and record["end_user"] == "wangkeyuan"
    assert record["purpose"] == "社保待遇资格认证" and record["rows"] == 6 and record["grant_id"] == city.grant_id
    assert record["fields"] == [f["name"] for f in page["fields"]] and record["latency_ms"] >= 0
    key = subject_key(city.platform.secret_key)
    assert record["subjects"] == [subject_hash(key, id_number(i)) for i in range(0, 12, 2)]
    assert id_number(0) not in str(record)  # no ID number in clear in the audit trail


def test_fields_filters_sort_and_paging(city: City) -> None:
    params = {"fields": "区划,姓名", "sort": "-区划", "limit": "4"}
    page = ok(city.read(params))
    assert [f["name"] for f in page["fields"]] == ["区划", "姓名"] and set(page["rows"][0]) == {"区划", "姓名"}
    assert page["count"] == 4 and page["next"]
    rest = ok(city.read({**params, "after": page["next"]}))
    assert rest["count"] == 2 and rest["next"] is None
    assert ok(city.read({"区划[in]": ["130302", "130303"]}))["count"] == 6  # the grant's rows still apply
    assert ok(city.read({"区划": "130303"}))["count"] == 0
    assert ok(city.read({"区划[prefix]": "1303"}))["count"] == 6


def test_refusals_name_the_field_and_say_why(city: City, exchange_audit) -> None:
    for params, field, reason in [
        ({"fields": "电话"}, "电话", "field_not_granted"),
        ({"fields": "没有这个字段"}, "没有这个字段", "field_not_granted"),
        ({"姓名[prefix]": "张"}, "姓名", "masked_field_filter"),
        ({"公民身份号码": id_number(0)}, "公民身份号码", "masked_field_filter"),
        ({"户号": "000000"}, "户号", "pseudonym_field_filter"),
        ({"sort": "出生日期"}, "出生日期", "masked_field_sort"),
        ({"limit": "201"}, "limit", "limit_out_of_range"),
        ({"limit": "many"}, "limit", "limit_out_of_range"),
        ({"区划[like]": "13%"}, "区划", "invalid_operator"),
    ]:
        found = error(city.read(params), 400, "invalid_input")
        assert (found["field"], found["details"]["reason"]) == (field, reason), params
    assert error(city.read({"fields": "电话"}), 400, "invalid_input")["message"] == "字段未授权或不存在：电话"
    found = error(city.read(end_user=None), 400, "invalid_input")
    assert found["field"] == "X-End-User"
    records = exchange_audit()
    assert len(records) == 11 and {r["outcome"] for r in records} == {"denied"}
    assert records[2]["reason"] == "masked_field_filter" and records[2]["filters"] == ["姓名 prefix"]
    assert "张" not in str(records[2])  # filter values are not kept


def test_sql_like_text_is_just_a_value(city: City) -> None:
    for value in ("130302' OR '1'='1", "130302; DROP TABLE audit_records; --", '"; SELECT 1; --'):
        assert ok(city.read({"区划": value}))["count"] == 0
    assert ok(city.read({"区划[contains]": "%"}))["count"] == 0
    assert ok(city.read())["count"] == 6


def test_unknown_resources_and_revoked_grants_read_as_not_found(city: City, exchange_audit) -> None:
    unknown = error(city.read(resource="101001-9999"), 404, "not_found")
    ok(city.read())
    sharing.revoke_grant(city.platform.uow(), POLICE_APPROVER, city.grant_id, RevokeInput(reason="停止合作"))
    revoked = error(city.read(), 404, "not_found")
    assert unknown["message"].replace("101001-9999", city.resource) == revoked["message"]  # the same words
    assert error(city.verify({"key": {"公民身份号码": id_number(0)}, "claims": {"姓名": "张小0"}}), 404, "not_found")
    outcomes = [(r["action"], r["outcome"], r.get("reason")) for r in exchange_audit()]
    assert outcomes == [("exchange.records_read", "denied", "no_active_grant"),
                        ("exchange.records_read", "success", ""),
                        ("exchange.records_read", "denied", "no_active_grant"),
                        ("exchange.verified", "denied", "no_active_grant")]


def test_authentication_is_required(city: City) -> None:
    error(city.http.get(f"/api/v1/exchange/{city.resource}/records"), 401, "not_authenticated")
    error(city.read(token="forged.token"), 401, "not_authenticated")


def test_verification_answers_yes_or_no_without_data(city: City, exchange_audit) -> None:
    person = {"key": {"公民身份号码": id_number(2)}, "claims": {"姓名": "王小2", "出生日期": "1990-01-03"}}
    assert ok(city.verify(person)) == {"resource_code": city.resource, "match": True,
                                       "fields": {"姓名": True, "出生日期": True}}
    wrong = {"key": {"公民身份号码": id_number(2)}, "claims": {"姓名": "王小3", "出生日期": "1990-01-03"}}
    assert ok(city.verify(wrong))["fields"] == {"姓名": False, "出生日期": True}
    elsewhere = {"key": {"公民身份号码": id_number(1)}, "claims": {"姓名": "李小1"}}  # 山海关区: not granted rows
    assert ok(city.verify(elsewhere)) == {"resource_code": city.resource, "match": False, "fields": {"姓名": False}}
    found = error(city.verify({"key": {"区划": "130302"}, "claims": {"姓名": "王小2"}}), 400, "invalid_input")
    assert found["details"]["reason"] == "not_a_key"
    found = error(city.verify({"key": {"公民身份号码": id_number(2)}, "claims": {"电话": "1"}}), 400, "invalid_input")
    assert found["message"] == "字段未授权或不存在：电话"
    records = exchange_audit()
    assert [(r["action"], r["outcome"]) for r in records] == [("exchange.verified", "success")] * 3 + [
        ("exchange.verified", "denied")] * 2
    assert records[0]["matched"] is True and records[1]["matched"] is False and records[0]["rows"] == 1
    assert records[0]["subjects"] == [subject_hash(subject_key(city.platform.secret_key), id_number(2))]
    assert "王小2" not in str(records)


def test_every_call_is_in_the_audit_chain_and_the_chain_verifies(city: City, exchange_audit) -> None:
    ok(city.read())
    error(city.read({"姓名": "张小0"}), 400, "invalid_input")
    ok(city.verify({"key": {"公民身份号码": id_number(0)}, "claims": {"姓名": "张小0"}}))
    assert len(exchange_audit()) == 3
    result = audit.verify_chain(city.platform.uow(), AUTHORITY, city.platform.audit_key.public_key_hex)
    assert result.ok, result.summary


def test_the_call_log_is_not_for_clients(city: City) -> None:
    error(city.http.get("/api/v1/exchange/calls", headers=city.headers()), 404, "not_found")
