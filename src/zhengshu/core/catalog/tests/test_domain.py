"""The catalogue's rules, pure Python: codes, metadata fields and the rules between them, the lifecycle."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from zhengshu.core.catalog.domain import lifecycle
from zhengshu.core.catalog.domain.lifecycle import Entry, make_mount
from zhengshu.core.catalog.domain.metadata import (
    make_classification,
    make_metadata,
    missing_for_publication,
    next_sequence,
    parse_code,
    resource_code,
)
from zhengshu.core.catalog.domain.values import Level, MountKind, Status
from zhengshu.kernel.errors import Conflict, InvalidInput

TODAY = date(2026, 11, 27)
COLUMNS = ("公民身份号码", "姓名", "出生日期")


def items(*names: str) -> list[dict[str, Any]]:
    return [{"name": n, "data_type": "C", "length": 50} for n in names]


def complete(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": "户籍人口基本信息", "abstract": "本市户籍人口。",
        "format_type": "database", "format_detail": "PostgreSQL",
        "items": items(*COLUMNS), "sharing_type": "conditional", "sharing_condition": "身份核验",
        "sharing_basis": "《居民身份证法》", "sharing_mode": "api", "opening_type": "none",
        "update_cycle": "daily", "owner": "王数据", "contact": "0335-3000000",
    }
    fields.update(changes)
    return fields


def entry(status: Status = Status.REGISTERED, **changes: Any) -> Entry:
    return Entry("101001-0001", make_classification("base", "01", "001"), "130300003", "市公安局",
                 make_metadata(**complete(**changes)), status=status)


def mounted(**changes: Any) -> Entry:
    return lifecycle.mount(entry(**changes), make_mount("dataset", "gongan.population", COLUMNS))


def rule_broken(field: str, **changes: Any) -> InvalidInput:
    with pytest.raises(InvalidInput) as caught:
        make_metadata(**complete(**changes))
    assert caught.value.field == field, caught.value.message
    return caught.value


# --- codes ------------------------------------------------------------------------------------------------------


def test_the_classification_code_starts_with_the_directory_digit() -> None:
    assert make_classification("base", "01", "001").code == "101001"
    assert make_classification("theme", "03", "002").code == "203002"
    assert make_classification("department", "07", "003", "0001").code == "3070030001"


@pytest.mark.parametrize(("args", "field"), [
    (("nation", "01", "001"), "directory"), (("base", "1", "001"), "section"), (("base", "0a", "001"), "section"),
    (("base", "01", "01"), "heading"), (("base", "01", "001", "1234567"), "subheading"),
    (("base", "01", "001", "12a"), "subheading"),
])
def test_a_malformed_classification_names_its_part(args: tuple[str, ...], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        make_classification(*args)
    assert caught.value.field == field


def test_codes_are_the_classification_code_and_the_next_sequence() -> None:
    assert next_sequence(None) == 1 and next_sequence(41) == 42
    assert resource_code("101001", 1) == "101001-0001"
    assert resource_code("3070030001", 12345) == "3070030001-12345"
    assert parse_code("101001-0042") == ("101001", 42)
    assert parse_code(resource_code("203002", 7)) == ("203002", 7)


@pytest.mark.parametrize("code", ["101001", "101001-01", "401001-0001", "101001/0001", "10100-0001", "x"])
def test_malformed_codes_are_refused(code: str) -> None:
    with pytest.raises(InvalidInput, match="信息资源代码格式不正确"):
        parse_code(code)


# --- metadata ---------------------------------------------------------------------------------------------------


def test_a_draft_needs_only_a_name_and_says_what_publication_lacks() -> None:
    draft = make_metadata(name=" 户籍人口 ")
    assert draft.name == "户籍人口"
    assert missing_for_publication(draft) == ["信息资源摘要", "信息资源格式", "信息项", "共享属性", "开放属性",
                                              "更新周期", "数据责任人", "联系方式"]
    assert missing_for_publication(make_metadata(**complete())) == []
    with pytest.raises(InvalidInput, match="信息资源名称不能为空"):
        make_metadata(name="  ")


def test_item_rules() -> None:
    assert rule_broken("items.1.length", items=[*items("甲"), {"name": "乙", "data_type": "C"}]).message \
        == "第 2 个信息项“乙”为字符型，须填写长度。"
    rule_broken("items.0.data_type", items=[{"name": "甲", "data_type": "X"}])
    rule_broken("items.0.length", items=[{"name": "甲", "data_type": "N", "length": 0}])
    rule_broken("items.0.level", items=[{"name": "甲", "data_type": "D", "level": "secret"}])
    rule_broken("items.0.personal_info", items=[{"name": "甲", "data_type": "D", "personal_info": "yes"}])
    rule_broken("items.1.name", items=items("甲", "甲"))
    rule_broken("items.0.name", items=[{"name": " ", "data_type": "D"}])
    dated = make_metadata(name="x", items=[{"name": "日期", "data_type": "D"}])  # only 字符型 must state a length
    assert dated.items[0].length is None


def test_the_entry_level_is_its_highest_item_level() -> None:
    meta = make_metadata(name="x", items=[{"name": "a", "data_type": "D", "level": "important"},
                                          {"name": "b", "data_type": "D"}])
    assert meta.level is Level.IMPORTANT
    assert make_metadata(name="x").level is None


@pytest.mark.parametrize("sharing_type", ["conditional", "none"])
def test_conditional_and_refused_sharing_cite_their_legal_basis(sharing_type: str) -> None:
    error = rule_broken("sharing_basis", sharing_type=sharing_type, sharing_basis=" ",
                        sharing_mode="api" if sharing_type == "conditional" else "", sharing_condition="条件"
                        if sharing_type == "conditional" else "")
    assert "法律、行政法规" in error.message


def test_sharing_attribute_rules() -> None:
    rule_broken("sharing_condition", sharing_condition="")  # 有条件 names its condition
    rule_broken("sharing_condition", sharing_type="unconditional", sharing_basis="")  # 无条件 has none
    rule_broken("sharing_mode", sharing_type="none", sharing_condition="")  # 不予共享 has no mode
    rule_broken("sharing_mode", sharing_mode="")  # the others must have one
    rule_broken("sharing_mode", sharing_mode="email")
    rule_broken("sharing_type", sharing_type="sometimes")
    refused = make_metadata(**complete(sharing_type="none", sharing_condition="", sharing_mode=""))
    assert refused.sharing is not None and refused.sharing.mode is None
    free = make_metadata(**complete(sharing_type="unconditional", sharing_condition="", sharing_basis=""))
    assert free.sharing is not None and free.sharing.legal_basis == ""


@pytest.mark.parametrize(("format_type", "mode", "allowed"), [
    ("document", "file", True), ("document", "api", False), ("image", "table", False),
    ("database", "table", True), ("database", "api", True), ("database", "file", False),
    ("spreadsheet", "api", True), ("spreadsheet", "file", True), ("api", "api", True), ("api", "table", False),
    ("self_describing", "api", True), ("self_describing", "table", False),
])
def test_the_sharing_mode_must_suit_the_format(format_type: str, mode: str, allowed: bool) -> None:
    fields = complete(format_type=format_type, sharing_mode=mode)
    if allowed:
        assert make_metadata(**fields).sharing is not None
    else:
        with pytest.raises(InvalidInput, match="类资源的共享方式只能是") as caught:
            make_metadata(**fields)
        assert caught.value.field == "sharing_mode"


def test_opening_rules() -> None:
    rule_broken("opening_condition", opening_type="conditional")
    rule_broken("opening_condition", opening_type="none", opening_condition="申请")
    assert "开放不宽于共享" in rule_broken("opening_type", opening_type="unconditional").message
    free = {"sharing_type": "unconditional", "sharing_condition": "", "sharing_basis": ""}
    assert make_metadata(**complete(**free, opening_type="unconditional")).opening is not None
    personal = items("姓名")
    personal[0]["personal_info"] = "general"
    assert "个人信息" in rule_broken("opening_type", **free, items=personal, opening_type="unconditional").message
    assert "不予共享" in rule_broken("opening_type", sharing_type="none", sharing_condition="", sharing_mode="",
                                  opening_type="conditional", opening_condition="申请").message
    core = [{"name": "坐标", "data_type": "C", "length": 20, "level": "core"}]
    rule_broken("opening_type", items=core, opening_type="conditional", opening_condition="申请")
    rule_broken("sharing_type", items=core, sharing_type="unconditional", sharing_condition="", sharing_basis="")
    opened = make_metadata(**complete(opening_type="conditional", opening_condition="实名申请"))
    assert opened.opening is not None and opened.opening.condition == "实名申请"


def test_other_field_rules() -> None:
    rule_broken("update_cycle_note", update_cycle="other")
    assert make_metadata(**complete(update_cycle="other", update_cycle_note="按需")).update_cycle_note == "按需"
    rule_broken("update_cycle", update_cycle="hourly")
    rule_broken("format_type", format_type="", format_detail="xlsx")
    rule_broken("related_codes", related_codes=["101001-1"])
    assert make_metadata(**complete(related_codes=["101001-0002", " ", "101001-0002"])).related_codes \
        == ("101001-0002",)
    with pytest.raises(InvalidInput, match="不能是本资源自己"):
        make_metadata(**complete(related_codes=["101001-0001"]), own_code="101001-0001")
    rule_broken("provider_credit_code", provider_credit_code="91110000600037341N")
    assert make_metadata(**complete(provider_credit_code="12130300401359081r")).provider_credit_code \
        == "12130300401359081R"
    rule_broken("abstract", abstract="长" * 2001)


# --- lifecycle --------------------------------------------------------------------------------------------------


def test_mounting_a_dataset_needs_exactly_the_items_as_columns() -> None:
    done = mounted()
    assert done.status is Status.MOUNTED and done.mount is not None and done.mount.columns == COLUMNS
    with pytest.raises(InvalidInput) as caught:
        lifecycle.mount(entry(), make_mount("dataset", "gongan.population", ["公民身份号码", "姓名", "性别"]))
    assert caught.value.field == "columns"
    assert caught.value.details == {"missing": ["出生日期"], "extra": ["性别"]}
    with pytest.raises(InvalidInput, match="请先登记信息项"):
        lifecycle.mount(entry(items=[]), make_mount("dataset", "gongan.population", COLUMNS))
    reordered = lifecycle.mount(entry(), make_mount("dataset", "gongan.population", list(reversed(COLUMNS))))
    assert reordered.status is Status.MOUNTED  # order does not matter, names do


def test_mount_targets_are_checked() -> None:
    with pytest.raises(InvalidInput, match="须提供数据集的列"):
        make_mount("dataset", "gongan.population")
    with pytest.raises(InvalidInput, match="列重复"):
        make_mount("dataset", "gongan.population", ["姓名", "姓名"])
    with pytest.raises(InvalidInput, match="只有挂接数据集时"):
        make_mount("registry", "population", ["姓名"])
    for url in ["http://api.gongan.qhd.gov.cn/v1", "https://user:pw@api.example.cn/", "https:///x",
                "https://a.example.cn/ x", "ftp://a.example.cn"]:
        with pytest.raises(InvalidInput, match="HTTPS"):
            make_mount("live_api", url)
    for reference in ["", "人口库", "a b", "x" * 101]:
        with pytest.raises(InvalidInput):
            make_mount("registry", reference)
    assert make_mount("live_api", "https://api.gongan.qhd.gov.cn/v1/people").kind is MountKind.LIVE_API
    with pytest.raises(InvalidInput):
        make_mount("ftp", "x")


def test_publishing_needs_a_mount_and_complete_metadata() -> None:
    with pytest.raises(Conflict, match="尚未挂接"):
        lifecycle.publish(entry(), TODAY)
    incomplete = lifecycle.mount(entry(abstract="", owner=""), make_mount("registry", "population"))
    with pytest.raises(InvalidInput) as caught:
        lifecycle.publish(incomplete, TODAY)
    assert caught.value.details == {"missing": ["信息资源摘要", "数据责任人"]}
    published = lifecycle.publish(mounted(), TODAY)
    assert published.status is Status.PUBLISHED and published.published_on == TODAY and published.version == 1
    with pytest.raises(Conflict, match="已发布"):
        lifecycle.publish(published, TODAY)


def test_retiring_comes_after_publishing_and_ends_the_lifecycle() -> None:
    with pytest.raises(Conflict, match="只有已发布"):
        lifecycle.retire(mounted(), "不再维护")
    published = lifecycle.publish(mounted(), TODAY)
    with pytest.raises(InvalidInput, match="下架原因"):
        lifecycle.retire(published, " ")
    retired = lifecycle.retire(published, "由新资源替代")
    assert retired.status is Status.RETIRED and retired.retired_reason == "由新资源替代"
    for step in (lambda: lifecycle.publish(retired, TODAY), lambda: lifecycle.retire(retired, "再次"),
                 lambda: lifecycle.mount(retired, make_mount("registry", "population")),
                 lambda: lifecycle.revise(retired, retired.metadata, TODAY)):
        with pytest.raises(Conflict):
            step()


def test_before_publication_changes_are_in_place() -> None:
    draft = entry()
    revision = lifecycle.revise(draft, make_metadata(**complete(name="户籍人口")), TODAY)
    assert revision.entry.metadata.name == "户籍人口" and revision.entry.version == 1
    assert not revision.new_version and not revision.unmounted and not revision.items_changed


def test_changing_the_items_of_a_mounted_entry_unmounts_it_unless_the_dataset_changed_too() -> None:
    wider = make_metadata(**complete(items=items(*COLUMNS, "性别")))
    revision = lifecycle.revise(mounted(), wider, TODAY)
    assert revision.unmounted and revision.items_changed
    assert revision.entry.status is Status.REGISTERED and revision.entry.mount is None
    together = lifecycle.revise(mounted(), wider, TODAY, columns=[*COLUMNS, "性别"])
    assert together.entry.status is Status.MOUNTED and not together.unmounted
    assert together.entry.mount is not None and "性别" in together.entry.mount.columns
    with pytest.raises(InvalidInput, match="只有挂接数据集的资源"):
        lifecycle.revise(entry(), wider, TODAY, columns=["x"])
    on_registry = lifecycle.mount(entry(), make_mount("registry", "population"))
    assert lifecycle.revise(on_registry, wider, TODAY).entry.status is Status.MOUNTED


def test_after_publication_every_change_is_a_new_published_version() -> None:
    published = lifecycle.publish(mounted(), date(2026, 1, 5))
    revision = lifecycle.revise(published, make_metadata(**complete(contact="0335-3111111")), TODAY)
    assert revision.new_version and not revision.items_changed
    assert revision.entry.version == 2 and revision.entry.status is Status.PUBLISHED
    assert revision.entry.published_on == TODAY
    wider = make_metadata(**complete(items=items(*COLUMNS, "性别")))
    with pytest.raises(InvalidInput) as caught:
        lifecycle.revise(published, wider, TODAY)  # the dataset has no 性别 column
    assert caught.value.details == {"missing": ["性别"], "extra": []}
    grown = lifecycle.revise(published, wider, TODAY, columns=[*COLUMNS, "性别"])
    assert grown.entry.version == 2 and grown.items_changed
    with pytest.raises(InvalidInput, match="元数据不完整"):
        lifecycle.revise(published, make_metadata(**complete(owner="")), TODAY)


def test_a_published_entry_may_move_to_another_target_and_stay_published() -> None:
    published = lifecycle.publish(mounted(), TODAY)
    moved = lifecycle.mount(published, make_mount("live_api", "https://api.gongan.qhd.gov.cn/v1/people"))
    assert moved.status is Status.PUBLISHED and moved.mount is not None and moved.mount.columns == ()


def test_a_snapshot_is_plain_json() -> None:
    published = lifecycle.publish(mounted(), TODAY)
    shot = lifecycle.snapshot(replace(published, version=3))
    assert json.loads(json.dumps(shot, ensure_ascii=False)) == shot
    assert shot["version"] == 3 and shot["published_on"] == "2026-11-27"
    assert shot["sharing"]["mode"] == "api" and shot["mount"]["columns"] == list(COLUMNS)
