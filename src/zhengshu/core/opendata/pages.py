"""HTML routes of open data: the public portal (`/open/...`, no sign-in, its own look, fit for phones) and the
data authority's usage statistics (`/opendata/statistics`). The preview table and the chart read the open API
from the browser, so the page and the API serve the same records."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from zhengshu.core.opendata import service
from zhengshu.core.opendata.domain.opening import LICENCES
from zhengshu.core.opendata.service.portal import FACETS, SORTS
from zhengshu.web.dependencies import ActorDep, OptionalActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
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
