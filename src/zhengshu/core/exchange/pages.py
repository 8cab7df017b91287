"""HTML routes of the exchange: 数据传输统一监测 (the data authority's view of the exchange traffic), 本部门数据
使用 (a provider's view of who used its resources) and 谁查询了我的数据 (a citizen's view of reads about them)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhengshu.core.exchange import permissions as perms
from zhengshu.core.exchange import service
from zhengshu.core.identity import access
from zhengshu.kernel.errors import InvalidInput
from zhengshu.web.dependencies import ActorDep, OptionalActorDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)


def _day(text: str | None, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("日期格式应为 YYYY-MM-DD。", field=field) from None


@router.get("/exchange/monitor", response_class=HTMLResponse)
def monitor(request: Request, uow: UnitOfWorkDep, actor: ActorDep, since: str | None = None,
            until: str | None = None) -> Response:
    try:
        summary = service.monitor_summary(uow, actor, _day(since, "since"), _day(until, "until"))
    except InvalidInput as exc:  # a bad period: the default one, with the reason
        summary = service.monitor_summary(uow, actor)
        return render(request, "exchange/monitor.html", {"summary": summary, "error": exc.message},
                      status_code=400)
    return render(request, "exchange/monitor.html", {"summary": summary})


@router.get("/exchange/consumers", response_class=HTMLResponse)
def consumers(request: Request, uow: UnitOfWorkDep, actor: ActorDep, provider: str | None = None,
              days: int = service.CONSUMERS_DAYS) -> Response:
    uses = service.consumers_of(uow, actor, provider, days)
    return render(request, "exchange/consumers.html",
                  {"uses": uses, "provider": provider or actor.department_code or "", "days": days})


@router.get("/my/reads", response_class=HTMLResponse)
def my_reads(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep) -> Response:
    if not access.can(actor, perms.VIEW_MY_READS):  # a citizen signed in as themselves
        return RedirectResponse("/my/login", status_code=303)
    return render(request, "exchange/my_reads.html", {"reads": service.reads_about_me(uow, actor)})
