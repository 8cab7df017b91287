"""HTML routes of the legal-entity base registry: the registry's entity list, the enterprise portrait
(法人画像), the person page (人员画像) and the source row a value came from."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.registries.legal_entity import service
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)


def _store(platform: PlatformDep) -> DatasetStore:
    return DatasetStore.for_data_dir(platform.settings.data_dir)


@router.get("/legal-entities", response_class=HTMLResponse)
def entities(request: Request, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep, q: str = "") -> Response:
    found = service.find_entities(uow, actor, _store(platform), q)
    return render(request, "legal_entity/entities.html", {"entities": found, "q": q})


@router.get("/legal-entities/{entity_id}", response_class=HTMLResponse)
def portrait(request: Request, entity_id: str, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep
             ) -> Response:
    found = service.entity_portrait(uow, actor, _store(platform), entity_id)
    return render(request, "legal_entity/portrait.html", {"p": found})


@router.get("/legal-entities/persons/{id_number}", response_class=HTMLResponse)
def person(request: Request, id_number: str, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep
           ) -> Response:
    found = service.person_portrait(uow, actor, _store(platform), id_number)
    return render(request, "legal_entity/person.html", {"p": found})


@router.get("/legal-entities/sources/{resource_code}/{version}/{row}", response_class=HTMLResponse)
def source_row(request: Request, resource_code: str, version: int, row: int, uow: UnitOfWorkDep, actor: ActorDep,
               platform: PlatformDep, item: str = "") -> Response:
    found = service.source_row(uow, actor, _store(platform), resource_code, version, row)
    return render(request, "legal_entity/source_row.html", {"r": found, "item": item})
