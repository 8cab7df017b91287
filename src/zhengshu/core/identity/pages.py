"""HTML routes of the identity module: sign-in and sign-out, the dashboard, organisations, users, clients."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from zhengshu.core.identity import access, authentication, service
from zhengshu.core.identity import permissions as perms
from zhengshu.core.identity.schemas import ClientCreate, UserCreate
from zhengshu.kernel.actor import ActorKind
from zhengshu.kernel.errors import Conflict, InvalidInput, NotAuthenticated
from zhengshu.kernel.permissions import ROLE_TITLES, Role
from zhengshu.web.cards import dashboard_cards
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, OptionalActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.forms import parse_form
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]
STAFF_ROLES = [(r.value, ROLE_TITLES[r]) for r in Role if r.assignable]


def _local(path: str | None) -> str:
    """Only redirect to paths on this site (no open redirect)."""
    return path if path and path.startswith("/") and not path.startswith("//") else "/"


@router.get("/login")
def login_page(request: Request, actor: OptionalActorDep, next: str = "/") -> Response:
    if request.state.actor is not None:
        return RedirectResponse(_local(next), status_code=303)
    return render(request, "identity/login.html", {"next": _local(next)})


@router.post("/login", dependencies=CSRF)
def login(
    request: Request,
    platform: PlatformDep,
    actor: OptionalActorDep,
    username: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    try:
        signed = service.sign_in(platform.uow(), actor, username.strip(), password, platform.settings)
    except NotAuthenticated as exc:
        context = {"next": _local(next), "username": username, "error": exc.message}
        return render(request, "identity/login.html", context, status_code=401)
    authentication.remember(request, signed)
    return RedirectResponse(_local(next), status_code=303)


@router.post("/logout", dependencies=CSRF)
def logout(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep) -> Response:
    if request.state.actor is not None:
        service.sign_out(uow, actor)
    authentication.forget(request)
    return RedirectResponse("/my/login" if actor.kind is ActorKind.CITIZEN else "/login", status_code=303)


CITIZEN_HOME = "/my/reads"  # 谁查询了我的数据 (the exchange's page)


@router.get("/my/login")
def citizen_login_page(request: Request, actor: OptionalActorDep) -> Response:
    if actor.kind is ActorKind.CITIZEN:
        return RedirectResponse(CITIZEN_HOME, status_code=303)
    return render(request, "identity/citizen_login.html", {})


@router.post("/my/login", dependencies=CSRF)
def citizen_login(request: Request, platform: PlatformDep, actor: OptionalActorDep,
                  id_number: Annotated[str, Form()] = "") -> Response:
    try:
        citizen = service.citizen_sign_in(platform.uow(), actor, id_number, platform.secret_key, platform.settings)
    except (InvalidInput, NotAuthenticated) as exc:
        return render(request, "identity/citizen_login.html", {"id_number": id_number, "error": exc.message},
                      status_code=400 if isinstance(exc, InvalidInput) else 403)
    authentication.remember_citizen(request, citizen)
    return RedirectResponse(CITIZEN_HOME, status_code=303)


@router.get("/", response_class=HTMLResponse)
def dashboard(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    if actor.kind is ActorKind.CITIZEN:
        return RedirectResponse(CITIZEN_HOME, status_code=303)
    summary = service.summary(uow, actor)
    roles = [role.title for role in sorted(access.roles_of(actor))]
    context = {"summary": summary, "roles": roles, "cards": dashboard_cards(request, actor)}
    return render(request, "identity/dashboard.html", context)


@router.get("/identity/organisations", response_class=HTMLResponse)
def organisations(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return render(request, "identity/organisations.html", {"tree": service.organisation_tree(uow, actor)})


def _users_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep, status_code: int = 200,
                **extra: object) -> Response:
    context = {
        "users": service.list_users(uow, actor),
        "departments": [o for o in service.list_organisations(uow, actor) if o.kind == "department"],
        "roles": STAFF_ROLES,
        **extra,
    }
    return render(request, "identity/users.html", context, status_code=status_code)


@router.get("/identity/users", response_class=HTMLResponse)
def users(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return _users_page(request, uow, actor)


@router.post("/identity/users", dependencies=CSRF)
def create_user(
    request: Request,
    uow: UnitOfWorkDep,
    actor: ActorDep,
    username: Annotated[str, Form()] = "",
    display_name: Annotated[str, Form()] = "",
    organisation_code: Annotated[str, Form()] = "",
    roles: Annotated[list[str] | None, Form()] = None,
    password: Annotated[str, Form()] = "",
) -> Response:
    try:
        form = {"username": username, "display_name": display_name,
                "organisation_code": organisation_code, "roles": roles or []}
        created = service.create_user(uow, actor, parse_form(UserCreate, password=password, **form))
    except (InvalidInput, Conflict) as exc:  # shown on the form, which keeps what was typed
        status = 409 if isinstance(exc, Conflict) else 400
        return _users_page(request, uow, actor, status, error=exc.message, form=form)
    return _users_page(request, uow, actor, created=created.username)


def _clients_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep, **extra: object) -> Response:
    departments = [o for o in service.list_organisations(uow, actor) if o.kind == "department"
                   and access.can(actor, perms.MANAGE_CLIENTS, department=o.code)]  # those it may register for
    clients = service.list_clients(uow, actor)
    context = {"clients": clients, "departments": departments, **extra}
    return render(request, "identity/clients.html", context, status_code=400 if "error" in extra else 200)


@router.get("/identity/clients", response_class=HTMLResponse)
def clients(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return _clients_page(request, uow, actor)


@router.post("/identity/clients", dependencies=CSRF)
def create_client(
    request: Request,
    uow: UnitOfWorkDep,
    actor: ActorDep,
    name: Annotated[str, Form()] = "",
    organisation_code: Annotated[str, Form()] = "",
) -> Response:
    try:
        data = parse_form(ClientCreate, name=name, organisation_code=organisation_code)
        created = service.create_client(uow, actor, data)
    except InvalidInput as exc:
        return _clients_page(request, uow, actor, error=exc.message)
    return _clients_page(request, uow, actor, created=created)
