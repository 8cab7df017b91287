"""HTML routes of the calendar module: a year's holidays and adjusted working days, and for administrators
the forms that list a day or take it off the list."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from zhengshu.core.calendar import permissions as perms
from zhengshu.core.calendar import service
from zhengshu.core.calendar.domain import DayKind, parse_day
from zhengshu.core.identity import access
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]
KINDS = [(k.value, k.title) for k in DayKind]


def _page(request: Request, uow: UnitOfWork, actor: Actor, year: int | None, status_code: int = 200,
          **extra: object) -> Response:
    context = {
        "calendar": service.list_days(uow, actor, year),
        "can_manage": access.can(actor, perms.MANAGE),  # shows the forms; the service checks again
        "kinds": KINDS,
        **extra,
    }
    return render(request, "calendar/days.html", context, status_code=status_code)


@router.get("/calendar", response_class=HTMLResponse)
def days(request: Request, uow: UnitOfWorkDep, actor: ActorDep,
         year: Annotated[int | None, Query()] = None) -> Response:
    return _page(request, uow, actor, year)


@router.post("/calendar/days", dependencies=CSRF)
def set_day(
    request: Request,
    uow: UnitOfWorkDep,
    actor: ActorDep,
    day: Annotated[str, Form()] = "",
    kind: Annotated[str, Form()] = "",
    name: Annotated[str, Form()] = "",
    year: Annotated[int | None, Form()] = None,
) -> Response:
    form = {"day": day, "kind": kind, "name": name}
    try:
        saved = service.set_day(uow, actor, parse_day(day), kind, name)
    except InvalidInput as exc:  # shown on the form, which keeps what was typed
        return _page(request, uow, actor, year, 400, error=exc.message, form=form)
    return _page(request, uow, actor, saved.day.year,
                 saved=f"已设置 {saved.day.isoformat()}（{saved.weekday}）为{saved.kind_title}：{saved.name}")


@router.post("/calendar/days/remove", dependencies=CSRF)
def remove_day(
    request: Request,
    uow: UnitOfWorkDep,
    actor: ActorDep,
    day: Annotated[str, Form()] = "",
    year: Annotated[int | None, Form()] = None,
) -> Response:
    try:
        removed = service.remove_day(uow, actor, parse_day(day))
    except InvalidInput as exc:
        return _page(request, uow, actor, year, 400, error=exc.message)
    return _page(request, uow, actor, removed.day.year,
                 saved=f"已删除 {removed.day.isoformat()} 的安排（{removed.name}），该日按周末规则计算。")
