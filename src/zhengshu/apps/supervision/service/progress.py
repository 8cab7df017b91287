"""Tasks and their progress: the task lists (all of them for supervisors, a department's own for its data
officer), a task's page, and a department's progress report with its attachments."""

from __future__ import annotations

from zhengshu.apps.supervision import permissions as perms
from zhengshu.apps.supervision import queries, repository
from zhengshu.apps.supervision.domain.progress import STATUS_TITLES, Status, check_report
from zhengshu.apps.supervision.events import ProgressReported
from zhengshu.apps.supervision.schemas import (
    AttachmentView,
    ProgressInput,
    ReportView,
    TaskDetail,
    TaskRow,
    UnitRef,
    Upload,
)
from zhengshu.apps.supervision.service._common import PlanState, directory, read_plan, reporting_units
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork

MAX_ATTACHMENT = 10 * 1024 * 1024  # per file
MAX_ATTACHMENTS = 5


def _visible(uow: UnitOfWork, actor: Actor, plan_id: int) -> tuple[PlanState, bool]:
    """The plan's state for an actor who oversees it (everything) or reports on some of its tasks; whether the
    actor oversees."""
    oversees = access.can(actor, perms.OVERSEE)
    mine = reporting_units(uow, actor)
    if not oversees and not mine:
        raise access.hidden()
    return read_plan(uow, plan_id, mine), oversees


def _is_mine(state: PlanState, task: TaskRow) -> bool:
    return any(a.mine for a in state.assignments.get(task.id, []))


def list_tasks(uow: UnitOfWork, actor: Actor, plan_id: int, mine_only: bool = False) -> list[TaskRow]:
    """The plan's tasks in outline order: every task for supervisors (or only their own department's when
    `mine_only`), a department's own tasks for its data officer."""
    state, oversees = _visible(uow, actor, plan_id)
    if oversees and not mine_only:
        return state.tasks
    return [t for t in state.tasks if _is_mine(state, t)]


def _reports(uow: UnitOfWork, state: PlanState, task_id: int) -> list[ReportView]:
    rows = [r for r in state.reports if r["task_id"] == task_id]
    with uow.reading() as session:
        files = queries.report_attachments(session, [r["id"] for r in rows])
    by_report: dict[int, list[AttachmentView]] = {}
    for f in files:
        by_report.setdefault(f["report_id"], []).append(
            AttachmentView(id=f["id"], file_name=f["file_name"], size=f["size"]))
    return [ReportView(id=r["id"], organisation=UnitRef(code=r["organisation_code"], name=r["organisation_name"]),
                       status=r["status"], status_title=STATUS_TITLES[Status(r["status"])], percent=r["percent"],
                       text=r["text"], reported_at=clock.as_utc(r["reported_at"]),
                       reported_by_name=r["reported_by_name"], attachments=by_report.get(r["id"], []))
            for r in reversed(rows)]  # newest first


def task_detail(uow: UnitOfWork, actor: Actor, task_id: int) -> TaskDetail:
    """A task with its departments' states and every report, newest first. A data officer sees only the tasks
    of its department."""
    with uow.reading() as session:
        plan_id = queries.task_plan(session, task_id)
    if plan_id is None:
        raise access.hidden()
    state, oversees = _visible(uow, actor, plan_id)
    task = next(t for t in state.tasks if t.id == task_id)
    if not oversees and not _is_mine(state, task):
        raise access.hidden()
    assignments = state.assignments.get(task_id, [])
    return TaskDetail(task=task, text=state.texts[task_id], plan=state.plan, assignments=assignments,
                      reports=_reports(uow, state, task_id),
                      can_report_for=[a.organisation for a in assignments if a.mine])


def _check_uploads(uploads: list[Upload]) -> list[Upload]:
    files = [u for u in uploads if u.file_name or u.content]
    if len(files) > MAX_ATTACHMENTS:
        raise InvalidInput(f"每次最多上传 {MAX_ATTACHMENTS} 个附件。", field="attachments")
    for upload in files:
        if not upload.file_name.strip():
            raise InvalidInput("附件缺少文件名。", field="attachments")
        if not upload.content:
            raise InvalidInput(f"附件 {upload.file_name} 是空文件。", field="attachments")
        if len(upload.content) > MAX_ATTACHMENT:
            raise InvalidInput(f"附件 {upload.file_name} 超过 {MAX_ATTACHMENT // 1024 // 1024} MiB。",
                               field="attachments")
    return files


def report_progress(uow: UnitOfWork, actor: Actor, task_id: int, data: ProgressInput,
                    uploads: list[Upload] | None = None) -> ReportView:
    """A department's data officer reports its progress on a task it is assigned (for a county-level government,
    any of its departments' data officers may): status, percentage, what was done, attachments."""
    access.require(actor, perms.REPORT, department=actor.department_code)
    tree = directory(uow, actor)
    unit = data.organisation_code or actor.department_code
    if unit is None or not tree.reports_for(actor.department_code, unit):
        raise access.hidden()
    status, percent, text = check_report(data.status, data.percent, data.text)
    files = _check_uploads(uploads or [])
    with uow:
        assignment = repository.assignment_id(uow.session, task_id, unit)
        if assignment is None:
            raise access.hidden()
        now = clock.now()
        report_id = repository.add_report(uow.session, assignment, status=status.value, percent=percent, text=text,
                                          at=now, by=actor.label, by_name=actor.name)
        attached = [AttachmentView(id=repository.add_attachment(
            uow.session, report_id, upload.file_name.strip()[:255], upload.media_type or "application/octet-stream",
            upload.content), file_name=upload.file_name.strip()[:255], size=len(upload.content)) for upload in files]
        uow.emit(ProgressReported(actor=actor, target=f"supervision_task:{task_id}", organisation_code=unit,
                                  status=status.value, percent=percent,
                                  attachments=tuple(u.file_name for u in files)))
        uow.commit()
    return ReportView(id=report_id, organisation=UnitRef(code=unit, name=tree.name_of(unit)), status=status.value,
                      status_title=status.title, percent=percent, text=text, reported_at=now,
                      reported_by_name=actor.name, attachments=attached)


def attachment_file(uow: UnitOfWork, actor: Actor, attachment_id: int) -> Upload:
    """An attachment, for those who may see its task."""
    with uow.reading() as session:
        row = queries.attachment(session, attachment_id)
    if row is None:
        raise access.hidden()
    task_detail(uow, actor, row["task_id"])  # the same visibility as the task
    return Upload(file_name=row["file_name"], media_type=row["media_type"], content=row["content"])
