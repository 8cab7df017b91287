"""Grant options as the exchange applies them: fields the provider released in clear (明文提供) go out
unmasked and may be filtered on; a verify-only grant (仅核验) answers verifications and refuses every read,
audited with its reason. At the domain level and through the real application."""

from __future__ import annotations

from typing import Any

import pytest

from zhengshu.core.exchange import domain
from zhengshu.core.exchange.domain import FieldFilter, ReadRequest, VerifyRequest
from zhengshu.core.exchange.masking import ItemClass
from zhengshu.core.exchange.tests.conftest import POLICE_APPROVER, City, grant_resource, id_number
from zhengshu.core.exchange.tests.test_domain import ITEMS, grant
from zhengshu.core.sharing import service as sharing
from zhengshu.core.sharing.schemas import RevokeInput
from zhengshu.kernel.errors import InvalidInput

CORE = [*ITEMS, ItemClass("病史", level="core", personal_info="sensitive")]


def treatments(plan: domain.ReadPlan) -> dict[str, str]:
    return {p.name: p.treatment.value for p in plan.fields}


def test_released_fields_go_out_in_clear_and_may_be_filtered_on() -> None:
    released = grant(clear_fields=("公民身份号码", "出生日期"))
    plan = domain.plan_read(released, ITEMS, ReadRequest(filters=(FieldFilter("公民身份号码", "eq", "x"),)))
    assert treatments(plan) == {"公民身份号码": "clear", "姓名": "masked", "区划": "clear", "户号": "pseudonym",
                                "出生日期": "clear"}
    assert treatments(domain.plan_read(grant(), ITEMS, ReadRequest()))["公民身份号码"] == "masked"


def test_a_core_item_stays_hidden_even_if_a_grant_names_it() -> None:
    """Sharing never issues such a grant; the exchange does not rely on that (decision row 3 wins)."""
    odd = grant(fields=("姓名", "病史"), clear_fields=("病史",))
    assert treatments(domain.plan_read(odd, CORE, ReadRequest())) == {"姓名": "masked", "户号": "pseudonym",
                                                                      "病史": "hidden"}


def test_a_verify_only_grant_reads_nothing_but_verifies() -> None:
    only = grant(verify_only=True)
    with pytest.raises(InvalidInput, match="仅限核验") as refused:
        domain.plan_read(only, ITEMS, ReadRequest())
    assert refused.value.details["reason"] == "grant_verify_only"
    plan = domain.plan_verify(only, ITEMS, VerifyRequest(key={"公民身份号码": "1"}, claims={"姓名": "张三"}))
    assert plan.claims == (("姓名", "张三"),)


def _regrant(city: City, **terms: Any) -> int:
    sharing.revoke_grant(city.platform.uow(), POLICE_APPROVER, city.grant_id, RevokeInput(reason="换发授权"))
    return grant_resource(city.platform, city.resource, city.client_key, **terms)


def test_a_system_reads_released_fields_in_clear(city: City, exchange_audit) -> None:
    grant_id = _regrant(city, clear_fields=["公民身份号码", "户籍地址"])
    response = city.read({"公民身份号码": id_number(2)})
    assert response.status_code == 200, response.text
    page = response.json()
    assert {f["name"]: f["treatment"] for f in page["fields"]} == {
        "公民身份号码": "clear", "姓名": "masked", "区划": "clear", "户号": "pseudonym", "出生日期": "masked",
        "户籍地址": "clear"}
    [row] = page["rows"]
    assert row["公民身份号码"] == id_number(2) and row["户籍地址"] == "河北省秦皇岛市海港区文化路2号"
    assert row["姓名"] == "王**"
    [record] = exchange_audit()
    assert record["grant_id"] == grant_id and "公民身份号码:clear" in record["treatments"]


def test_a_verify_only_system_may_verify_but_never_read(city: City, exchange_audit) -> None:
    grant_id = _regrant(city, verify_only=True)
    refused = city.read()
    assert refused.status_code == 400, refused.text
    error = refused.json()["error"]
    assert error["details"]["reason"] == "grant_verify_only" and "仅限核验" in error["message"]
    assert "rows" not in refused.json()
    person = {"key": {"公民身份号码": id_number(2)}, "claims": {"姓名": "王小2"}}
    answered = city.verify(person)
    assert answered.status_code == 200 and answered.json()["match"] is True
    records = exchange_audit()
    assert [(r["action"], r["outcome"], r.get("reason")) for r in records] == [
        ("exchange.records_read", "denied", "grant_verify_only"), ("exchange.verified", "success", "")]
    assert records[0]["grant_id"] == grant_id
