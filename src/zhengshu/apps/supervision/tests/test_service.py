"""Supervision use cases on the real database (SQLite and PostgreSQL): reports by the departments assigned,
refusals that read as "not found", overdue and stalled warnings as time passes, the dashboard, the XLSX
report and the home cards. Every write leaves one audit record."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from openpyxl import load_workbook

from zhengshu.apps.supervision import service
from zhengshu.apps.supervision.schemas import PlanImportResult, ProgressInput, Upload
from zhengshu.apps.supervision.tests.conftest import (
    ANALYST,
    HAIGANG,
    HAIGANG_OFFICER,
    MARKET,
    NOBODY,
    POLICE,
    POLICE_APPROVER,
    POLICE_OFFICER,
    SUPERVISOR,
)
from zhengshu.kernel import clock
from zhengshu.kernel.database import metadata
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.modules import Platform

SMALL_PLAN = """测试实施方案
二、主要任务
（一）基础
1.建设一张网。统一网络。（牵头单位：市公安局；责任单位：市市场监管局，各县区政府；完成时限：2026年6月底前）
2.建设一朵云。上云。（责任单位：市公安局、市大数据中心）
（二）应用
1.开发利用。场景。（牵头单位：市政府办；责任单位：市政府相关部门）
三、保障措施
"""


def test_the_migration_matches_the_tables(platform: Platform) -> None:
    with platform.database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert [d for d in compare_metadata(context, metadata) if "supervision_" in str(d)] == []


def _at(monkeypatch: pytest.MonkeyPatch, moment: datetime) -> None:
    monkeypatch.setattr(clock, "now", lambda: moment)


def _tasks(platform: Platform, plan_id: int) -> dict:
    return {t.code: t for t in service.list_tasks(platform.uow(), SUPERVISOR, plan_id)}


@pytest.fixture
def small(seeded: Platform, monkeypatch: pytest.MonkeyPatch) -> PlanImportResult:
    _at(monkeypatch, datetime(2026, 3, 1, 2, tzinfo=UTC))
    return service.import_plan(seeded.uow(), SUPERVISOR, "测试方案.txt", SMALL_PLAN.encode("gb18030"))


def test_import_reports_unknown_names_and_keeps_the_rest(seeded: Platform, small: PlanImportResult,
                                                         audit_trail) -> None:
    assert (small.tasks, small.sections, small.assignments) == (3, 2, 13)  # 1+1+9, 1, 1
    assert small.problems == ["任务（一）2“建设一朵云”：部门树中没有“市大数据中心”"]
    tasks = _tasks(seeded, small.plan_id)
    assert [u.code for u in tasks["1.2"].responsible] == [POLICE] and tasks["1.2"].unknown == ["市大数据中心"]
    assert tasks["2.1"].unspecified == ["市政府相关部门"] and tasks["2.1"].responsible == []
    assert tasks["1.1"].due_on.isoformat() == "2026-06-30"
    assert audit_trail()[-1] == ("supervision.plan_imported", SUPERVISOR.label, f"supervision_plan:{small.plan_id}",
                                 "success")


@pytest.mark.parametrize("actor", [ANALYST, POLICE_OFFICER, NOBODY], ids=["analyst", "officer", "nobody"])
def test_only_supervisors_import(seeded: Platform, actor, sql) -> None:
    with pytest.raises(NotFound):
        service.import_plan(seeded.uow(), actor, "a.txt", SMALL_PLAN.encode())
    assert sql("SELECT count(*) FROM supervision_plans") == [(0,)]


def test_a_bad_file_writes_nothing(seeded: Platform, sql, audit_trail) -> None:
    before = audit_trail()
    with pytest.raises(InvalidInput, match="主要任务"):
        service.import_plan(seeded.uow(), SUPERVISOR, "a.txt", "一、总体要求\n".encode())
    with pytest.raises(InvalidInput, match="报送周期"):
        service.import_plan(seeded.uow(), SUPERVISOR, "a.txt", SMALL_PLAN.encode(), "daily")
    assert sql("SELECT count(*) FROM supervision_tasks") == [(0,)] and audit_trail() == before


def test_a_department_reports_progress(seeded: Platform, small: PlanImportResult, audit_trail) -> None:
    task = _tasks(seeded, small.plan_id)["1.1"]
    saved = service.report_progress(seeded.uow(), POLICE_OFFICER, task.id, ProgressInput(
        status="in_progress", percent=40, text="完成网络规划"), [Upload(file_name="方案.pdf",
                                                                       media_type="application/pdf", content=b"%PDF")])
    assert (saved.organisation.name, saved.percent, saved.status_title) == ("市公安局", 40, "推进中")
    assert audit_trail()[-1] == ("supervision.progress_reported", POLICE_OFFICER.label, f"supervision_task:{task.id}",
                                 "success")
    detail = service.task_detail(seeded.uow(), POLICE_OFFICER, task.id)
    mine = next(a for a in detail.assignments if a.organisation.code == POLICE)
    assert (mine.mine, mine.percent, mine.status) == (True, 40, "in_progress")
    assert detail.task.percent == round(40 / 11) and detail.task.status == "in_progress"
    [report] = detail.reports
    assert report.text == "完成网络规划" and [f.file_name for f in report.attachments] == ["方案.pdf"]
    file = service.attachment_file(seeded.uow(), SUPERVISOR, report.attachments[0].id)
    assert file.content == b"%PDF" and file.media_type == "application/pdf"

    # a district office's data officer reports for its district government
    service.report_progress(seeded.uow(), HAIGANG_OFFICER, task.id, ProgressInput(
        status="completed", percent=100, text="海港区已接入", organisation_code=HAIGANG))
    haigang = next(a for a in service.task_detail(seeded.uow(), SUPERVISOR, task.id).assignments
                   if a.organisation.code == HAIGANG)
    assert haigang.status == "completed"


def test_departments_see_and_report_only_their_tasks(seeded: Platform, small: PlanImportResult, sql) -> None:
    tasks = _tasks(seeded, small.plan_id)
    assert [t.code for t in service.list_tasks(seeded.uow(), POLICE_OFFICER, small.plan_id)] == ["1.1", "1.2"]
    with pytest.raises(NotFound):
        service.task_detail(seeded.uow(), POLICE_OFFICER, tasks["2.1"].id)
    data = ProgressInput(status="in_progress", percent=10, text="x")
    for actor, task, unit in ((POLICE_OFFICER, "2.1", None), (POLICE_OFFICER, "1.1", MARKET),
                              (POLICE_APPROVER, "1.1", None), (SUPERVISOR, "1.1", POLICE),
                              (HAIGANG_OFFICER, "1.2", HAIGANG)):
        with pytest.raises(NotFound):
            service.report_progress(seeded.uow(), actor, tasks[task].id, data.model_copy(
                update={"organisation_code": unit}))
    with pytest.raises(NotFound):
        service.dashboard(seeded.uow(), POLICE_OFFICER, small.plan_id)
    with pytest.raises(NotFound):
        service.list_tasks(seeded.uow(), NOBODY, small.plan_id)
    with pytest.raises(InvalidInput, match="已完成"):
        service.report_progress(seeded.uow(), POLICE_OFFICER, tasks["1.1"].id, ProgressInput(
            status="completed", percent=90, text="x"))
    with pytest.raises(InvalidInput, match="附件"):
        service.report_progress(seeded.uow(), POLICE_OFFICER, tasks["1.1"].id, data,
                                [Upload(file_name="big.bin", media_type="", content=b"0" * (10 * 1024 * 1024 + 1))])
    assert sql("SELECT count(*) FROM supervision_reports") == [(0,)]


def test_overdue_stalled_and_late_as_time_passes(seeded: Platform, small: PlanImportResult,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    task = _tasks(seeded, small.plan_id)["1.1"]
    start = datetime(2026, 3, 1, 2, tzinfo=UTC)
    for days, percent in ((10, 30), (40, 30), (70, 30)):  # 30% since 11 March
        _at(monkeypatch, start + timedelta(days=days))
        service.report_progress(seeded.uow(), POLICE_OFFICER, task.id,
                                ProgressInput(status="in_progress", percent=percent, text=f"第 {days} 天"))
    _at(monkeypatch, start + timedelta(days=75))  # 15 May: 65 days at 30%, more than two monthly cycles
    row = _tasks(seeded, small.plan_id)["1.1"]
    assert (row.stalled, row.overdue) == (True, False)
    assert row.reports_overdue == 10  # the market regulator and nine county governments never reported
    _at(monkeypatch, datetime(2026, 7, 1, 2, tzinfo=UTC))
    row = _tasks(seeded, small.plan_id)["1.1"]
    assert row.overdue and row.status == "in_progress"  # past 30 June and not completed

    board = service.dashboard(seeded.uow(), SUPERVISOR, small.plan_id)
    assert (board.tasks, board.overdue, board.stalled, board.unassigned) == (3, 1, 1, 0)  # 2.1 has its lead
    police = next(d for d in board.departments if d.organisation.code == POLICE)
    assert (police.lead, police.responsible, police.overdue, police.stalled, police.percent) == (1, 1, 1, 1, 15)
    assert [(s.label, s.tasks, s.overdue) for s in board.sections] == [("（一）", 2, 1), ("（二）", 1, 0)]

    supervisor_cards = {c.title: c for c in service.home_cards(seeded.uow(), SUPERVISOR)}
    assert supervisor_cards["逾期未完成的督查任务"].value == 1
    assert supervisor_cards["逾期未完成的督查任务"].tone == "alert"
    assert supervisor_cards["进展停滞的督查任务"].value == 1
    officer_cards = {c.title: c for c in service.home_cards(seeded.uow(), POLICE_OFFICER)}
    assert officer_cards["本部门承担的督查任务"].value == 2
    assert officer_cards["本部门逾期未报送进展的任务"].value == 2  # 1.1 last reported 10 May, 1.2 never
    assert service.home_cards(seeded.uow(), NOBODY) == []


def test_the_xlsx_report(seeded: Platform, small: PlanImportResult) -> None:
    task = _tasks(seeded, small.plan_id)["1.1"]
    service.report_progress(seeded.uow(), POLICE_OFFICER, task.id,
                            ProgressInput(status="in_progress", percent=50, text="=SUM(A1) 不是公式"))
    name, content = service.plan_workbook(seeded.uow(), ANALYST, small.plan_id)
    assert name == "督查台账-测试实施方案.xlsx"
    book = load_workbook(io.BytesIO(content), read_only=True)
    assert book.sheetnames == ["任务", "部门", "分部分", "进展报送"]
    rows = list(book["任务"].values)
    assert rows[0][:3] == ("编号", "部分", "任务") and len(rows) == 4
    assert rows[1][:5] == ("（一）1", "基础", "建设一张网", "市公安局",
                           "市市场监管局、海港区、山海关区、北戴河区、抚宁区、青龙满族自治县、昌黎县、卢龙县、"
                           "秦皇岛经济技术开发区、北戴河新区")
    assert rows[2][5] == "市大数据中心" and rows[3][5] == "市政府相关部门"
    [report] = list(book["进展报送"].values)[1:]
    assert report[:6] == ("（一）1", "建设一张网", "市公安局", "推进中", 50, "=SUM(A1) 不是公式")
    with pytest.raises(NotFound):
        service.plan_workbook(seeded.uow(), POLICE_OFFICER, small.plan_id)


def test_cycle_and_assignment_by_a_supervisor(seeded: Platform, small: PlanImportResult, audit_trail) -> None:
    view = service.set_cycle(seeded.uow(), SUPERVISOR, small.plan_id, "weekly")
    assert (view.cycle, view.cycle_title) == ("weekly", "每周")
    with pytest.raises(InvalidInput):
        service.set_cycle(seeded.uow(), SUPERVISOR, small.plan_id, "hourly")
    with pytest.raises(NotFound):
        service.set_cycle(seeded.uow(), ANALYST, small.plan_id, "monthly")
    task = _tasks(seeded, small.plan_id)["2.1"]
    assert service.assign_department(seeded.uow(), SUPERVISOR, task.id, MARKET) == "市市场监管局"
    assert [u.code for u in _tasks(seeded, small.plan_id)["2.1"].responsible] == [MARKET]
    with pytest.raises(Conflict):
        service.assign_department(seeded.uow(), SUPERVISOR, task.id, MARKET)
    with pytest.raises(InvalidInput):
        service.assign_department(seeded.uow(), SUPERVISOR, task.id, "999")
    assert [a for a, *_ in audit_trail()[-2:]] == ["supervision.cycle_changed", "supervision.department_assigned"]
    assert [p.title for p in service.list_plans(seeded.uow(), POLICE_OFFICER)] == ["测试实施方案"]


def test_the_same_plan_again_is_refused_or_replaced_before_any_report(seeded: Platform, small: PlanImportResult,
                                                                      sql) -> None:
    corrected = SMALL_PLAN.replace("市大数据中心", "市行政审批局").encode()
    with pytest.raises(Conflict, match="已导入同名方案《测试实施方案》"):
        service.import_plan(seeded.uow(), SUPERVISOR, "b.txt", corrected)
    again = service.import_plan(seeded.uow(), SUPERVISOR, "b.txt", corrected, replace=True)
    assert again.problems == [] and again.plan_id != small.plan_id
    assert sql("SELECT count(*) FROM supervision_plans") == [(1,)]
    assert sql("SELECT count(*) FROM supervision_tasks") == [(3,)]
    task = _tasks(seeded, again.plan_id)["1.2"]
    service.report_progress(seeded.uow(), POLICE_OFFICER, task.id,
                            ProgressInput(status="in_progress", percent=10, text="启动"))
    with pytest.raises(Conflict, match="已有 1 条进展报送"):
        service.import_plan(seeded.uow(), SUPERVISOR, "b.txt", corrected, replace=True)
    assert [t.code for t in service.list_tasks(seeded.uow(), SUPERVISOR, again.plan_id)] == ["1.1", "1.2", "2.1"]
