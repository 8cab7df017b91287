"""The quality services on SQLite and PostgreSQL: rule sets saved as versions (audited), suggestions from the
catalogue, evaluation through the service and a load's result recorded; other departments see nothing."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest
from conftest import make_actor
from sqlalchemy import text

from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate
from zhengshu.core.identity.service import seed_city
from zhengshu.core.quality import service
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform

POLICE, MARKET = "130300003", "130300004"
OFFICER = make_actor(Role.DATA_OFFICER, department=POLICE, name="公安数据官")
OTHER = make_actor(Role.DATA_OFFICER, department=MARKET, name="市场监管数据官")


@pytest.fixture
def resource(platform: Platform) -> str:
    seed_city(platform.uow(), system_actor("测试"))
    entry = catalog.register_entry(platform.uow(), OFFICER, EntryCreate.model_validate({
        "classification": {"directory": "base", "section": "01", "heading": "001"},
        "provider_code": POLICE, "name": "户籍人口基本信息", "update_cycle": "daily",
        "items": [{"name": "公民身份号码", "data_type": "C", "length": 18, "is_key": True},
                  {"name": "姓名", "data_type": "C", "length": 50}, {"name": "性别", "data_type": "C", "length": 2},
                  {"name": "出生日期", "data_type": "D"}]}))
    return entry.entry.code


FRAME = pl.DataFrame({"row": [1, 2, 3], "公民身份号码": ["130302900307123", "130302199003071235", None],
                      "姓名": ["張偉", "王芳", "李四"], "性别": ["男性", "男", "女"],
                      "出生日期": ["1990年3月7日", "19900307", "1990/3/7"]})


def test_suggest_save_get_audit(platform: Platform, resource: str, sql) -> None:
    suggested = service.suggest_rules(platform.uow(), OFFICER, resource)
    assert suggested.standardisers == {"公民身份号码": "id_number", "姓名": "name", "性别": "sex", "出生日期": "date"}
    assert {r.kind for r in suggested.rules} == {"completeness", "validity", "uniqueness", "consistency",
                                                 "timeliness"}
    assert service.get_rule_set(platform.uow(), OFFICER, resource) is None
    saved = service.save_rule_set(platform.uow(), OFFICER, resource, suggested)
    assert saved.version == 1 and saved.rule_set == suggested
    again = service.save_rule_set(platform.uow(), OFFICER, resource, suggested)  # nothing changed: no version
    assert again.version == 1
    document = {"resource_code": resource, "rules": [{"id": "r", "kind": "completeness", "field": "姓名",
                                                      "message": "姓名不能为空"}]}
    fewer = service.save_rule_set_text(platform.uow(), OFFICER, resource, json.dumps(document, ensure_ascii=False))
    assert fewer.version == 2
    assert service.get_rule_set(platform.uow(), OFFICER, resource).rule_set.rules[0].id == "r"
    actions = sql("SELECT action, target FROM audit_records WHERE action LIKE 'quality.%' ORDER BY seq")
    assert [tuple(a) for a in actions] == [("quality.rule_set_saved", f"resource:{resource}")] * 2


def test_rules_naming_unknown_items_and_other_departments_refused(platform: Platform, resource: str) -> None:
    with pytest.raises(InvalidInput, match="规则 r（第 1 条）：资源没有信息项“电话”"):
        service.save_rule_set(platform.uow(), OFFICER, resource, {"rules": [
            {"id": "r", "kind": "completeness", "field": "电话", "message": "m"}]})
    for call in (lambda: service.get_rule_set(platform.uow(), OTHER, resource),
                 lambda: service.save_rule_set(platform.uow(), OTHER, resource, {"rules": []}),
                 lambda: service.evaluate(platform.uow(), OTHER, resource, FRAME)):
        with pytest.raises(NotFound):
            call()


def test_standardise_evaluate_record(platform: Platform, resource: str, sql) -> None:
    clean = service.standardise(platform.uow(), OFFICER, resource, FRAME)
    assert clean.frame["公民身份号码"].to_list() == ["130302199003071234", "130302199003071235", None]
    assert clean.frame["出生日期"].to_list() == ["1990-03-07"] * 3
    assert {c.column: (c.changed, c.unfixable) for c in clean.columns}["公民身份号码"] == (1, 1)
    result = service.evaluate(platform.uow(), OFFICER, resource, clean.frame, today=date(2026, 1, 5))
    assert result.rule_set_version is None  # nothing saved: the suggestion applies
    assert result.verdicts.filter("rejected")["row"].to_list() == [2, 3]
    view = service.record_load_result(platform.uow(), OFFICER, resource, "load-1", result)
    assert (view.rows, view.rejected) == (3, 2)
    assert view.scores["完整性"] < 100 and view.scores["时效性"] is None
    assert {s.rule_id for s in view.samples} >= {"i01-required", "i01-valid"}
    assert view.rules[0].failed > 0
    with pytest.raises(Conflict):
        service.record_load_result(platform.uow(), OFFICER, resource, "load-1", result)
    # the next load knows when the last one was: a daily resource loaded today is timely
    second = service.evaluate(platform.uow(), OFFICER, resource, clean.frame)
    assert second.scores["时效性"] == 100.0
    assert [r.load_id for r in service.list_load_results(platform.uow(), OFFICER, resource)] == ["load-1"]
    stored = sql("SELECT count(*) FROM quality_bad_rows")[0][0]
    assert stored == len(view.samples) > 0
    assert sql("SELECT action FROM audit_records WHERE action = 'quality.load_recorded'")
    with platform.database.reading() as session:
        assert session.execute(text("SELECT rejected FROM quality_load_results")).scalar_one() == 2
