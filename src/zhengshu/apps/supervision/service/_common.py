"""What the supervision use cases share: the department directory (the identity module's tree and the alias
data), today in the city, and a plan read whole with every task's and assignment's state computed."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from importlib import resources

from zhengshu.apps.supervision import permissions as perms
from zhengshu.apps.supervision import queries
from zhengshu.apps.supervision.domain.departments import DepartmentDirectory, Unit
from zhengshu.apps.supervision.domain.plan import numeral_of
from zhengshu.apps.supervision.domain.progress import (
    AssignmentState,
    Cycle,
    Report,
    Status,
    assignment_state,
    task_state,
)
from zhengshu.apps.supervision.schemas import AssignmentView, PlanView, TaskRow, UnitRef
from zhengshu.core.identity import access
from zhengshu.core.identity import service as identity
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.unit_of_work import UnitOfWork

ROLE_TITLES = {"lead": "牵头", "responsible": "责任"}


def city_today() -> date:
    return clock.now().astimezone(clock.DISPLAY_ZONE).date()


def alias_data() -> dict:
    text = resources.files("zhengshu.apps.supervision").joinpath("seed/departments.json").read_text("utf-8")
    return json.loads(text)


def directory(uow: UnitOfWork, actor: Actor) -> DepartmentDirectory:
    """The department tree as the identity module keeps it, with the words plans use for its units."""
    units = [Unit(o.code, o.name, o.kind, o.parent_code, o.full_name)
             for o in identity.list_organisations(uow, actor)]
    return DepartmentDirectory.of(units, alias_data())


def reporting_units(uow: UnitOfWork, actor: Actor) -> tuple[str, ...]:
    """The units the actor reports for (its department, and its county-level government), if it reports."""
    if not access.can(actor, perms.REPORT, department=actor.department_code):
        return ()
    return directory(uow, actor).units_of(actor.department_code)


def plan_view(row) -> PlanView:
    cycle = Cycle(row["cycle"])
    return PlanView(id=row["id"], title=row["title"], file_name=row["file_name"], cycle=cycle.value,
                    cycle_title=cycle.title, imported_at=clock.as_utc(row["imported_at"]),
                    imported_by_name=row["imported_by_name"], tasks=row["tasks"])


def task_label(section: int, number: int) -> str:
    return f"（{numeral_of(section)}）{number}"


@dataclass(frozen=True)
class PlanState:
    """A plan with every task's row and every assignment's state on `today`."""

    plan: PlanView
    sections: dict[int, str]
    tasks: list[TaskRow]
    texts: dict[int, str]
    assignments: dict[int, list[AssignmentView]]  # by task id
    reports: list  # report rows, oldest first


def read_plan(uow: UnitOfWork, plan_id: int, mine: tuple[str, ...] = (), today: date | None = None) -> PlanState:
    """Everything about the plan (NotFound when there is none); `mine` marks the assignments the caller reports
    for. Permissions are the caller's business."""
    today = today or city_today()
    with uow.reading() as session:
        row = queries.plan(session, plan_id)
        if row is None:
            raise access.hidden()
        sections = queries.plan_sections(session, plan_id)
        task_rows = queries.plan_tasks(session, plan_id)
        assignment_rows = queries.plan_assignments(session, plan_id)
        report_rows = queries.plan_reports(session, plan_id)
    plan = plan_view(row)
    cycle = Cycle(plan.cycle)
    reported: dict[int, list[Report]] = defaultdict(list)
    for r in report_rows:
        reported[r["assignment_id"]].append(
            Report(Status(r["status"]), r["percent"], r["text"], clock.as_utc(r["reported_at"])))
    by_task: dict[int, list[AssignmentView]] = defaultdict(list)
    states: dict[int, list[AssignmentState]] = defaultdict(list)
    for a in assignment_rows:
        state = assignment_state(reported[a["id"]], cycle, clock.as_utc(a["assigned_at"]), today)
        states[a["task_id"]].append(state)
        by_task[a["task_id"]].append(AssignmentView(
            id=a["id"], organisation=UnitRef(code=a["organisation_code"], name=a["organisation_name"]),
            role=a["role"], role_title=ROLE_TITLES[a["role"]], status=state.status.value,
            status_title=state.status.title, percent=state.percent, last_reported_at=state.last_reported_at,
            report_due_on=state.report_due_on, report_overdue=state.report_overdue, stalled=state.stalled,
            mine=a["organisation_code"] in mine))
    tasks = []
    for t in task_rows:
        assigned = by_task[t["id"]]
        state = task_state(states[t["id"]], t["due_on"], today)
        tasks.append(TaskRow(
            id=t["id"], plan_id=plan_id, code=f"{t['section']}.{t['number']}",
            label=task_label(t["section"], t["number"]), section=t["section"],
            section_title=sections.get(t["section"], ""), title=t["title"], due_on=t["due_on"],
            lead=[a.organisation for a in assigned if a.role == "lead"],
            responsible=[a.organisation for a in assigned if a.role == "responsible"],
            unspecified=list(t["unspecified"]), unknown=list(t["unknown"]), status=state.status.value,
            status_title=state.status.title, percent=state.percent, overdue=state.overdue, stalled=state.stalled,
            reports_overdue=state.reports_overdue))
    return PlanState(plan, sections, tasks, {t["id"]: t["text"] for t in task_rows}, dict(by_task),
                     report_rows)
