"""The privacy gate on identifying data: each refusal names the field and its rule; what may open, opens."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from zhengshu.core.opendata.domain import views
from zhengshu.core.opendata.domain.gate import FieldClass, Role, Rule, ValueKind, assess, check, k_anonymity
from zhengshu.core.opendata.domain.limits import RateLimiter
from zhengshu.kernel.errors import InvalidInput, QuotaExceeded

CLASSES = {
    "公民身份号码": FieldClass("公民身份号码", "important", "sensitive"),
    "姓名": FieldClass("姓名", "general", "general"),
    "电话": FieldClass("电话", "general", "sensitive"),
    "住址": FieldClass("住址", "general", "general"),
    "性别": FieldClass("性别", "general", "general"),
    "出生年份": FieldClass("出生年份", "general", "general"),
    "区划": FieldClass("区划", "general", "general"),
    "企业名称": FieldClass("企业名称"),
    "统一社会信用代码": FieldClass("统一社会信用代码"),
    "法定代表人": FieldClass("法定代表人"),
    "备注": FieldClass("备注"),  # the catalogue says 非个人信息, but the values are mobile numbers
    "营收": FieldClass("营收", "important", "none"),
}
KINDS = {
    "公民身份号码": ValueKind("公民身份号码", "id_number", "公民身份号码"),
    "姓名": ValueKind("姓名", "person_name", "姓名", 0.93),
    "电话": ValueKind("电话", "mobile", "手机号码"),
    "住址": ValueKind("住址", "address", "地址", 0.88),
    "统一社会信用代码": ValueKind("统一社会信用代码", "credit_code", "统一社会信用代码"),
    "法定代表人": ValueKind("法定代表人", "person_name", "姓名"),
    "备注": ValueKind("备注", "mobile", "手机号码", 0.7),
}


def refusal(report, name):
    found = [r for r in report.refusals if r.field == name]
    assert found, f"{name} was not refused: {report.as_dict()}"
    return found[0]


def test_direct_identifiers_are_refused_each_with_its_rule() -> None:
    fields = ["公民身份号码", "姓名", "电话", "住址", "备注", "营收", "不存在"]
    report = check(fields, CLASSES, KINDS, None, 5)
    assert not report.passed
    assert {r.field for r in report.refusals} == set(fields)
    assert refusal(report, "公民身份号码").rule is Rule.SENSITIVE
    assert refusal(report, "电话").rule is Rule.SENSITIVE
    assert refusal(report, "营收").rule is Rule.IMPORTANT and "重要数据" in refusal(report, "营收").message
    assert refusal(report, "姓名").rule is Rule.IDENTIFIER and "93%" in refusal(report, "姓名").message
    assert refusal(report, "住址").rule is Rule.IDENTIFIER and "地址" in refusal(report, "住址").message
    assert refusal(report, "不存在").rule is Rule.UNKNOWN
    # the catalogue is wrong about 备注: the values decide, and the message says to fix the catalogue
    remark = refusal(report, "备注")
    assert remark.rule is Rule.IDENTIFIER and "手机号码" in remark.message and "更正目录" in remark.message
    assert all(f"“{r.field}”" in r.message for r in report.refusals)


def test_fields_open_by_law_pass_although_they_look_like_names() -> None:
    report = check(["企业名称", "统一社会信用代码", "法定代表人"], CLASSES, KINDS, None, 5)
    assert report.passed, report.as_dict()
    assert set(report.roles.values()) == {Role.OPEN.value}


def _people(n_per: dict[tuple[str, int], int]) -> pl.DataFrame:
    rows = [(sex, year) for (sex, year), n in n_per.items() for _ in range(n)]
    return pl.DataFrame({"性别": [r[0] for r in rows], "出生年份": [r[1] for r in rows]})


def test_quasi_identifiers_must_be_k_anonymous() -> None:
    frame = _people({("男", 1990): 6, ("女", 1990): 5, ("女", 1991): 2})
    report = check(["性别", "出生年份"], CLASSES, KINDS, frame, 5)
    assert report.roles == {"性别": "quasi_identifier", "出生年份": "quasi_identifier"}
    assert not report.passed
    assert {r.rule for r in report.refusals} == {Rule.K_ANONYMITY}
    message = refusal(report, "出生年份").message
    assert "最小的等价类只有 2 行" in message and "k=5" in message and "1 个组合共 2 行" in message
    assert report.as_dict()["anonymity"]["smallest"] == 2
    # with k = 2 the same rows pass; without the small class they pass at k = 5
    assert check(["性别", "出生年份"], CLASSES, KINDS, frame, 2).passed
    assert check(["性别", "出生年份"], CLASSES, KINDS, frame.filter(pl.col("出生年份") == 1990), 5).passed


def test_k_anonymity_counts_missing_values_as_a_value() -> None:
    frame = pl.DataFrame({"区划": ["130302"] * 5 + [None]})
    found = k_anonymity(frame, ["区划"], 5)
    assert (found.smallest, found.small_classes, found.rows_in_small, found.holds) == (1, 1, 1, False)
    assert k_anonymity(frame.head(0), ["区划"], 5).holds


def test_a_dataset_of_people_with_only_open_fields_needs_no_anonymity() -> None:
    assess_ = assess(["企业名称", "区划"], CLASSES, {})
    assert assess_.quasi_identifiers == ("区划",) and not assess_.refusals


def test_aggregated_view_generalises_and_suppresses_small_cells() -> None:
    frame = pl.DataFrame({
        "出生日期": [date(1990, 1, d) for d in range(1, 8)] + [date(1991, 3, 1)],
        "区划": ["130302"] * 7 + ["130303"],
        "收入": [10.0] * 8,
    })
    spec = views.parse_view({"group_by": ["区划", "出生日期"], "generalise": {"出生日期": "year"},
                             "measures": [{"op": "sum", "column": "收入"}]})
    rows, suppressed = views.derive(frame, spec, 5)
    assert rows.columns == ["区划", "出生日期（年）", "记录数", "收入合计"] == list(views.view_columns(spec))
    assert rows.to_dicts() == [{"区划": "130302", "出生日期（年）": "1990", "记录数": 7, "收入合计": 70.0}]
    assert suppressed == 1
    band = views.derive(pl.DataFrame({"年龄": [23, 27, 31]}), views.parse_view(
        {"group_by": ["年龄"], "generalise": {"年龄": "band:10"}}), 1)[0]
    assert band["年龄（每10分段）"].to_list() == ["20–29", "30–39"]


@pytest.mark.parametrize("spec, field", [
    ({"group_by": []}, "view.group_by"),
    ({"group_by": ["区划"], "generalise": {"姓名": "year"}}, "view.generalise"),
    ({"group_by": ["区划"], "generalise": {"区划": "decade"}}, "view.generalise"),
    ({"group_by": ["区划"], "measures": [{"op": "median", "column": "收入"}]}, "view.measures"),
])
def test_bad_view_specs_name_the_field(spec, field) -> None:
    with pytest.raises(InvalidInput) as caught:
        views.parse_view(spec)
    assert caught.value.field == field


def test_generalising_a_text_by_year_is_refused() -> None:
    spec = views.parse_view({"group_by": ["区划"], "generalise": {"区划": "year"}})
    with pytest.raises(InvalidInput, match="不是日期"):
        views.derive(pl.DataFrame({"区划": ["130302"]}), spec, 1)


def test_rate_limiter_allows_the_limit_per_minute_then_refuses() -> None:
    now = [0.0]
    limiter = RateLimiter(clock=lambda: now[0])
    assert [limiter.hit("a", 3) for _ in range(3)] == [2, 1, 0]
    with pytest.raises(QuotaExceeded) as caught:
        limiter.hit("a", 3)
    assert caught.value.details["retry_after"] == 61
    assert limiter.hit("b", 3) == 2  # another caller has its own window
    now[0] = 60.5
    assert limiter.hit("a", 3) == 2
