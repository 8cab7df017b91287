"""HTML routes of ingestion: a resource's loads and the upload form (上传归集), one load's report with its
quality scores, its rejected rows as a CSV download, the correction tasks (校核纠错) and the form on which a
consumer reports a wrong record. Each handler parses, calls the service and renders."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.ingest import service
from zhengshu.core.ingest.domain import LoadPolicy
from zhengshu.core.ingest.schemas import ErrorReport
from zhengshu.core.quality import service as quality
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.forms import parse_form
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]
POLICIES = [(p.value, p.title) for p in LoadPolicy]


def _resource_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep, code: str, *, error: str | None = None,
                   status_code: int = 200) -> Response:
    context = {"code": code, "loads": service.list_loads(uow, actor, code),
               "saved": service.saved_source(uow, actor, code), "policies": POLICIES, "error": error}
    return render(request, "ingest/resource.html", context, status_code=status_code)


@router.get("/ingest/resources/{code}", response_class=HTMLResponse)
def resource(request: Request, uow: UnitOfWorkDep, actor: ActorDep, code: str) -> Response:
    return _resource_page(request, uow, actor, code)


@router.post("/ingest/resources/{code}/upload", dependencies=CSRF)
def upload(request: Request, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep, code: str,
           file: Annotated[UploadFile, File()], policy: Annotated[str, Form()] = "quarantine") -> Response:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    try:
        loaded = service.queue_upload(uow, actor, store, platform.jobs, code, file.filename or "", file.file,
                                      policy=policy, max_bytes=platform.settings.ingest_upload_max_mb << 20)
    except (InvalidInput, Conflict) as exc:  # the file could not be read or mapped: said on the form
        return _resource_page(request, uow, actor, code, error=exc.message, status_code=400)
    return RedirectResponse(f"/ingest/loads/{loaded.load_id}", status_code=303)


@router.get("/ingest/loads/{load_id}", response_class=HTMLResponse)
def load(request: Request, uow: UnitOfWorkDep, actor: ActorDep, load_id: str) -> Response:
    view = service.get_load(uow, actor, load_id)
    try:
        report = quality.get_load_result(uow, actor, view.resource_code, view.load_id)
    except NotFound:  # a load that failed before it was checked
        report = None
    return render(request, "ingest/load.html", {"load": view, "report": report})


@router.get("/ingest/loads/{load_id}/progress", response_class=HTMLResponse)
def progress(request: Request, uow: UnitOfWorkDep, actor: ActorDep, load_id: str) -> Response:
    """The progress block the load page polls (htmx); once the load has ended, the whole page reloads."""
    view = service.get_load(uow, actor, load_id)
    if view.status not in ("queued", "running"):
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return render(request, "ingest/progress.html", {"load": view})


@router.get("/ingest/loads/{load_id}/rejected.csv")
def rejected(uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep, load_id: str) -> Response:
    rows = service.rejected_rows_csv(uow, actor, DatasetStore.for_data_dir(platform.settings.data_dir), load_id)
    first = next(rows)  # permissions and existence are checked before the response starts
    name = quote(f"问题行-{load_id}.csv")

    def body():
        yield first
        yield from rows

    return StreamingResponse(body(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})


@router.post("/ingest/loads/{load_id}/classify", dependencies=CSRF)
def classify(request: Request, uow: UnitOfWorkDep, actor: ActorDep, load_id: str,
             items: Annotated[list[str] | None, Form()] = None) -> Response:
    service.apply_classification(uow, actor, load_id, items or [])
    return RedirectResponse(f"/ingest/loads/{load_id}", status_code=303)


@router.get("/ingest/corrections", response_class=HTMLResponse)
def corrections(request: Request, uow: UnitOfWorkDep, actor: ActorDep, status: str = "open") -> Response:
    status = status if status in ("open", "closed", "all") else "open"
    tasks = service.list_corrections(uow, actor, None if status == "all" else status)
    return render(request, "ingest/corrections.html", {"tasks": tasks, "status": status})


@router.post("/ingest/corrections/{correction_id}/close", dependencies=CSRF)
def close(uow: UnitOfWorkDep, actor: ActorDep, correction_id: int, note: Annotated[str, Form()] = "") -> Response:
    service.close_correction(uow, actor, correction_id, note)
    return RedirectResponse("/ingest/corrections", status_code=303)


@router.get("/ingest/resources/{code}/report", response_class=HTMLResponse)
def report_form(request: Request, actor: ActorDep, code: str) -> Response:
    return render(request, "ingest/report.html", {"code": code})


@router.post("/ingest/resources/{code}/report", dependencies=CSRF)
def report(request: Request, uow: UnitOfWorkDep, actor: ActorDep, code: str,
           record_key: Annotated[str, Form()] = "", description: Annotated[str, Form()] = "") -> Response:
    try:
        task = service.report_error(uow, actor, code, parse_form(ErrorReport, record_key=record_key,
                                                                 description=description))
    except InvalidInput as exc:
        return render(request, "ingest/report.html", {"code": code, "error": exc.message,
                                                      "record_key": record_key, "description": description},
                      status_code=400)
    return render(request, "ingest/report.html", {"code": code, "reported": task})
