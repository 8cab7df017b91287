"""HTML routes of the supervision module: the plans and the import form, a plan's dashboard (by section and by
department) with its task list and XLSX export, a department's own tasks, and a task's page with its progress
reports and the report form."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhengshu.apps.supervision import permissions as perms
from zhengshu.apps.supervision import service
from zhengshu.apps.supervision.domain.progress import STATUS_TITLES, Cycle
from zhengshu.apps.supervision.schemas import ProgressInput, Upload
from zhengshu.core.identity import access
from zhengshu.core.identity import service as identity
from zhengshu.kernel.errors import Conflict, InvalidInput
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CYCLES = [(c.value, c.title) for c in Cycle]
STATUSES = [(s.value, t) for s, t in STATUS_TITLES.items()]
SHOWN = {"all": "全部任务", "overdue": "逾期未完成", "stalled": "进展停滞", "late": "逾期未报送"}


def _attachment(name: str, prefix: str) -> str:
    """Content-Disposition with the UTF-8 name (RFC 6266/5987) and an ASCII stand-in for old clients."""
    plain = prefix + re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("_-")
    return f"attachment; filename=\"{plain}\"; filename*=UTF-8''{quote(name, safe='')}"


def _plans_page(request: Request, uow, actor, status_code: int = 200, **extra: object) -> Response:
    context = {"plans": service.list_plans(uow, actor), "can_manage": access.can(actor, perms.MANAGE),
               "cycles": CYCLES, **extra}
    return render(request, "supervision/plans.html", context, status_code=status_code)


@router.get("/supervision", response_class=HTMLResponse)
def plans(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    if not access.can(actor, perms.OVERSEE):
        return RedirectResponse("/supervision/mine", status_code=303)
    return _plans_page(request, uow, actor)


@router.post("/supervision/plans", dependencies=CSRF)
def import_plan(request: Request, uow: UnitOfWorkDep, actor: ActorDep, file: Annotated[UploadFile, File()],
                cycle: Annotated[str, Form()] = "monthly", replace: Annotated[bool, Form()] = False) -> Response:
    try:
        result = service.import_plan(uow, actor, file.filename or "", file.file.read(), cycle, replace)
    except (InvalidInput, Conflict) as exc:  # the file could not be read: said on the form, nothing imported
        return _plans_page(request, uow, actor, 400, error=exc.message)
    return _plans_page(request, uow, actor, imported=result)


@router.get("/supervision/plans/{plan_id}", response_class=HTMLResponse)
def plan(request: Request, uow: UnitOfWorkDep, actor: ActorDep, plan_id: int,
         show: Annotated[str, Query()] = "all") -> Response:
    board = service.dashboard(uow, actor, plan_id)
    tasks = service.list_tasks(uow, actor, plan_id)
    chosen = show if show in SHOWN else "all"
    shown = [t for t in tasks if chosen == "all" or (chosen == "overdue" and t.overdue)
             or (chosen == "stalled" and t.stalled) or (chosen == "late" and t.reports_overdue)]
    chart = {"sections": [s.label for s in board.sections], "titles": [s.title for s in board.sections],
             "percent": [s.percent for s in board.sections]}
    return render(request, "supervision/plan.html", {
        "board": board, "tasks": shown, "show": chosen, "shown_titles": SHOWN, "chart": chart,
        "can_manage": access.can(actor, perms.MANAGE), "cycles": CYCLES})


@router.post("/supervision/plans/{plan_id}/cycle", dependencies=CSRF)
def set_cycle(uow: UnitOfWorkDep, actor: ActorDep, plan_id: int, cycle: Annotated[str, Form()] = "") -> Response:
    service.set_cycle(uow, actor, plan_id, cycle)
    return RedirectResponse(f"/supervision/plans/{plan_id}", status_code=303)


@router.get("/supervision/plans/{plan_id}/report.xlsx")
def workbook(uow: UnitOfWorkDep, actor: ActorDep, plan_id: int) -> Response:
    name, content = service.plan_workbook(uow, actor, plan_id)
    return Response(content, media_type=XLSX, headers={"Content-Disposition": _attachment(name, "supervision-")})


@router.get("/supervision/mine", response_class=HTMLResponse)
def mine(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    """The tasks of the signed-in officer's department, plan by plan."""
    plans = service.list_plans(uow, actor)
    groups = [(p, service.list_tasks(uow, actor, p.id, mine_only=True)) for p in plans]
    return render(request, "supervision/mine.html", {"groups": [(p, ts) for p, ts in groups if ts]})


def _task_page(request: Request, uow, actor, task_id: int, status_code: int = 200, **extra: object) -> Response:
    detail = service.task_detail(uow, actor, task_id)
    can_manage = access.can(actor, perms.MANAGE)
    organisations = identity.list_organisations(uow, actor) if can_manage else []
    assigned = {a.organisation.code for a in detail.assignments}
    context = {"detail": detail, "statuses": STATUSES, "can_manage": can_manage,
               "candidates": [o for o in organisations if o.code not in assigned and o.parent_code], **extra}
    return render(request, "supervision/task.html", context, status_code=status_code)


@router.get("/supervision/tasks/{task_id}", response_class=HTMLResponse)
def task(request: Request, uow: UnitOfWorkDep, actor: ActorDep, task_id: int) -> Response:
    return _task_page(request, uow, actor, task_id)


@router.post("/supervision/tasks/{task_id}/reports", dependencies=CSRF)
def report(request: Request, uow: UnitOfWorkDep, actor: ActorDep, task_id: int,
           status: Annotated[str, Form()] = "", percent: Annotated[str, Form()] = "",
           text: Annotated[str, Form()] = "", organisation_code: Annotated[str, Form()] = "",
           attachments: Annotated[list[UploadFile] | None, File()] = None) -> Response:
    form = {"status": status, "percent": percent, "text": text, "organisation_code": organisation_code}
    uploads = [Upload(file_name=f.filename or "", media_type=f.content_type or "", content=f.file.read())
               for f in attachments or [] if f.filename]
    try:
        if not re.fullmatch(r"\s*-?\d{1,3}\s*", percent):
            raise InvalidInput("完成百分比应为 0 到 100 之间的整数。", field="percent")
        data = ProgressInput(status=status, percent=int(percent), text=text,
                             organisation_code=organisation_code or None)
        saved = service.report_progress(uow, actor, task_id, data, uploads)
    except InvalidInput as exc:  # shown on the form, which keeps what was typed
        return _task_page(request, uow, actor, task_id, 400, error=exc.message, form=form)
    return _task_page(request, uow, actor, task_id,
                      saved=f"已报送{saved.organisation.name}的进展：{saved.status_title}，{saved.percent}%")


@router.post("/supervision/tasks/{task_id}/assign", dependencies=CSRF)
def assign(request: Request, uow: UnitOfWorkDep, actor: ActorDep, task_id: int,
           organisation_code: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "responsible") -> Response:
    try:
        name = service.assign_department(uow, actor, task_id, organisation_code, role)
    except (InvalidInput, Conflict) as exc:
        return _task_page(request, uow, actor, task_id, 400, error=exc.message)
    return _task_page(request, uow, actor, task_id, saved=f"已指派{name}承担该任务。")


@router.get("/supervision/attachments/{attachment_id}")
def attachment(uow: UnitOfWorkDep, actor: ActorDep, attachment_id: int) -> Response:
    file = service.attachment_file(uow, actor, attachment_id)
    return Response(file.content, media_type=file.media_type,
                    headers={"Content-Disposition": _attachment(file.file_name, "attachment-")})
