"""HTML routes of the sharing module: my requests and the review queue with overdue flags, the request form, a
request's page with its history and the action forms, the grants list with revoke and renew, the needs board.
Each handler parses, calls one service function and renders; a broken rule is shown on the page it came from."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from zhengshu.core.identity import access
from zhengshu.core.sharing import permissions as perms
from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import (
    AnswerCreate,
    ComplianceReview,
    CoordinationInput,
    DisputeInput,
    GrantTermsInput,
    NeedCreate,
    ProviderReview,
    RenewInput,
    RequestCreate,
    RevokeInput,
)
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.forms import parse_form
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]
FILTER_ROWS = 3  # row-filter lines a form offers
SPLIT = re.compile(r"[,，、;；]+")  # values of an `in` condition (a value may hold spaces)
SCOPE_TITLES = {"review": "待我审核", "mine": "本部门的申请", "provided": "申请本部门数据的", "overdue": "超期",
                "all": "全部"}
SIDE_TITLES = {"consumer": "本部门获得的授权", "provider": "本部门数据的授权", "recertification": "待复核",
               "all": "全部"}


async def _form(request: Request) -> FormData:
    return await request.form()  # read once; Starlette keeps it for the CSRF check too


Form = Annotated[FormData, Depends(_form)]


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _many(form: FormData, name: str) -> list[str]:
    return [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]


def _filters(form: FormData, prefix: str = "filter") -> list[dict[str, Any]]:
    """The row-filter lines that name a column; `in` takes several values separated by commas."""
    rows = []
    for n in range(20):
        column, op = _text(form, f"{prefix}-{n}-column"), _text(form, f"{prefix}-{n}-op")
        if column:
            value = _text(form, f"{prefix}-{n}-value")
            rows.append({"column": column, "op": op, "value": [v for v in SPLIT.split(value) if v]
                         if op == "in" else value})
    return rows


def _optional(form: FormData, name: str) -> str | None:
    return _text(form, name) or None


def _terms(form: FormData) -> dict[str, Any]:
    return {"client_key": _text(form, "client_key"), "fields": _many(form, "grant_fields"),
            "pseudonymous_fields": _many(form, "pseudonymous_fields"), "row_filters": _filters(form, "grant-filter"),
            "expires_on": _optional(form, "expires_on"), "daily_quota": _optional(form, "daily_quota"),
            "clear_fields": _many(form, "clear_fields"), "verify_only": _text(form, "verify_only") == "yes"}


def _status(error: InvalidInput | Conflict) -> int:
    return 409 if isinstance(error, Conflict) else 400


@router.get("/sharing", response_class=HTMLResponse)
def requests_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep,
                  scope: Annotated[str, Query(max_length=16)] = "") -> Response:
    can_request = access.can(actor, perms.REQUEST)
    scope = scope or ("mine" if can_request else "review")
    found = service.list_requests(uow, actor, scope)
    return render(request, "sharing/requests.html", {"requests": found, "scope": scope, "scopes": SCOPE_TITLES,
                                                     "summary": service.summary(uow, actor),
                                                     "can_request": can_request})


def _new_page(request: Request, uow: UnitOfWork, actor: Actor, code: str, values: dict[str, Any],
              error: InvalidInput | Conflict | None = None) -> Response:
    form = service.request_form(uow, actor, code) if code else None
    context = {"form": form, "values": values, "rows": FILTER_ROWS, "code": code,
               "error": error.message if error else None}
    return render(request, "sharing/new.html", context, status_code=_status(error) if error else 200)


@router.get("/sharing/requests/new", response_class=HTMLResponse)
def new_request_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep,
                     resource_code: Annotated[str, Query(max_length=32)] = "") -> Response:
    return _new_page(request, uow, actor, resource_code.strip(), {"fields": [], "row_filters": []})


@router.post("/sharing/requests/new", dependencies=CSRF)
def submit(request: Request, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep, form: Form) -> Response:
    values = {"resource_code": _text(form, "resource_code"), "client_key": _text(form, "client_key"),
              "fields": _many(form, "fields"), "row_filters": _filters(form), "row_scope": _text(form, "row_scope"),
              "purpose": _text(form, "purpose"), "legal_basis": _text(form, "legal_basis"),
              "starts_on": _optional(form, "starts_on"), "ends_on": _optional(form, "ends_on"),
              "dispute_reason": _text(form, "dispute_reason")}
    try:
        request_id = service.submit_request(uow, actor, parse_form(RequestCreate, **values),
                                            platform.settings).request.id
    except (InvalidInput, Conflict) as exc:  # shown on the form, which keeps what was typed
        return _new_page(request, uow, actor, values["resource_code"], values, exc)
    return RedirectResponse(f"/sharing/requests/{request_id}?done=submitted", status_code=303)


def _request_page(request: Request, uow: UnitOfWork, actor: Actor, request_id: int, *,
                  error: InvalidInput | Conflict | None = None, done: str | None = None) -> Response:
    detail = service.get_request(uow, actor, request_id)
    context = {"detail": detail, "r": detail.request, "rows": FILTER_ROWS, "done": done,
               "error": error.message if error else None}
    return render(request, "sharing/request.html", context, status_code=_status(error) if error else 200)


@router.get("/sharing/requests/{request_id}", response_class=HTMLResponse)
def request_page(request: Request, request_id: int, uow: UnitOfWorkDep, actor: ActorDep,
                 done: str | None = None) -> Response:
    return _request_page(request, uow, actor, request_id, done=done)


def _act(request: Request, uow: UnitOfWork, actor: Actor, request_id: int, done: str,
         act: Callable[[], object]) -> Response:
    """Run one decision; on success back to the request page, on a broken rule the page says why."""
    try:
        act()
    except (InvalidInput, Conflict) as exc:
        return _request_page(request, uow, actor, request_id, error=exc)
    return RedirectResponse(f"/sharing/requests/{request_id}?done={done}", status_code=303)


@router.post("/sharing/requests/{request_id}/compliance", dependencies=CSRF)
def compliance(request: Request, request_id: int, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep,
               form: Form) -> Response:
    approve = _text(form, "decision") == "approve"
    return _act(request, uow, actor, request_id, "compliance", lambda: service.review_compliance(
        uow, actor, request_id, parse_form(ComplianceReview, approve=approve, reason=_text(form, "reason")),
        platform.settings))


@router.post("/sharing/requests/{request_id}/provider", dependencies=CSRF)
def provider(request: Request, request_id: int, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    approve = _text(form, "decision") == "approve"

    def act() -> object:
        grant = parse_form(GrantTermsInput, **_terms(form)) if approve else {}
        data = parse_form(ProviderReview, approve=approve, reason=_text(form, "reason"), grant=grant)
        return service.review_as_provider(uow, actor, request_id, data)

    return _act(request, uow, actor, request_id, "provider", act)


@router.post("/sharing/requests/{request_id}/dispute", dependencies=CSRF)
def dispute(request: Request, request_id: int, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    return _act(request, uow, actor, request_id, "disputed", lambda: service.dispute(
        uow, actor, request_id, parse_form(DisputeInput, reason=_text(form, "reason"))))


@router.post("/sharing/requests/{request_id}/coordination", dependencies=CSRF)
def coordination(request: Request, request_id: int, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    outcome = _text(form, "outcome")

    def act() -> object:
        grant = parse_form(GrantTermsInput, **_terms(form)) if outcome == "share" else {}
        data = parse_form(CoordinationInput, outcome=outcome, note=_text(form, "note"), grant=grant)
        return service.coordinate(uow, actor, request_id, data)

    return _act(request, uow, actor, request_id, "coordinated", act)


def _grants_page(request: Request, uow: UnitOfWork, actor: Actor, side: str, *,
                 error: InvalidInput | Conflict | None = None, done: str | None = None) -> Response:
    context = {"grants": service.list_grants(uow, actor, side), "side": side, "sides": SIDE_TITLES, "done": done,
               "error": error.message if error else None}
    return render(request, "sharing/grants.html", context, status_code=_status(error) if error else 200)


@router.get("/sharing/grants", response_class=HTMLResponse)
def grants_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep,
                side: Annotated[str, Query(max_length=16)] = "consumer", done: str | None = None) -> Response:
    return _grants_page(request, uow, actor, side, done=done)


def _grant_act(request: Request, uow: UnitOfWork, actor: Actor, form: FormData, done: str,
               act: Callable[[], object]) -> Response:
    side = _text(form, "side") if _text(form, "side") in SIDE_TITLES else "provider"
    try:
        act()
    except (InvalidInput, Conflict) as exc:
        return _grants_page(request, uow, actor, side, error=exc)
    return RedirectResponse(f"/sharing/grants?side={side}&done={done}", status_code=303)


@router.post("/sharing/grants/{grant_id}/revoke", dependencies=CSRF)
def revoke(request: Request, grant_id: int, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    return _grant_act(request, uow, actor, form, "revoked", lambda: service.revoke_grant(
        uow, actor, grant_id, parse_form(RevokeInput, reason=_text(form, "reason"))))


@router.post("/sharing/grants/{grant_id}/renew", dependencies=CSRF)
def renew(request: Request, grant_id: int, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    return _grant_act(request, uow, actor, form, "renewed", lambda: service.renew_grant(
        uow, actor, grant_id, parse_form(RenewInput, expires_on=_optional(form, "expires_on"))))


def _needs_page(request: Request, uow: UnitOfWork, actor: Actor, status: str, *,
                error: InvalidInput | Conflict | None = None, done: str | None = None,
                values: dict[str, str] | None = None) -> Response:
    context = {"needs": service.list_needs(uow, actor, status), "status": status, "done": done,
               "values": values or {}, "error": error.message if error else None,
               "can_request": access.can(actor, perms.REQUEST), "can_post": access.can(actor, perms.POST_NEED),
               "can_answer": access.can(actor, perms.ANSWER_NEED)}
    return render(request, "sharing/needs.html", context, status_code=_status(error) if error else 200)


@router.get("/sharing/needs", response_class=HTMLResponse)
def needs_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep,
               status: Annotated[str, Query(max_length=16)] = "open", done: str | None = None) -> Response:
    return _needs_page(request, uow, actor, status, done=done)


def _need_act(request: Request, uow: UnitOfWork, actor: Actor, done: str, act: Callable[[], object],
              values: dict[str, str] | None = None) -> Response:
    try:
        act()
    except (InvalidInput, Conflict) as exc:
        return _needs_page(request, uow, actor, "open", error=exc, values=values)
    return RedirectResponse(f"/sharing/needs?done={done}", status_code=303)


@router.post("/sharing/needs", dependencies=CSRF)
def post_need(request: Request, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    values = {k: _text(form, k) for k in ("title", "description", "purpose")}
    return _need_act(request, uow, actor, "posted",
                     lambda: service.post_need(uow, actor, parse_form(NeedCreate, **values)), values)


@router.post("/sharing/needs/{need_id}/answers", dependencies=CSRF)
def answer_need(request: Request, need_id: int, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    return _need_act(request, uow, actor, "answered", lambda: service.answer_need(
        uow, actor, need_id, parse_form(AnswerCreate, resource_code=_text(form, "resource_code"),
                                    note=_text(form, "note"))))


@router.post("/sharing/needs/{need_id}/close", dependencies=CSRF)
def close_need(request: Request, need_id: int, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return _need_act(request, uow, actor, "closed", lambda: service.close_need(uow, actor, need_id))
