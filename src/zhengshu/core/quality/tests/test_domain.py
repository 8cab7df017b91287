"""Standardisers, check digits, rule-set schema and evaluation, without a database."""

from __future__ import annotations

import random
from datetime import date

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengshu.core.quality.domain import checks
from zhengshu.core.quality.domain.evaluation import evaluate
from zhengshu.core.quality.domain.rules import parse_rule_set, parse_rule_set_text
from zhengshu.core.quality.domain.standardisers import STANDARDISERS, address_district, suggest_standardiser
from zhengshu.kernel import identifiers as k
from zhengshu.kernel.errors import InvalidInput


def run(name: str, values: list) -> tuple[list, int, int]:
    result = STANDARDISERS[name](pl.Series("v", values, dtype=pl.String))
    return result.series.to_list(), result.changed, result.unfixable


def _valid(expr, values: list[str]) -> list[bool]:
    return pl.DataFrame({"v": values}).select(expr(pl.col("v"))).to_series().to_list()


@settings(max_examples=200, deadline=None)
@given(st.text("0123456789X", min_size=18, max_size=18))
def test_id_check_agrees_with_the_kernel(number: str) -> None:
    body = number[:17]
    assert _valid(checks.id_number_valid, [number]) == [k.is_valid_id_number(number)]
    fixed = body + k.id_check_char(body) if body.isdigit() else number
    assert _valid(checks.id_number_valid, [fixed]) == [k.is_valid_id_number(fixed)]


@settings(max_examples=200, deadline=None)
@given(st.text(k.USCC_CHARSET, min_size=17, max_size=17))
def test_credit_code_check_agrees_with_the_kernel(body: str) -> None:
    code = body + k.uscc_check_char(body)
    assert _valid(checks.credit_code_valid, [code, body + "I"]) == [k.is_valid_credit_code(code), False]


def test_check_characters_agree_with_the_kernel_in_bulk() -> None:
    """Credit codes shaped right (digits at 3–8, the inner GB 11714 character correct half the time) and ID
    numbers with real birth dates, checked as one column each against the kernel value by value."""
    rng = random.Random(7)
    codes, numbers, bodies = [], [], []
    for _ in range(5000):
        org = "".join(rng.choice(k.USCC_CHARSET) for _ in range(8))
        org += k.org_code_check_char(org) if rng.random() < 0.5 else rng.choice(k.USCC_CHARSET)
        body = rng.choice(k.USCC_CHARSET) + rng.choice(k.USCC_CHARSET) + f"{rng.randrange(10**6):06d}" + org
        codes.append(body + (k.uscc_check_char(body) if rng.random() < 0.7 else rng.choice(k.USCC_CHARSET)))
        digits = f"{rng.randrange(10**6):06d}{rng.randrange(1900, 2030)}{rng.randrange(1, 13):02d}" + \
            f"{rng.randrange(1, 32):02d}{rng.randrange(1000):03d}"
        bodies.append(digits)
        numbers.append(digits + (k.id_check_char(digits) if rng.random() < 0.7 else rng.choice("0123456789X")))
    assert _valid(checks.credit_code_valid, codes) == [k.is_valid_credit_code(c) for c in codes]
    assert sum(_valid(checks.credit_code_valid, codes)) > 1000
    assert _valid(checks.id_number_valid, numbers) == [k.is_valid_id_number(n) for n in numbers]
    assert _valid(checks.id_check_char, bodies) == [k.id_check_char(b) for b in bodies]
    facts = pl.DataFrame({"v": numbers}).select(**checks.id_facts("v", "_")).to_dict(as_series=False)
    assert facts["_sex"] == [{"男": "1", "女": "2"}[k.id_sex(n)] for n in numbers]
    assert facts["_valid"] == [k.is_valid_id_number(n) for n in numbers]
    assert facts["_birth"] == [k.id_birth_date(n) for n in numbers]


def test_standard_examples() -> None:
    assert _valid(checks.id_number_valid, ["11010519491231002X", "36042619910102009X", "360426199113010079"]) == [
        True, False, False]
    assert _valid(checks.credit_code_valid, ["91110000600037341L", "91110000600037341N", "9111000060003IOZSV"]) == [
        True, False, False]


