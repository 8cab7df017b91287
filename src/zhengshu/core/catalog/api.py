"""JSON routes of the catalogue: browse and search, register, read, change, mount, publish, retire, export
(JSON, and DCAT-AP JSON-LD)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from zhengshu.core.catalog import service
from zhengshu.core.catalog.schemas import (
    CatalogExport,
    EntryCreate,
    EntryDetail,
    EntryFilter,
    EntryPage,
    EntryUpdate,
    MountInput,
    RetireInput,
)
from zhengshu.kernel import clock
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/catalog", tags=["catalog 资源目录"], responses=ERRORS)
Code = Annotated[str, Path(max_length=32, description="信息资源代码，如 101001-0001")]
Filter = Annotated[EntryFilter, Query()]
JSON_LD = "application/ld+json"
DCAT = {200: {"content": {JSON_LD: {}}, "description": "DCAT-AP JSON-LD"}}


def _base_url(request: Request, platform: PlatformDep) -> str:
    """Where the platform is reached: ZHENGSHU_PUBLIC_URL, else the address this request came in on."""
    return platform.settings.public_url or str(request.base_url)


@router.get("/dcat.jsonld", summary="已发布资源目录（DCAT-AP JSON-LD）", response_class=JSONResponse, responses=DCAT)
def catalog_dcat(request: Request, platform: PlatformDep, uow: UnitOfWorkDep, actor: ActorDep,
                 filt: Filter) -> JSONResponse:
    document = service.export_dcat(uow, actor, _base_url(request, platform), filt)
    return JSONResponse(document, media_type=JSON_LD)


@router.get("/entries", summary="浏览资源目录", response_model=EntryPage)
def list_entries(uow: UnitOfWorkDep, actor: ActorDep, filt: Filter,
                 page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> EntryPage:
    return service.list_entries(uow, actor, filt, page)


@router.post("/entries", summary="注册资源", response_model=EntryDetail, status_code=201)
def register(body: EntryCreate, uow: UnitOfWorkDep, actor: ActorDep) -> EntryDetail:
    return service.register_entry(uow, actor, body)


@router.get("/entries/export.json", summary="导出资源目录（JSON）", response_model=CatalogExport)
def export(uow: UnitOfWorkDep, actor: ActorDep, filt: Filter, response: Response) -> CatalogExport:
    name = f"catalog-{clock.now().astimezone(clock.DISPLAY_ZONE):%Y%m%d-%H%M%S}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return service.export_entries(uow, actor, filt)


@router.get("/entries/{code}", summary="资源详情（含信息项、生命周期与版本）", response_model=EntryDetail)
def get_entry(code: Code, uow: UnitOfWorkDep, actor: ActorDep) -> EntryDetail:
    return service.get_entry(uow, actor, code)


@router.put("/entries/{code}", summary="修改资源（发布后即为新版本）", response_model=EntryDetail)
def update(code: Code, body: EntryUpdate, uow: UnitOfWorkDep, actor: ActorDep) -> EntryDetail:
    return service.update_entry(uow, actor, code, body)


@router.post("/entries/{code}/mount", summary="挂接数据", response_model=EntryDetail)
def mount(code: Code, body: MountInput, uow: UnitOfWorkDep, actor: ActorDep) -> EntryDetail:
    return service.mount_entry(uow, actor, code, body)


@router.post("/entries/{code}/publish", summary="发布", response_model=EntryDetail)
def publish(code: Code, uow: UnitOfWorkDep, actor: ActorDep) -> EntryDetail:
    return service.publish_entry(uow, actor, code)


@router.post("/entries/{code}/retire", summary="下架", response_model=EntryDetail)
def retire(code: Code, body: RetireInput, uow: UnitOfWorkDep, actor: ActorDep) -> EntryDetail:
    return service.retire_entry(uow, actor, code, body)


@router.get("/entries/{code}/dcat.jsonld", summary="资源的 DCAT-AP 描述（JSON-LD，仅已发布资源）",
            response_class=JSONResponse, responses=DCAT)
def entry_dcat(code: Code, request: Request, platform: PlatformDep, uow: UnitOfWorkDep,
               actor: ActorDep) -> JSONResponse:
    return JSONResponse(service.entry_dcat(uow, actor, code, _base_url(request, platform)), media_type=JSON_LD)


@router.get("/entries/{code}/versions/{version}", summary="某一已发布版本（发布时的原样）")
def version(code: Code, version: Annotated[int, Path(ge=1)], uow: UnitOfWorkDep, actor: ActorDep) -> dict[str, Any]:
    return service.get_entry_version(uow, actor, code, version)
