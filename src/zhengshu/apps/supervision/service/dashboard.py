"""What supervisors read: a plan's dashboard by department and by section, its XLSX report (督查台账), and
the home-page cards (overdue and stalled tasks, late reports) for supervisors and for reporting departments."""

from __future__ import annotations

from collections import defaultdict

from zhengshu.apps.supervision import permissions as perms
from zhengshu.apps.supervision import queries
from zhengshu.apps.supervision.domain.progress import STATUS_TITLES, Status
from zhengshu.apps.supervision.domain.workbook import workbook_bytes
from zhengshu.apps.supervision.schemas import Dashboard, DepartmentRow, SectionRow
from zhengshu.apps.supervision.service._common import PlanState, read_plan, reporting_units, task_label
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Card


def _mean(values: list[int]) -> int:
    return round(sum(values) / len(values)) if values else 0


def _dashboard(state: PlanState) -> Dashboard:
    tasks = state.tasks
    overdue = {t.id for t in tasks if t.overdue}
    departments: dict[str, dict] = {}
    for task_id, assigned in state.assignments.items():
        for a in assigned:
            row = departments.setdefault(a.organisation.code, {
                "organisation": a.organisation, "lead": 0, "responsible": 0, "completed": 0, "overdue": 0,
                "stalled": 0, "reports_overdue": 0, "percents": []})
            row[a.role] += 1
            row["completed"] += a.status == Status.COMPLETED
            row["overdue"] += task_id in overdue and a.status != Status.COMPLETED
            row["stalled"] += a.stalled
            row["reports_overdue"] += a.report_overdue
            row["percents"].append(a.percent)
    by_section: dict[int, list] = defaultdict(list)
    for t in tasks:
        by_section[t.section].append(t)
    sections = [SectionRow(section=n, label=task_label(n, 0)[:-1], title=state.sections.get(n, ""),
                           tasks=len(ts), completed=sum(t.status == Status.COMPLETED for t in ts),
                           overdue=sum(t.overdue for t in ts), stalled=sum(t.stalled for t in ts),
                           percent=_mean([t.percent for t in ts]))
                for n, ts in sorted(by_section.items())]
    rows = [DepartmentRow(percent=_mean(r.pop("percents")), **r) for r in departments.values()]
    rows.sort(key=lambda r: (-(r.overdue + r.reports_overdue + r.stalled), r.percent, r.organisation.code))
    return Dashboard(
        plan=state.plan, tasks=len(tasks), completed=sum(t.status == Status.COMPLETED for t in tasks),
        in_progress=sum(t.status in (Status.IN_PROGRESS, Status.BLOCKED) for t in tasks),
        overdue=len(overdue), stalled=sum(t.stalled for t in tasks),
        reports_overdue=sum(t.reports_overdue for t in tasks), percent=_mean([t.percent for t in tasks]),
        unassigned=sum(not (t.lead or t.responsible) for t in tasks), sections=sections, departments=rows)


def dashboard(uow: UnitOfWork, actor: Actor, plan_id: int) -> Dashboard:
    """The plan at a glance: totals, each section, each department (the ones with problems first)."""
    access.require(actor, perms.OVERSEE)
    return _dashboard(read_plan(uow, plan_id))


def _names(units: list) -> str:
    return "、".join(u.name for u in units)


def plan_workbook(uow: UnitOfWork, actor: Actor, plan_id: int) -> tuple[str, bytes]:
    """The plan's 督查台账 as XLSX: tasks, departments, sections, and every report; returns its file name."""
    access.require(actor, perms.OVERSEE)
    state = read_plan(uow, plan_id)
    board = _dashboard(state)
    yes = {True: "是", False: ""}
    tasks = [(t.label, t.section_title, t.title, _names(t.lead), _names(t.responsible),
              "、".join(t.unspecified + t.unknown), t.due_on.isoformat() if t.due_on else "", t.status_title,
              t.percent, yes[t.overdue], yes[t.stalled], t.reports_overdue, state.texts[t.id]) for t in state.tasks]
    departments = [(d.organisation.name, d.lead, d.responsible, d.completed, d.percent, d.overdue, d.stalled,
                    d.reports_overdue) for d in board.departments]
    sections = [(s.label, s.title, s.tasks, s.completed, s.percent, s.overdue, s.stalled) for s in board.sections]
    labels = {t.id: (t.label, t.title) for t in state.tasks}
    reports = [(*labels[r["task_id"]], r["organisation_name"], STATUS_TITLES[Status(r["status"])], r["percent"],
                r["text"], clock.for_display(r["reported_at"]), r["reported_by_name"]) for r in state.reports]
    content = workbook_bytes([
        ("任务", (("编号", 8), ("部分", 28), ("任务", 30), ("牵头单位", 24), ("责任单位", 30), ("待指派/未识别", 20),
                ("完成时限", 12), ("状态", 8), ("完成%", 8), ("逾期", 6), ("停滞", 6), ("逾期未报", 8),
                ("任务内容", 60)), tasks),
        ("部门", (("单位", 28), ("牵头任务", 10), ("责任任务", 10), ("已完成", 8), ("平均完成%", 10), ("逾期", 6),
                ("停滞", 6), ("逾期未报", 8)), departments),
        ("分部分", (("部分", 8), ("标题", 36), ("任务数", 8), ("已完成", 8), ("平均完成%", 10), ("逾期", 6),
                 ("停滞", 6)), sections),
        ("进展报送", (("编号", 8), ("任务", 30), ("单位", 24), ("状态", 8), ("完成%", 8), ("进展情况", 60),
                  ("报送时间", 20), ("报送人", 14)), reports),
    ])
    return f"督查台账-{state.plan.title[:40]}.xlsx", content


def home_cards(uow: UnitOfWork, actor: Actor) -> list[Card]:
    """For supervisors: overdue and stalled tasks and late reports across the plans (red when any is overdue).
    For a reporting department: its tasks and those whose report is due."""
    with uow.reading() as session:
        plans = [row["id"] for row in queries.list_plans(session)]
    if not plans:
        return []
    if access.can(actor, perms.OVERSEE):
        states = [read_plan(uow, plan_id) for plan_id in plans]
        tasks = [t for s in states for t in s.tasks]
        overdue, stalled = sum(t.overdue for t in tasks), sum(t.stalled for t in tasks)
        late = sum(t.reports_overdue for t in tasks)
        link = f"/supervision/plans/{plans[0]}"
        return [
            Card("逾期未完成的督查任务", overdue, f"{link}?show=overdue", "alert" if overdue else "normal"),
            Card("进展停滞的督查任务", stalled, f"{link}?show=stalled", "warning" if stalled else "normal"),
            Card("逾期未报送的任务进展", late, link, "warning" if late else "normal", "按部门 × 任务计"),
        ]
    mine = reporting_units(uow, actor)
    if not mine:
        return []
    assigned = [a for plan_id in plans for group in read_plan(uow, plan_id, mine).assignments.values()
                for a in group if a.mine]
    due = sum(a.report_overdue for a in assigned)
    return [Card("本部门承担的督查任务", len(assigned), "/supervision/mine"),
            Card("本部门逾期未报送进展的任务", due, "/supervision/mine", "alert" if due else "normal")]
