"""The open API (`/api/v1/open/...`): open datasets listed, described, queried and downloaded by anyone within
a small rate limit, more with a developer key (`X-API-Key`); developers sign up here. The staff's routes
(proposals, decisions, applications, statistics) need a signed-in user."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse

from zhengshu.core.datasets.schemas import query_from_params
from zhengshu.core.opendata import service
from zhengshu.core.opendata.domain.limits import RateLimiter
from zhengshu.core.opendata.schemas import (
    ApplicationInput,
    ApplicationView,
    DecisionInput,
    DeveloperKey,
    DeveloperSignUp,
    OpeningDetail,
    PortalSearch,
    ProposalInput,
    RecordsPage,
    ReviewInput,
    UsageStats,
    WithdrawInput,
)
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Platform
from zhengshu.web.dependencies import ActorDep, OptionalActorDep, PlatformDep, UnitOfWorkDep, client_address
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/open", tags=["opendata 公共数据开放"], responses=ERRORS)
KEY = Header(None, description="开发者密钥（可选）：注册开发者后获得，限额更高；有条件开放的数据集必填")
FILTERS = ("筛选条件写作其余的查询参数：`字段=值`（等于），或 `字段[op]=值`，"
           "op 为 eq、ne、lt、le、gt、ge、prefix、contains、in。"
           "`columns=a,b` 选列，`sort=a,-b` 排序，`limit` 每页 1–1000 条，`after` 为上一页的 next 游标。")
OWN_PARAMS = ("count", "format", "version")


def context(platform: Platform) -> service.Context:
    return service.Context.from_settings(platform.settings)


def caller(request: Request, uow: UnitOfWork, actor: Actor, platform: Platform, key: str | None,
           ) -> service.Caller | None:
    """The developer behind the key (or none), counted against the rate limit of the key or the address."""
    found = service.caller_for_key(uow, actor, key)
    limiter = getattr(request.app.state, "opendata_limiter", None)
    if limiter is None:
        limiter = request.app.state.opendata_limiter = RateLimiter()
    settings = platform.settings
    if found is not None:
        limiter.hit(f"key:{found.key_prefix}", settings.opendata_developer_per_minute)
    else:
        limiter.hit(f"ip:{client_address(request)}", settings.opendata_anonymous_per_minute)
    return found


def _params(request: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if k not in OWN_PARAMS]


@router.get("/datasets", summary="检索开放数据集", response_model=PortalSearch)
def search(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep, platform: PlatformDep,
           q: str = Query("", max_length=100), theme: str = "", provider: str = "", format: str = "",
           update_cycle: str = "", open_type: str = "", sort: str = "newest", page: int = Query(1, ge=1, le=10000),
           page_size: int = Query(20, ge=1, le=100), x_api_key: str | None = KEY) -> PortalSearch:
    caller(request, uow, actor, platform, x_api_key)
    return service.search(uow, actor, q, {"theme": theme, "provider": provider, "format": format,
                                          "update_cycle": update_cycle, "open_type": open_type},
                          sort, page, page_size)


@router.get("/datasets/{code}", summary="开放数据集的元数据", response_model=OpeningDetail)
def metadata(code: str, request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep, platform: PlatformDep,
             x_api_key: str | None = KEY) -> OpeningDetail:
    caller(request, uow, actor, platform, x_api_key)
    return service.dataset(uow, actor, context(platform), code)


@router.get("/datasets/{code}/records", summary="查询开放数据集的记录", description=FILTERS,
            response_model=RecordsPage)
def records(code: str, request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep, platform: PlatformDep,
            count: bool = Query(False, description="是否计算符合条件的总数"), x_api_key: str | None = KEY,
            ) -> RecordsPage:
    who = caller(request, uow, actor, platform, x_api_key)
    return service.records(uow, actor, context(platform), code, query_from_params(_params(request)), who,
                           with_total=count)


@router.get("/datasets/{code}/download", summary="下载（CSV 带 BOM、XLSX、JSON；流式输出）", description=FILTERS)
def download(code: str, request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep, platform: PlatformDep,
             format: str = Query("csv", pattern="^(csv|xlsx|json)$"), x_api_key: str | None = KEY,
             ) -> StreamingResponse:
    who = caller(request, uow, actor, platform, x_api_key)
    query = query_from_params(_params(request))
    name, chunks = service.download(uow, actor, context(platform), code, format, query.filters, who)
    media = {"csv": "text/csv; charset=utf-8", "json": "application/json",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}[format]
    return StreamingResponse(chunks, media_type=media,
                             headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})


@router.get("/datasets/{code}/charts", summary="自动图表的数据（时间序列、按区划、位置分布）")
def charts(code: str, request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep, platform: PlatformDep,
           x_api_key: str | None = KEY) -> list[dict[str, Any]]:
    caller(request, uow, actor, platform, x_api_key)
    return service.charts(uow, actor, context(platform), code)


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


@router.get("/datasets/{code}/dcat", summary="DCAT-AP（JSON-LD）")
def dcat_dataset(code: str, request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep,
                 platform: PlatformDep) -> dict[str, Any]:
    return service.dcat_dataset(uow, actor, context(platform), code, _base(request))


@router.get("/catalog.jsonld", summary="开放目录 DCAT-AP（JSON-LD）")
def dcat_catalog(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep, platform: PlatformDep,
                 ) -> dict[str, Any]:
    return service.dcat_catalog(uow, actor, context(platform), _base(request))


@router.post("/developers", summary="注册开发者（密钥只显示一次）", response_model=DeveloperKey, status_code=201)
def sign_up(body: DeveloperSignUp, uow: UnitOfWorkDep, actor: OptionalActorDep) -> DeveloperKey:
    return service.sign_up(uow, actor, body)


@router.post("/datasets/{code}/applications", summary="申请使用有条件开放的数据集", response_model=ApplicationView,
             status_code=201)
def apply(code: str, body: ApplicationInput, request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep,
          platform: PlatformDep, x_api_key: str | None = KEY) -> ApplicationView:
    who = caller(request, uow, actor, platform, x_api_key)
    return service.apply(uow, actor, who, code, body)


# --- the staff -------------------------------------------------------------------------------------------------

@router.post("/proposals", summary="提出开放（部门数据官）", response_model=OpeningDetail, status_code=201)
def propose(body: ProposalInput, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep) -> OpeningDetail:
    return service.propose(uow, actor, context(platform), body)


@router.post("/proposals/{code}/decision", summary="审批开放（数据主管部门）", response_model=OpeningDetail)
def decide(code: str, body: DecisionInput, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep,
           ) -> OpeningDetail:
    return service.decide(uow, actor, context(platform), code, body)


@router.post("/proposals/{code}/withdrawal", summary="撤回已开放的数据集", response_model=OpeningDetail)
def withdraw(code: str, body: WithdrawInput, uow: UnitOfWorkDep, actor: ActorDep) -> OpeningDetail:
    return service.withdraw(uow, actor, code, body)


@router.get("/applications", summary="本部门数据集的使用申请", response_model=list[ApplicationView])
def applications(uow: UnitOfWorkDep, actor: ActorDep) -> list[ApplicationView]:
    return service.list_applications(uow, actor)


@router.post("/applications/{application_id}/review", summary="审核使用申请（提供部门）",
             response_model=ApplicationView)
def review(application_id: int, body: ReviewInput, uow: UnitOfWorkDep, actor: ActorDep) -> ApplicationView:
    return service.review(uow, actor, application_id, body)


@router.get("/statistics", summary="使用统计（数据主管部门）", response_model=UsageStats)
def statistics(uow: UnitOfWorkDep, actor: ActorDep, days: int = Query(30, ge=1, le=366)) -> UsageStats:
    return service.usage_statistics(uow, actor, days)
