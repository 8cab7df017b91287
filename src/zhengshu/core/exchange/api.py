"""JSON routes of the exchange gateway: departments' systems read and verify granted resources with a bearer
token (`POST /api/v1/identity/token`) and say on whose behalf in `X-End-User` (non-ASCII percent-encoded
as UTF-8); the data authority watches the calls."""

from __future__ import annotations

from urllib.parse import unquote

from fastapi import APIRouter, Header, Query, Request

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.exchange import service
from zhengshu.core.exchange.domain import DEFAULT_LIMIT, MAX_LIMIT
from zhengshu.core.exchange.schemas import CallView, RecordsPage, VerifyBody, VerifyResult, request_from_params
from zhengshu.modules import Platform
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange 数据交换"], responses=ERRORS)

FILTERS = ("筛选条件写作其余的查询参数：`字段=值`（等于），或 `字段[op]=值`，op 为 eq、ne、lt、le、gt、ge、prefix、"
           "contains、in（`字段[in]=值1&字段[in]=值2`）。只能按原样提供的字段筛选和排序；脱敏、屏蔽或假名字段不能。"
           "须带接入系统的访问令牌（Bearer）和 X-End-User 请求头。")
END_USER = Header(None, description="发起调用的最终用户（消费方系统中的用户标识）；非 ASCII 字符须按 UTF-8 百分号编码")


def _gateway(platform: Platform) -> service.Gateway:
    settings = platform.settings
    return service.Gateway(DatasetStore.for_data_dir(settings.data_dir), settings.exchange_live_api_timeout_seconds,
                           settings.exchange_calls_per_minute)


def _end_user(value: str | None) -> str | None:
    return unquote(value) if value else value


@router.get("/{resource_code}/records", summary="按授权读取资源记录", description=FILTERS,
            response_model=RecordsPage)
def records(
    resource_code: str,
    request: Request,
    uow: UnitOfWorkDep,
    actor: ActorDep,
    platform: PlatformDep,
    x_end_user: str | None = END_USER,
    # Declared for the API description; the parser below reads them together with the filters.
    fields: str | None = Query(None, description="返回的字段，逗号分隔；默认为授权的全部字段"),
    sort: str | None = Query(None, description="排序字段，逗号分隔，前加 - 为降序，如 `区划,-登记日期`"),
    after: str | None = Query(None, description="上一页返回的 next 游标"),
    limit: str | None = Query(None, description=f"每页条数，1 到 {MAX_LIMIT}，默认 {DEFAULT_LIMIT}"),
    purpose: str | None = Query(None, description="本次调用的用途；默认为授权用途"),
) -> RecordsPage:
    read = request_from_params(request.query_params.multi_items())
    return service.read_records(uow, actor, platform.secret_key, _gateway(platform), resource_code, read.fields,
                                read.filters, read.sort, read.after, read.limit,
                                end_user=_end_user(x_end_user), purpose=purpose)


@router.post("/{resource_code}/verify", summary="核验（只答是否一致，不返回数据）", response_model=VerifyResult)
def verify(resource_code: str, body: VerifyBody, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep,
           x_end_user: str | None = END_USER) -> VerifyResult:
    return service.verify_records(uow, actor, platform.secret_key, _gateway(platform), resource_code, body.key,
                                  body.claims, end_user=_end_user(x_end_user), purpose=body.purpose)


@router.get("/calls", summary="最近的交换调用（平台管理员）", response_model=list[CallView])
def calls(uow: UnitOfWorkDep, actor: ActorDep, hours: int = Query(24, ge=1, le=744),
          resource_code: str | None = Query(None, max_length=64), client_key: str | None = Query(None, max_length=40),
          limit: int = Query(100, ge=1, le=500)) -> list[CallView]:
    return service.recent_calls(uow, actor, hours=hours, resource_code=resource_code, client_key=client_key,
                                limit=limit)
