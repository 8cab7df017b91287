"""HTML routes of fusion (for the data authority): the registries, a registry's fusion report (融合报告: runs,
rows per source and link kind, match weights, clusters needing review), and the review of one cluster where a
person confirms it or splits rows off it (复核)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion import service
from zhengshu.core.fusion.schemas import DecisionInput
from zhengshu.kernel.errors import Conflict, InvalidInput
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]


async def _form(request: Request) -> FormData:
    return await request.form()  # read once; Starlette keeps it for the CSRF check too


Form = Annotated[FormData, Depends(_form)]


@router.get("/fusion", response_class=HTMLResponse)
def registries(request: Request, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return render(request, "fusion/registries.html", {"registries": service.list_registries(uow, actor)})


@router.get("/fusion/{registry}", response_class=HTMLResponse)
def report(request: Request, registry: str, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep,
           done: str | None = None) -> Response:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    return render(request, "fusion/report.html",
                  {"report": service.fusion_report(uow, actor, store, registry), "done": done})


def _cluster_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep, registry: str,
                  record_id: str, error: str | None = None, status_code: int = 200) -> Response:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    record = service.registry_record(uow, actor, store, registry, record_id)
    spec = service.registry_spec(uow, actor, registry)
    return render(request, "fusion/cluster.html", {"record": record, "title": spec.title, "error": error},
                  status_code=status_code)


@router.get("/fusion/{registry}/clusters/{record_id}", response_class=HTMLResponse)
def cluster(request: Request, registry: str, record_id: str, uow: UnitOfWorkDep, actor: ActorDep,
            platform: PlatformDep) -> Response:
    return _cluster_page(request, uow, actor, platform, registry, record_id)


@router.post("/fusion/{registry}/clusters/{record_id}", dependencies=CSRF)
def decide(request: Request, registry: str, record_id: str, uow: UnitOfWorkDep, actor: ActorDep,
           platform: PlatformDep, form: Form) -> Response:
    rows = [str(v) for v in form.getlist("rows")]
    data = DecisionInput(record_id=record_id, fingerprint=str(form.get("fingerprint", ""))[:32],
                         decision=str(form.get("decision", ""))[:16], rows=rows, note=str(form.get("note", ""))[:2000])
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    try:
        service.decide_cluster(uow, actor, store, registry, data)
    except (InvalidInput, Conflict) as exc:
        return _cluster_page(request, uow, actor, platform, registry, record_id, exc.message,
                             409 if isinstance(exc, Conflict) else 400)
    return RedirectResponse(f"/fusion/{registry}?done={record_id}", status_code=303)
