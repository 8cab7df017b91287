"""FastAPI dependencies shared by every module's routes: the platform, the unit of work, the actor."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from zhengshu.kernel.actor import PUBLIC, Actor, ActorKind
from zhengshu.kernel.errors import NotAuthenticated
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Platform


def get_platform(request: Request) -> Platform:
    return request.app.state.platform


def get_uow(request: Request) -> UnitOfWork:
    return request.app.state.platform.uow()


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def optional_actor(request: Request) -> Actor:
    """The signed-in user or API client, or the public; remembered on the request for the templates."""
    actor = request.app.state.authenticate(request)
    request.state.actor = actor
    return actor or PUBLIC.at(client_address(request))


def current_actor(request: Request) -> Actor:
    """The signed-in user or API client; anyone else is refused with NotAuthenticated."""
    actor = optional_actor(request)
    if actor.kind is ActorKind.PUBLIC:
        raise NotAuthenticated("请先登录。")
    return actor


PlatformDep = Annotated[Platform, Depends(get_platform)]
UnitOfWorkDep = Annotated[UnitOfWork, Depends(get_uow)]
ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor, Depends(optional_actor)]