def test_dates_every_form_to_iso_and_bad_ones_left() -> None:
    values, changed, unfixable = run("date", ["2023-01-05", "2023年1月5日", "2023/1/5", "20230105", "44931",
                                              "2023.01.05", "２０２３－０１－０５", "2023-02-30", "1990", "", None])
    assert values == ["2023-01-05"] * 7 + ["2023-02-30", "1990", None, None]
    assert (changed, unfixable) == (7, 2)


def test_id_numbers() -> None:
    values, changed, unfixable = run("id_number", ["130302900307123", "13030420010101002x", " 130302199003071234 ",
                                                   "１３０３０２１９９００３０７１２３４", "130302199003071235"])
    assert values == ["130302199003071234", "13030420010101002X", "130302199003071234", "130302199003071234",
                      "130302199003071235"]
    assert (changed, unfixable) == (4, 1)


def test_credit_codes_phones_names_codes() -> None:
    assert run("credit_code", ["９１１１００００６０００３７３４１Ｌ", "91110000600037341l", "91110000600037341N"]) == (
        ["91110000600037341L", "91110000600037341L", "91110000600037341N"], 2, 1)
    assert run("phone", ["+8613812345678", "+86 13812345678", "138-1234-5678", "138 1234 5678", "03351234567",
                         "0335-1234567", "3000000", "(010)12345678", "12"])[0] == [
        "13812345678"] * 4 + ["0335-1234567", "0335-1234567", "0335-3000000", "010-12345678", "12"]
    assert run("name", ["張偉", "王 芳", " 李四 ", "ＡＢＣ  Co"])[0] == ["张伟", "王芳", "李四", "ABC Co"]
    assert run("sex", ["男", "女性", "1", "x"]) == (["男", "女", "男", "x"], 2, 1)
    assert run("sex_code", ["男", "女性"])[0] == ["1", "2"]
    assert run("marital_status_code", ["已婚", "丧偶"])[0] == ["20", "30"]
    assert run("industry", ["C", "制造业"])[0] == ["制造业", "制造业"]


def test_addresses_completed_with_their_district() -> None:
    values, changed, unfixable = run("address", ["河北省秦皇岛市海港区文化路12号", "秦皇岛市海港区文化路12号",
                                                 "海港区文化路12#", "青龍縣青龙镇1号", "北京市海淀区1号"])
    assert values == ["河北省秦皇岛市海港区文化路12号"] * 3 + [
        "河北省秦皇岛市青龙满族自治县青龙镇1号", "北京市海淀区1号"]
    assert (changed, unfixable) == (3, 1)
    assert address_district(pl.Series(["海港区文化路12号", "昌黎县x", "北京"])).to_list() == ["130302", "130322", None]


def test_suggested_standardisers() -> None:
    assert [suggest_standardiser(n) for n in ("公民身份号码", "身份证号", "统一社会信用代码", "联系电话", "性别",
                                              "户籍地址", "姓名", "备注")] == [
        "id_number", "id_number", "credit_code", "phone", "sex", "address", "name", None]
    assert suggest_standardiser("办结", "D") == "date"


@pytest.mark.parametrize(("rule", "words"), [
    ({"id": "r1", "kind": "validity", "field": "a", "check": "code_table", "table": "nope", "message": "m"},
     ["规则 r1（第 1 条）", "table"]),
    ({"id": "r1", "kind": "validity", "field": "a", "check": "id", "message": "m"}, ["规则 r1", "字段 check"]),
    ({"id": "r1", "kind": "completeness", "message": "m"}, ["规则 r1", "字段 field", "必填"]),
    ({"id": "r1", "kind": "wat", "message": "m"}, ["规则 r1", "kind 须为"]),
    ({"id": "r1", "kind": "validity", "field": "a", "check": "pattern", "pattern": "(?<=a)b", "message": "m"},
     ["规则 r1", "pattern 不是有效的正则表达式"]),
    ({"id": "r1", "kind": "timeliness", "cycle": "daily", "severity": "reject", "message": "m"}, ["severity"]),
    ({"id": "r1", "kind": "referential", "fields": ["a", "b"], "reference": "x", "reference_fields": ["a"],
      "message": "m"}, ["reference_fields"]),
])
def test_bad_rule_sets_are_refused_naming_rule_and_field(rule: dict, words: list[str]) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_rule_set({"resource_code": "x", "rules": [{"id": "ok", "kind": "completeness", "field": "a",
                                                         "message": "m"}, rule]})
    for word in words:
        assert word.replace("第 1 条", "第 2 条") in caught.value.message


