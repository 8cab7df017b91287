"""JSON routes of the sharing module: requests and their decisions, grants (and the client's own grant for a
resource), the needs board, the summary and the overseers' daily digest. Each route is one service call."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from zhengshu.core.sharing import service
from zhengshu.core.sharing.schemas import (
    AnswerCreate,
    ComplianceReview,
    CoordinationInput,
    Digest,
    DisputeInput,
    Grant,
    GrantView,
    NeedCreate,
    NeedView,
    ProviderReview,
    RenewInput,
    RequestCreate,
    RequestDetail,
    RequestForm,
    RequestView,
    RevokeInput,
    SharingSummary,
)
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/sharing", tags=["sharing 数据共享"], responses=ERRORS)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Code = Annotated[str, Query(min_length=1, max_length=32, description="信息资源代码")]


@router.get("/requests", summary="共享申请列表", response_model=list[RequestView])
def list_requests(uow: UnitOfWorkDep, actor: ActorDep, scope: Annotated[str, Query(
        max_length=16, description="mine 本部门的申请 | provided 申请本部门数据的 | review 待我审核 | "
                                   "overdue 超期 | all 全部")] = "mine") -> list[RequestView]:
    return service.list_requests(uow, actor, scope)


@router.post("/requests", summary="提出共享申请（不予共享的资源：提出异议）", response_model=RequestDetail,
             status_code=201)
def submit(body: RequestCreate, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep) -> RequestDetail:
    return service.submit_request(uow, actor, body, platform.settings)


@router.get("/requests/form", summary="申请某资源时可选的信息项与接入系统", response_model=RequestForm)
def form(resource_code: Code, uow: UnitOfWorkDep, actor: ActorDep) -> RequestForm:
    return service.request_form(uow, actor, resource_code)


@router.get("/requests/{request_id}", summary="申请详情（含办理记录与授权）", response_model=RequestDetail)
def get_request(request_id: Id, uow: UnitOfWorkDep, actor: ActorDep) -> RequestDetail:
    return service.get_request(uow, actor, request_id)


@router.post("/requests/{request_id}/compliance", summary="符合性审查（数据主管部门）",
             response_model=RequestDetail)
def compliance(request_id: Id, body: ComplianceReview, uow: UnitOfWorkDep, actor: ActorDep,
               platform: PlatformDep) -> RequestDetail:
    return service.review_compliance(uow, actor, request_id, body, platform.settings)


@router.post("/requests/{request_id}/provider", summary="提供方审核（提供部门审核人）", response_model=RequestDetail)
def provider(request_id: Id, body: ProviderReview, uow: UnitOfWorkDep, actor: ActorDep) -> RequestDetail:
    return service.review_as_provider(uow, actor, request_id, body)


@router.post("/requests/{request_id}/dispute", summary="对拒绝提出异议", response_model=RequestDetail)
def dispute(request_id: Id, body: DisputeInput, uow: UnitOfWorkDep, actor: ActorDep) -> RequestDetail:
    return service.dispute(uow, actor, request_id, body)


@router.post("/requests/{request_id}/coordination", summary="争议协调（数据主管部门）", response_model=RequestDetail)
def coordination(request_id: Id, body: CoordinationInput, uow: UnitOfWorkDep, actor: ActorDep) -> RequestDetail:
    return service.coordinate(uow, actor, request_id, body)


@router.get("/grants", summary="共享授权列表", response_model=list[GrantView])
def list_grants(uow: UnitOfWorkDep, actor: ActorDep, side: Annotated[str, Query(
        max_length=16, description="consumer 本部门获得的 | provider 本部门数据的 | all 全部 | "
                                   "recertification 待复核")] = "consumer") -> list[GrantView]:
    return service.list_grants(uow, actor, side)


@router.get("/grants/active", summary="接入系统：本系统对某资源当前有效的授权", response_model=Grant)
def active_grant(resource_code: Code, uow: UnitOfWorkDep, actor: ActorDep) -> Grant:
    return service.active_grant(uow, actor, resource_code)


@router.get("/grants/{grant_id}", summary="授权详情", response_model=GrantView)
def get_grant(grant_id: Id, uow: UnitOfWorkDep, actor: ActorDep) -> GrantView:
    return service.get_grant(uow, actor, grant_id)


@router.post("/grants/{grant_id}/revoke", summary="撤销授权", response_model=GrantView)
def revoke(grant_id: Id, body: RevokeInput, uow: UnitOfWorkDep, actor: ActorDep) -> GrantView:
    return service.revoke_grant(uow, actor, grant_id, body)


@router.post("/grants/{grant_id}/renew", summary="授权续期（复核）", response_model=GrantView)
def renew(grant_id: Id, body: RenewInput, uow: UnitOfWorkDep, actor: ActorDep) -> GrantView:
    return service.renew_grant(uow, actor, grant_id, body)


@router.get("/needs", summary="数据需求（供需对接）", response_model=list[NeedView])
def list_needs(uow: UnitOfWorkDep, actor: ActorDep, status: Annotated[str, Query(
        max_length=16, description="open 征集中 | closed 已关闭 | 空：全部")] = "open") -> list[NeedView]:
    return service.list_needs(uow, actor, status)


@router.post("/needs", summary="发布数据需求", response_model=NeedView, status_code=201)
def post_need(body: NeedCreate, uow: UnitOfWorkDep, actor: ActorDep) -> NeedView:
    return service.post_need(uow, actor, body)


@router.get("/needs/{need_id}", summary="数据需求详情", response_model=NeedView)
def get_need(need_id: Id, uow: UnitOfWorkDep, actor: ActorDep) -> NeedView:
    return service.get_need(uow, actor, need_id)


@router.post("/needs/{need_id}/answers", summary="以本部门资源响应需求", response_model=NeedView, status_code=201)
def answer(need_id: Id, body: AnswerCreate, uow: UnitOfWorkDep, actor: ActorDep) -> NeedView:
    return service.answer_need(uow, actor, need_id, body)


@router.post("/needs/{need_id}/close", summary="关闭需求", response_model=NeedView)
def close(need_id: Id, uow: UnitOfWorkDep, actor: ActorDep) -> NeedView:
    return service.close_need(uow, actor, need_id)


@router.get("/summary", summary="共享概况（待办、超期、待复核）", response_model=SharingSummary)
def summary(uow: UnitOfWorkDep, actor: ActorDep) -> SharingSummary:
    return service.summary(uow, actor)


@router.get("/digest", summary="督办日报：超期申请与待复核授权", response_model=Digest)
def digest(uow: UnitOfWorkDep, actor: ActorDep) -> Digest:
    return service.daily_digest(uow, actor)
