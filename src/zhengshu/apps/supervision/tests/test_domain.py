"""The pure rules: reading a plan's outline, matching department words, and the progress rules (report
schedule, overdue, stalled)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from zhengshu.apps.supervision.domain.departments import DepartmentDirectory, Unit, match_names
from zhengshu.apps.supervision.domain.documents import plan_text
from zhengshu.apps.supervision.domain.plan import numeral_of, numeral_value, parse_deadline, parse_plan, split_names
from zhengshu.apps.supervision.domain.progress import (
    Cycle,
    Report,
    Status,
    assignment_state,
    check_report,
    task_state,
)
from zhengshu.kernel.errors import InvalidInput

PLAN = """某市某某工作实施方案
一、总体要求
（一）指导思想。略。
二、主要任务
（一）夯实基础。
1．建设一张网。统一网络，
持续推进整合。（牵头单位：市政府办；责任单位：市工信局、市发改委等部门，各县区政府；完成时限：2026年6月底前）
2、建设一朵云。上云。(责任单位:市财政局;完成时限:2026年9月15日)
（十一）加强保障。
1.开展评估（牵头单位：市审计局）
三、保障措施
（一）强化组织领导。1.不是任务。
"""


def test_the_outline_of_a_plan_with_either_punctuation() -> None:
    plan = parse_plan(PLAN)
    assert plan.title == "某市某某工作实施方案"
    assert [(s.number, s.title) for s in plan.sections] == [(1, "夯实基础"), (11, "加强保障")]
    first, second, third = plan.tasks
    assert (first.code, first.title, first.lead, first.responsible, first.due_on) == (
        "1.1", "建设一张网", ("市政府办",), ("市工信局", "市发改委", "各县区政府"), date(2026, 6, 30))
    assert first.text == "建设一张网。统一网络，持续推进整合。"  # wrapped lines joined, brackets dropped
    assert (second.code, second.lead, second.responsible, second.due_on) == (
        "1.2", (), ("市财政局",), date(2026, 9, 15))
    assert (third.code, third.title, third.lead) == ("11.1", "开展评估", ("市审计局",))
    assert plan.warnings == ()


def test_a_task_without_departments_is_kept_with_a_warning() -> None:
    plan = parse_plan("二、主要任务\n(一)基础\n1.做一件事。没有括注。\n")
    assert plan.tasks[0].lead == plan.tasks[0].responsible == ()
    assert plan.warnings == ("任务（一）1“做一件事”：没有写明牵头单位或责任单位",)


@pytest.mark.parametrize(("text", "says"), [
    ("", "没有文字内容"),
    ("一、总体要求\n（一）目标。\n", "找不到“主要任务”"),
    ("二、主要任务\n（一）基础。\n没有编号的文字。\n", "没有编号任务"),
    ("二、主要任务\n（一）基础\n1.甲（责任单位:市财政局）\n1.乙（责任单位:市财政局）\n", "任务编号重复"),
])
def test_plans_that_cannot_be_read_are_refused(text: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says):
        parse_plan(text)


def test_numerals_names_and_deadlines() -> None:
    assert [numeral_value(n) for n in ("一", "十", "十一", "二十", "二十三")] == [1, 10, 11, 20, 23]
    assert [numeral_of(v) for v in (1, 10, 11, 20, 23)] == ["一", "十", "十一", "二十", "二十三"]
    assert split_names("市市场监管局等有关部门、秦皇岛旅控集团等,各县区政府") == (
        "市市场监管局", "秦皇岛旅控集团", "各县区政府")
    assert split_names("市政府各部门") == ("市政府各部门",)
    assert parse_deadline("2025年12月底前") == date(2025, 12, 31)
    assert parse_deadline("2024年2月底") == date(2024, 2, 29)
    assert parse_deadline("长期坚持") is None and parse_deadline("2025年13月") is None


UNITS = (Unit("130300", "秦皇岛市", "city"), Unit("130302", "海港区", "district", "130300"),
         Unit("130300Z01", "秦皇岛经济技术开发区", "zone", "130300"),
         Unit("130300001", "市政府办公室", "department", "130300", "秦皇岛市人民政府办公室"),
         Unit("130300007", "市工信局", "department", "130300"),
         Unit("130302001", "海港区政府办公室", "department", "130302"))
DATA = {"aliases": {"市政府办": "市政府办公室"},
        "groups": {"各县区政府": {"kinds": ["district", "county", "zone"]}, "市政府各部门": {"kinds": ["department"]}},
        "unspecified": ["市政府相关部门"]}


def test_department_words_are_matched_to_the_tree() -> None:
    tree = DepartmentDirectory.of(UNITS, DATA)
    found = match_names(tree, ("市政府办", "秦皇岛市人民政府办公室", "各县区政府", "市政府相关部门", "市大数据局",
                               "市政府各部门"))
    assert found.codes == ("130300001", "130302", "130300Z01", "130300007")  # each once, the district's office
    assert found.unspecified == ("市政府相关部门",)  # not a city department: 130302001 is under 海港区
    assert found.unknown == ("市大数据局",)


def test_who_reports_for_a_county_level_government() -> None:
    tree = DepartmentDirectory.of(UNITS, DATA)
    assert tree.reports_for("130302001", "130302") and tree.reports_for("130300007", "130300007")
    assert not tree.reports_for("130300007", "130302") and not tree.reports_for("130302001", "130300")
    assert not tree.reports_for(None, "130302")
    assert tree.units_of("130302001") == ("130302001", "130302") and tree.units_of("130300007") == ("130300007",)


@pytest.mark.parametrize(("status", "percent", "text", "field"), [
    ("done", 10, "x", "status"), ("in_progress", 101, "x", "percent"), ("completed", 90, "x", "percent"),
    ("in_progress", 100, "x", "status"), ("not_started", 5, "x", "percent"), ("in_progress", 5, "  ", "text"),
    ("in_progress", 5, "长" * 4001, "text"),
])
def test_a_report_must_make_sense(status: str, percent: int, text: str, field: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_report(status, percent, text)
    assert refused.value.field == field


START = datetime(2026, 1, 1, 2, tzinfo=UTC)


def _report(days: int, percent: int, status: Status = Status.IN_PROGRESS) -> Report:
    return Report(status, percent, "进展", START + timedelta(days=days))


def test_report_schedule_overdue_and_stalled() -> None:
    monthly = Cycle.MONTHLY
    fresh = assignment_state([], monthly, START, date(2026, 1, 20))
    assert (fresh.status, fresh.report_due_on, fresh.report_overdue, fresh.stalled) == (
        Status.NOT_STARTED, date(2026, 2, 1), False, False)
    assert assignment_state([], monthly, START, date(2026, 2, 2)).report_overdue

    moving = [_report(10, 20), _report(40, 40), _report(70, 60)]
    state = assignment_state(moving, monthly, START, date(2026, 3, 20))
    assert (state.percent, state.report_due_on, state.report_overdue, state.stalled) == (
        60, date(2026, 4, 12), False, False)

    flat = [_report(10, 20), _report(40, 30), _report(70, 30), _report(100, 30)]  # 30% since day 40
    assert not assignment_state(flat, monthly, START, date(2026, 4, 13)).stalled  # 62 days: not yet
    assert assignment_state(flat, monthly, START, date(2026, 4, 14)).stalled  # 63 days > two cycles
    assert assignment_state([_report(5, 10, Status.BLOCKED)], monthly, START, date(2026, 1, 7)).stalled

    done = assignment_state([_report(5, 100, Status.COMPLETED)], Cycle.WEEKLY, START, date(2027, 1, 1))
    assert not done.report_overdue and not done.stalled


def test_a_task_sums_up_its_departments() -> None:
    today = date(2026, 7, 1)
    done = assignment_state([_report(5, 100, Status.COMPLETED)], Cycle.MONTHLY, START, today)
    half = assignment_state([_report(170, 50)], Cycle.MONTHLY, START, today)
    task = task_state([done, half], date(2026, 6, 30), today)
    assert (task.status, task.percent, task.overdue, task.reports_overdue) == (Status.IN_PROGRESS, 75, True, 0)
    assert task_state([done], date(2026, 6, 30), today).overdue is False
    assert task_state([], None, today).status is Status.NOT_STARTED


def test_plan_files_by_type(tmp_path) -> None:
    assert "主要任务" in plan_text("a.txt", "二、主要任务".encode("gb18030"))
    with pytest.raises(InvalidInput, match="不支持的文件类型"):
        plan_text("a.pdf", b"%PDF-1.7")
    with pytest.raises(InvalidInput, match="不是有效的 DOCX"):
        plan_text("a.docx", "二、主要任务".encode())
    with pytest.raises(InvalidInput, match="空文件"):
        plan_text("a.txt", b"")
    html = plan_text("a.html", b"<p>one</p><script>x()</script><p>two</p>")
    assert html.split() == ["one", "two"]
