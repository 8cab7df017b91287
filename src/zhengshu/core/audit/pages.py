"""HTML routes of the audit module: the log with filters and pages, CSV export, chain verification."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response, StreamingResponse

from zhengshu.core.audit import service
from zhengshu.core.audit.domain import make_filter
from zhengshu.kernel import clock
from zhengshu.kernel.errors import InvalidInput
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)

Text = Annotated[str | None, Query()]
Since = Annotated[str | None, Query(alias="from")]
Until = Annotated[str | None, Query(alias="to")]
Who = Annotated[str | None, Query(alias="actor")]


def _form(who: str | None, department: str | None, action: str | None, since: str | None,
          until: str | None) -> dict[str, str]:
    values = {"actor": who, "department": department, "action": action, "from": since, "to": until}
    return {k: v.strip() for k, v in values.items() if v and v.strip()}


@router.get("/audit", response_class=HTMLResponse)
def records_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep, who: Who = None,
                 department: Text = None, action: Text = None, since: Since = None, until: Until = None,
                 before: Annotated[int | None, Query(ge=1)] = None) -> Response:
    form = _form(who, department, action, since, until)
    context: dict = {"form": form, "query": urlencode(form), "page": None, "error": None}
    try:
        record_filter = make_filter(who, department, action, since, until)
    except InvalidInput as exc:
        context["error"] = exc.message
        return render(request, "audit/records.html", context, status_code=400)
    context["page"] = service.list_records(uow, actor, record_filter, before=before)
    return render(request, "audit/records.html", context)


@router.get("/audit/export.csv")
def export_csv(uow: UnitOfWorkDep, actor: ActorDep, who: Who = None, department: Text = None,
               action: Text = None, since: Since = None, until: Until = None) -> Response:
    record_filter = make_filter(who, department, action, since, until)
    chunks = service.export_csv(uow, actor, record_filter)
    name = f"audit-{clock.now().astimezone(clock.DISPLAY_ZONE):%Y%m%d-%H%M%S}.csv"
    return StreamingResponse(chunks, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get("/audit/verify", response_class=HTMLResponse)
def verify_page(request: Request, platform: PlatformDep, actor: ActorDep) -> Response:
    result = service.verify_chain(platform.uow(), actor, platform.audit_key.public_key_hex)
    return render(request, "audit/verify.html", {"result": result})