def test_duplicate_ids_and_unknown_standardisers_refused() -> None:
    rule = {"id": "r1", "kind": "completeness", "field": "a", "message": "m"}
    with pytest.raises(InvalidInput, match="规则编号重复：r1"):
        parse_rule_set({"resource_code": "x", "rules": [rule, rule]})
    with pytest.raises(InvalidInput, match="标准化器 zip 不存在"):
        parse_rule_set({"resource_code": "x", "standardisers": {"a": "zip"}})
    with pytest.raises(InvalidInput, match="第 1 行"):
        parse_rule_set_text("{oops", ".json")


RULES = {"resource_code": "x", "rules": [
    {"id": "id-req", "kind": "completeness", "field": "id", "message": "身份证号不能为空", "severity": "reject"},
    {"id": "id-ok", "kind": "validity", "field": "id", "check": "id_number", "message": "校验位错误",
     "severity": "reject"},
    {"id": "id-uniq", "kind": "uniqueness", "fields": ["id"], "message": "重复"},
    {"id": "sex", "kind": "consistency", "check": "id_sex", "id_field": "id", "field": "sex", "message": "性别不符"},
    {"id": "born", "kind": "consistency", "check": "id_birth_date", "id_field": "id", "field": "born",
     "message": "出生日期不符"},
    {"id": "ref", "kind": "referential", "fields": ["id"], "reference": "pop", "reference_fields": ["pid"],
     "message": "不在人口库"},
    {"id": "ref2", "kind": "referential", "fields": ["id"], "reference": "absent", "reference_fields": ["pid"],
     "message": "x"},
    {"id": "timely", "kind": "timeliness", "cycle": "daily", "message": "未按时更新"},
]}
FRAME = pl.DataFrame({"row": [1, 2, 3, 4, 5],
                      "id": ["130302199003071234", "130302199003071234", "130302199003071235", None,
                             "13030420010101002X"],
                      "sex": ["男", "女", "男", "男", "女"],
                      "born": ["1990-03-07", "1990-03-07", "x", None, "2001-01-02"]})


def test_evaluation_violations_verdicts_scores() -> None:
    result = evaluate(FRAME, parse_rule_set(RULES), references={"pop": pl.DataFrame({"pid": ["130302199003071234"]})},
                      last_loaded=date(2026, 1, 1), today=date(2026, 1, 5))
    found = {(r["rule_id"], r["row"]) for r in result.violations.iter_rows(named=True)}
    assert found == {("id-req", 4), ("id-ok", 3), ("id-uniq", 2), ("sex", 2), ("born", 5), ("ref", 3), ("ref", 5)}
    assert result.verdicts.filter("rejected")["row"].to_list() == [3, 4]
    assert result.skipped == {"ref2": "未提供参照数据 absent"}
    assert result.scores == {"规范性": 75.0, "完整性": 80.0, "准确性": 75.0, "一致性": 60.0, "时效性": 0.0}
    assert [o.rule_id for o in result.worst_rules(2)] == ["timely", "ref"]
    assert result.samples(1).height == 6


def test_timely_when_loaded_within_the_cycle_and_unknown_fields_named() -> None:
    rules = parse_rule_set({"resource_code": "x", "rules": [RULES["rules"][-1]]})
    assert evaluate(FRAME, rules, last_loaded=date(2026, 1, 4), today=date(2026, 1, 5)).scores["时效性"] == 100.0
    assert evaluate(FRAME, rules, today=date(2026, 1, 5)).scores["时效性"] is None
    with pytest.raises(InvalidInput, match="规则 r：数据中没有字段“nope”"):
        evaluate(FRAME, parse_rule_set({"resource_code": "x", "rules": [
            {"id": "r", "kind": "completeness", "field": "nope", "message": "m"}]}))
