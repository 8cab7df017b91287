"""JSON routes of the identity module: tokens for departments' systems, who-am-I, the organisation list."""

from __future__ import annotations

from fastapi import APIRouter

from zhengshu.core.identity import service
from zhengshu.core.identity.authentication import token_signer
from zhengshu.core.identity.schemas import (
    ActorView,
    ClientCreate,
    CreatedClient,
    OrganisationView,
    TokenRequest,
    TokenResponse,
    UserCreate,
    UserView,
)
from zhengshu.web.dependencies import ActorDep, OptionalActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/identity", tags=["identity 身份"], responses=ERRORS)


@router.post("/token", summary="接入系统获取访问令牌", response_model=TokenResponse)
def token(body: TokenRequest, platform: PlatformDep, actor: OptionalActorDep) -> TokenResponse:
    return service.issue_token(platform.uow(), actor, body, token_signer(platform))


@router.get("/me", summary="当前身份", response_model=ActorView)
def me(actor: ActorDep) -> ActorView:
    return ActorView(kind=actor.kind.value, id=actor.id, name=actor.name,
                     department_code=actor.department_code, roles=sorted(actor.roles))


@router.get("/organisations", summary="行政区划与部门", response_model=list[OrganisationView])
def organisations(uow: UnitOfWorkDep, actor: ActorDep) -> list[OrganisationView]:
    return service.list_organisations(uow, actor)


@router.get("/users", summary="用户列表", response_model=list[UserView])
def users(uow: UnitOfWorkDep, actor: ActorDep) -> list[UserView]:
    return service.list_users(uow, actor)


@router.post("/users", summary="创建用户", response_model=UserView, status_code=201)
def create_user(body: UserCreate, uow: UnitOfWorkDep, actor: ActorDep) -> UserView:
    return service.create_user(uow, actor, body)


@router.post("/clients", summary="注册部门接入系统", response_model=CreatedClient, status_code=201)
def create_client(body: ClientCreate, uow: UnitOfWorkDep, actor: ActorDep) -> CreatedClient:
    return service.create_client(uow, actor, body)
