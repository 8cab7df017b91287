"""HTML routes of open data: the public portal (`/open/...`, no sign-in, its own look, fit for phones) and the
data authority's usage statistics (`/opendata/statistics`). The preview table and the chart read the open API
from the browser, so the page and the API serve the same records."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from zhengshu.core.identity import access
from zhengshu.core.opendata import permissions as perms
from zhengshu.core.opendata import service
from zhengshu.core.opendata.domain.opening import LICENCES, THEMES
from zhengshu.core.opendata.schemas import DecisionInput, ProposalInput, ReviewInput, WithdrawInput
from zhengshu.core.opendata.service.portal import FACETS, SORTS
from zhengshu.kernel.errors import Conflict, InvalidInput
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, OptionalActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.forms import Form, form_text, parse_form
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]
FACET_TITLES = {"theme": "主题", "provider": "部门", "format": "格式", "update_cycle": "更新周期",
                "open_type": "开放类型"}


@router.get("/open", response_class=HTMLResponse)
def home(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep) -> Response:
    return render(request, "opendata/home.html", {"home": service.home(uow, actor)})


@router.get("/open/datasets", response_class=HTMLResponse)
def search(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep, q: str = Query("", max_length=100),
           theme: str = "", provider: str = "", format: str = "", update_cycle: str = "", open_type: str = "",
           sort: str = "newest", page: int = Query(1, ge=1, le=10000)) -> Response:
    chosen = {"theme": theme, "provider": provider, "format": format, "update_cycle": update_cycle,
              "open_type": open_type}
    found = service.search(uow, actor, q, chosen, sort, page, 20)
    return render(request, "opendata/search.html", {
        "found": found, "q": q, "chosen": chosen, "sort": sort, "sorts": SORTS, "facets": FACETS,
        "titles": FACET_TITLES})


@router.get("/open/datasets/{code}", response_class=HTMLResponse)
def dataset(code: str, request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep,
            platform: PlatformDep) -> Response:
    detail = service.dataset(uow, actor, service.Context.from_settings(platform.settings), code,
                             count_view=True)
    return render(request, "opendata/dataset.html", {
        "d": detail.opening, "history": detail.history, "base": str(request.base_url).rstrip("/")})


@router.get("/open/developers", response_class=HTMLResponse)
def developers(request: Request, actor: OptionalActorDep) -> Response:
    return render(request, "opendata/developers.html", {})


@router.get("/open/sitemap.xml")
def sitemap(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep) -> Response:
    return Response(service.sitemap(uow, actor, str(request.base_url)), media_type="application/xml")


@router.get("/open/licences", response_class=HTMLResponse)
def licences(request: Request, actor: OptionalActorDep) -> Response:
    return render(request, "opendata/licences.html", {"licences": LICENCES})


@router.get("/opendata/statistics", response_class=HTMLResponse)
def statistics(request: Request, uow: UnitOfWorkDep, actor: ActorDep, days: int = Query(30, ge=1, le=366),
               ) -> Response:
    return render(request, "opendata/statistics.html", {"stats": service.usage_statistics(uow, actor, days),
                                                        "days": days})


# --- the staff: proposals, decisions, applications ------------------------------------------------------------

def _list_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep, values: dict[str, Any] | None = None,
               error: str | None = None, status: int = 200) -> Response:
    return render(request, "opendata/openings.html", {
        "openings": service.list_openings(uow, actor), "themes": THEMES, "licences": LICENCES,
        "values": values or {}, "error": error}, status_code=status)


@router.get("/opendata", response_class=HTMLResponse)
def openings(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return _list_page(request, uow, actor)


def _proposal(form: FormData) -> ProposalInput:
    view_text = form_text(form, "view")
    try:
        view = json.loads(view_text) if view_text else None
    except json.JSONDecodeError:
        raise InvalidInput("派生视图须为 JSON，如 {\"group_by\": [\"区划\"]}。", field="view") from None
    fields = [f.strip() for f in form_text(form, "fields").replace("，", ",").split(",") if f.strip()]
    return parse_form(ProposalInput, entry_code=form_text(form, "entry_code"), code=form_text(form, "code"),
                      title=form_text(form, "title"), description=form_text(form, "description"),
                      theme=form_text(form, "theme"), licence=form_text(form, "licence") or "CC-BY-4.0",
                      fields=fields or None, view=view)


@router.post("/opendata/proposals", dependencies=CSRF)
def propose(request: Request, form: Form, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep) -> Response:
    try:
        detail = service.propose(uow, actor, service.Context.from_settings(platform.settings), _proposal(form))
    except (InvalidInput, Conflict) as exc:  # shown above the form, which keeps what was typed
        return _list_page(request, uow, actor, dict(form), exc.message, 400 if isinstance(exc, InvalidInput) else 409)
    return RedirectResponse(f"/opendata/openings/{detail.opening.code}", status_code=303)


def _detail_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep, code: str, error: str | None = None,
                 status: int = 200) -> Response:
    detail = service.get_opening(uow, actor, code)
    return render(request, "opendata/opening.html", {
        "d": detail.opening, "history": detail.history, "error": error,
        "can_approve": access.can(actor, perms.APPROVE)}, status_code=status)


@router.get("/opendata/openings/{code}", response_class=HTMLResponse)
def opening(code: str, request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return _detail_page(request, uow, actor, code)


@router.post("/opendata/openings/{code}/decision", dependencies=CSRF)
def decide(code: str, request: Request, form: Form, uow: UnitOfWorkDep, actor: ActorDep,
           platform: PlatformDep) -> Response:
    try:
        service.decide(uow, actor, service.Context.from_settings(platform.settings), code,
                       parse_form(DecisionInput, approve=form_text(form, "approve") == "yes",
                                  note=form_text(form, "note")))
    except (InvalidInput, Conflict) as exc:
        return _detail_page(request, uow, actor, code, exc.message, 400 if isinstance(exc, InvalidInput) else 409)
    return RedirectResponse(f"/opendata/openings/{code}", status_code=303)


@router.post("/opendata/openings/{code}/withdrawal", dependencies=CSRF)
def withdraw(code: str, request: Request, form: Form, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    try:
        service.withdraw(uow, actor, code, parse_form(WithdrawInput, reason=form_text(form, "reason")))
    except (InvalidInput, Conflict) as exc:
        return _detail_page(request, uow, actor, code, exc.message, 400 if isinstance(exc, InvalidInput) else 409)
    return RedirectResponse(f"/opendata/openings/{code}", status_code=303)


@router.get("/opendata/applications", response_class=HTMLResponse)
def applications(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return render(request, "opendata/applications.html", {"applications": service.list_applications(uow, actor)})


@router.post("/opendata/applications/{application_id}/review", dependencies=CSRF)
def review(application_id: int, form: Form, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    service.review(uow, actor, application_id,
                   parse_form(ReviewInput, approve=form_text(form, "approve") == "yes", note=form_text(form, "note")))
    return RedirectResponse("/opendata/applications", status_code=303)
