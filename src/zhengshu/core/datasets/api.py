"""JSON routes of the dataset store, for staff: the datasets, their versions, and one version's records.
Departments' systems read data through the exchange, under grants, not here."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request

from zhengshu.core.datasets import service
from zhengshu.core.datasets.domain import DEFAULT_LIMIT, MAX_LIMIT
from zhengshu.core.datasets.schemas import DatasetView, RecordPage, VersionView, query_from_params
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/datasets", tags=["datasets 数据集"], responses=ERRORS)

FILTERS = ("筛选条件写作其余的查询参数：`列=值`（等于），或 `列[op]=值`，op 为 eq、ne、lt、le、gt、ge、prefix、"
           "contains、in（`列[in]=值1&列[in]=值2`）。")


@router.get("", summary="数据集列表", response_model=list[DatasetView])
def datasets(uow: UnitOfWorkDep, actor: ActorDep) -> list[DatasetView]:
    return service.list_datasets(uow, actor)


@router.get("/{code}/versions", summary="数据集的版本", response_model=list[VersionView])
def versions(code: str, uow: UnitOfWorkDep, actor: ActorDep) -> list[VersionView]:
    return service.list_versions(uow, actor, code)


@router.get("/{code}/records", summary="读取数据集记录", description=FILTERS, response_model=RecordPage)
def records(
    code: str,
    request: Request,
    uow: UnitOfWorkDep,
    actor: ActorDep,
    platform: PlatformDep,
    # Declared for the API description and type checks; the parser below reads them with the filters.
    columns: str | None = Query(None, description="返回的列，逗号分隔；默认全部"),
    sort: str | None = Query(None, description="排序列，逗号分隔，前加 - 为降序，如 `姓名,-出生日期`"),
    after: str | None = Query(None, description="上一页返回的 next 游标"),
    limit: int = Query(DEFAULT_LIMIT, description=f"每页条数，1 到 {MAX_LIMIT}"),
    version: int | None = Query(None, description="版本号；默认当前版本"),
) -> RecordPage:
    query = query_from_params(request.query_params.multi_items())
    return service.read_records(uow, actor, DatasetStore.for_data_dir(platform.settings.data_dir), code, query)
