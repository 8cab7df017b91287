"""Plans: import one and assign its tasks, list them, change the report cycle, put a department on a task.

Unknown department names do not refuse the import: every task is imported, the names the tree lacks are kept
on their task and reported (task and name) for a supervisor to fix — by adding an alias to
`seed/departments.json` and importing again, or by assigning the department on the task's page. A plan whose
task chapter cannot be read at all is refused and nothing is written.
"""

from __future__ import annotations

from zhengshu.apps.supervision import permissions as perms
from zhengshu.apps.supervision import queries, repository
from zhengshu.apps.supervision.domain.departments import match_names
from zhengshu.apps.supervision.domain.documents import plan_text
from zhengshu.apps.supervision.domain.plan import parse_plan
from zhengshu.apps.supervision.domain.progress import Cycle, parse_cycle
from zhengshu.apps.supervision.events import CycleChanged, DepartmentAssigned, PlanImported
from zhengshu.apps.supervision.schemas import PlanImportResult, PlanView
from zhengshu.apps.supervision.service._common import ROLE_TITLES, directory, plan_view, task_label
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork


def import_plan(uow: UnitOfWork, actor: Actor, file_name: str, content: bytes,
                cycle: str = Cycle.MONTHLY.value, replace: bool = False) -> PlanImportResult:
    """Read the plan file (TXT, DOCX, HTML), extract the tasks of its 主要任务 chapter and assign each to the
    departments it names: 牵头单位 as lead, 责任单位 as responsible (a department named as both is lead).

    A plan of the same title is refused, unless `replace` and no department has reported on it yet (a
    supervisor who added an alias imports the corrected plan again)."""
    access.require(actor, perms.MANAGE)
    report_cycle = parse_cycle(cycle)
    draft = parse_plan(plan_text(file_name, content))
    tree = directory(uow, actor)
    problems = list(draft.warnings)
    unknown_all: list[str] = []
    now = clock.now()
    assigned = 0
    with uow:
        replaced = _replaceable(uow, draft.title, replace)
        plan_id = repository.add_plan(uow.session, title=draft.title, file_name=file_name[:255],
                                      cycle=report_cycle.value, at=now, by=actor.label, by_name=actor.name)
        repository.add_sections(uow.session, plan_id, ((s.number, s.title) for s in draft.sections))
        for task in draft.tasks:
            lead = match_names(tree, task.lead)
            responsible = match_names(tree, task.responsible)
            unknown = [*lead.unknown, *responsible.unknown]
            problems.extend(f"任务{task_label(task.section, task.number)}“{task.title}”：部门树中没有“{name}”"
                            for name in unknown)
            unknown_all.extend(n for n in unknown if n not in unknown_all)
            task_id = repository.add_task(
                uow.session, plan_id, section=task.section, number=task.number, title=task.title[:200],
                text=task.text, due_on=task.due_on, lead=list(task.lead), responsible=list(task.responsible),
                unspecified=[*lead.unspecified, *responsible.unspecified], unknown=unknown)
            rows = [{"task_id": task_id, "organisation_code": code, "organisation_name": tree.name_of(code),
                     "role": "lead", "assigned_at": now} for code in lead.codes]
            rows += [{"task_id": task_id, "organisation_code": code, "organisation_name": tree.name_of(code),
                      "role": "responsible", "assigned_at": now} for code in responsible.codes
                     if code not in lead.codes]
            repository.add_assignments(uow.session, rows)
            assigned += len(rows)
        uow.emit(PlanImported(actor=actor, target=f"supervision_plan:{plan_id}", title=draft.title,
                              file_name=file_name, tasks=len(draft.tasks), assignments=assigned,
                              unknown_names=tuple(unknown_all), replaced=replaced))
        uow.commit()
    return PlanImportResult(plan_id=plan_id, title=draft.title, sections=len(draft.sections),
                            tasks=len(draft.tasks), assignments=assigned, problems=problems)


def _replaceable(uow: UnitOfWork, title: str, replace: bool) -> int | None:
    """The id of the same-titled plan, deleted when it may be replaced; None when there is none."""
    existing = repository.plan_named(uow.session, title)
    if existing is None:
        return None
    plan_id, reports = existing
    if not replace:
        raise Conflict(f"已导入同名方案《{title}》（编号 {plan_id}）。如需按新文件重新导入，请选择替换"
                       "（仅限尚无进展报送的方案）。", field="file")
    if reports:
        raise Conflict(f"方案《{title}》已有 {reports} 条进展报送，不能替换；请在任务页面指派部门。", field="file")
    repository.delete_plan(uow.session, plan_id)
    return plan_id


def list_plans(uow: UnitOfWork, actor: Actor) -> list[PlanView]:
    """Every imported plan, newest first: supervisors oversee them all, a department's data officer sees the
    plans (and on them only its own tasks)."""
    if not access.can(actor, perms.REPORT, department=actor.department_code):
        access.require(actor, perms.OVERSEE)
    with uow.reading() as session:
        return [plan_view(row) for row in queries.list_plans(session)]


def set_cycle(uow: UnitOfWork, actor: Actor, plan_id: int, cycle: str) -> PlanView:
    """Change how often the plan's departments report (每周 / 每月 / 每季度)."""
    access.require(actor, perms.MANAGE)
    new = parse_cycle(cycle)
    with uow:
        previous = repository.plan_cycle(uow.session, plan_id)
        if previous is None:
            raise access.hidden()
        if previous != new.value:
            repository.set_cycle(uow.session, plan_id, new.value)
            uow.emit(CycleChanged(actor=actor, target=f"supervision_plan:{plan_id}", cycle=new.value,
                                  previous=previous))
        uow.commit()
    with uow.reading() as session:
        return plan_view(queries.plan(session, plan_id))


def assign_department(uow: UnitOfWork, actor: Actor, task_id: int, organisation_code: str,
                      role: str = "responsible") -> str:
    """Put a department on a task (one the plan left as 相关部门, or named in words the tree lacked); returns
    its name."""
    access.require(actor, perms.MANAGE)
    if role not in ROLE_TITLES:
        raise InvalidInput("分工应为 lead（牵头）或 responsible（责任）。", field="role")
    tree = directory(uow, actor)
    name = tree.name_of(organisation_code)
    if name == organisation_code:
        raise InvalidInput(f"部门代码不存在：{organisation_code}", field="organisation_code")
    with uow:
        if queries.task_plan(uow.session, task_id) is None:
            raise access.hidden()
        if repository.assignment_id(uow.session, task_id, organisation_code) is not None:
            raise Conflict(f"{name}已承担该任务。", field="organisation_code")
        repository.add_assignments(uow.session, [{"task_id": task_id, "organisation_code": organisation_code,
                                                   "organisation_name": name, "role": role,
                                                   "assigned_at": clock.now()}])
        uow.emit(DepartmentAssigned(actor=actor, target=f"supervision_task:{task_id}",
                                    organisation_code=organisation_code, role=role))
        uow.commit()
    return name
