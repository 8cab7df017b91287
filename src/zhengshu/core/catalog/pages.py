"""HTML routes of the catalogue: browse with facets, the entry page with its lifecycle, and the register and
edit forms (items as rows). Each handler parses, calls one service function and renders."""

from __future__ import annotations

import re
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from zhengshu.core.catalog import service
from zhengshu.core.catalog.schemas import EntryCreate, EntryDetail, EntryFilter, EntryUpdate, MountInput, RetireInput
from zhengshu.kernel.errors import Conflict, InvalidInput
from zhengshu.web.csrf import require_csrf
from zhengshu.web.dependencies import ActorDep, UnitOfWorkDep
from zhengshu.web.forms import parse_form
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
CSRF = [Depends(require_csrf)]
BLANK_ROWS = 3  # empty item rows offered below the filled ones
MAX_ROWS = 200
SPLIT = re.compile(r"[\s,，、;；]+")


async def _form(request: Request) -> FormData:
    return await request.form()  # read once; Starlette keeps it for the CSRF check too


Form = Annotated[FormData, Depends(_form)]


def _text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def _items(form: FormData) -> list[dict[str, Any]]:
    """The item rows that have a name; a length that is not a whole number names its row."""
    rows = []
    for n in range(MAX_ROWS):
        name = _text(form, f"item-{n}-name")
        if not name:
            continue
        length = _text(form, f"item-{n}-length")
        if length and not length.isdigit():
            raise InvalidInput(f"第 {n + 1} 行信息项“{name}”的长度须为整数。", field=f"items.{n}.length")
        rows.append({"name": name, "data_type": _text(form, f"item-{n}-data_type"),
                     "length": int(length) if length else None, "level": _text(form, f"item-{n}-level"),
                     "personal_info": _text(form, f"item-{n}-personal_info"),
                     "is_key": bool(_text(form, f"item-{n}-is_key"))})
    return rows


def _metadata(form: FormData) -> dict[str, Any]:
    """The form's fields in the shape of the API's JSON."""
    def part(prefix: str, *names: str) -> dict[str, str] | None:
        values = {n: _text(form, f"{prefix}_{n}") for n in names}
        return values if values["type"] else None

    return {
        "name": _text(form, "name"), "abstract": _text(form, "abstract"),
        "provider_credit_code": _text(form, "provider_credit_code"),
        "format": part("format", "type", "detail"), "items": _items(form),
        "sharing": part("sharing", "type", "condition", "legal_basis", "mode"),
        "opening": part("opening", "type", "condition"),
        "update_cycle": _text(form, "update_cycle"), "update_cycle_note": _text(form, "update_cycle_note"),
        "related_codes": [c for c in SPLIT.split(_text(form, "related_codes")) if c],
        "owner": _text(form, "owner"), "contact": _text(form, "contact"),
    }


def _form_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep, values: dict[str, Any], *,
               code: str | None = None, error: InvalidInput | Conflict | None = None, rows: int = 0) -> Response:
    options = service.form_options(uow, actor)
    count = max(len(values.get("items", [])) + BLANK_ROWS, min(rows, MAX_ROWS))
    context = {"options": options, "values": values, "code": code, "rows": count,
               "error": error.message if error else None, "error_field": error.field if error else None}
    status = 200 if error is None else 409 if isinstance(error, Conflict) else 400
    return render(request, "catalog/form.html", context, status_code=status)


@router.get("/catalog", response_class=HTMLResponse)
def browse(request: Request, uow: UnitOfWorkDep, actor: ActorDep, filt: Annotated[EntryFilter, Query()],
           page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    result = service.list_entries(uow, actor, filt, page)
    chosen = {k: v for k, v in filt.model_dump().items() if v}
    return render(request, "catalog/browse.html", {"result": result, "filters": chosen,
                                                   "query": urlencode(chosen)})


@router.get("/catalog/register", response_class=HTMLResponse)
def register_page(request: Request, uow: UnitOfWorkDep, actor: ActorDep,
                  rows: Annotated[int, Query(ge=0, le=MAX_ROWS)] = 0) -> Response:
    values = {"provider_code": actor.department_code or "", "classification": {}}
    return _form_page(request, uow, actor, values, rows=rows)


@router.post("/catalog/register", dependencies=CSRF)
def register(request: Request, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    values = {**_metadata(form), "provider_code": _text(form, "provider_code"),
              "classification": {k: _text(form, k) for k in ("directory", "section", "heading", "subheading")}}
    try:
        code = service.register_entry(uow, actor, parse_form(EntryCreate, **values)).entry.code
    except (InvalidInput, Conflict) as exc:  # shown on the form, which keeps what was typed
        return _form_page(request, uow, actor, values, error=exc)
    return RedirectResponse(f"/catalog/entries/{code}", status_code=303)


def _entry_page(request: Request, detail: EntryDetail, *, error: InvalidInput | Conflict | None = None,
                done: str | None = None) -> Response:
    status = 200 if error is None else 409 if isinstance(error, Conflict) else 400
    context = {"detail": detail, "entry": detail.entry, "error": error.message if error else None, "done": done}
    return render(request, "catalog/entry.html", context, status_code=status)


@router.get("/catalog/entries/{code}", response_class=HTMLResponse)
def entry_page(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep,
               done: str | None = None) -> Response:
    return _entry_page(request, service.get_entry(uow, actor, code), done=done)


@router.get("/catalog/entries/{code}/edit", response_class=HTMLResponse)
def edit_page(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep,
              rows: Annotated[int, Query(ge=0, le=MAX_ROWS)] = 0) -> Response:
    entry = service.get_entry(uow, actor, code).entry
    return _form_page(request, uow, actor, entry.as_input(), code=entry.code, rows=rows)


@router.post("/catalog/entries/{code}/edit", dependencies=CSRF)
def edit(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    values = _metadata(form)
    try:
        service.update_entry(uow, actor, code, parse_form(EntryUpdate, **values))
    except (InvalidInput, Conflict) as exc:
        return _form_page(request, uow, actor, values, code=code, error=exc)
    return RedirectResponse(f"/catalog/entries/{code}?done=updated", status_code=303)


def _step(request: Request, uow: UnitOfWorkDep, actor: ActorDep, code: str, done: str, act: Any) -> Response:
    """Run one lifecycle step; on success back to the entry page, on a broken rule the page says why."""
    try:
        act()
    except (InvalidInput, Conflict) as exc:
        return _entry_page(request, service.get_entry(uow, actor, code), error=exc)
    return RedirectResponse(f"/catalog/entries/{code}?done={done}", status_code=303)


@router.post("/catalog/entries/{code}/mount", dependencies=CSRF)
def mount(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    columns = [c for c in SPLIT.split(_text(form, "columns")) if c]
    kind = _text(form, "kind")

    def act() -> None:
        data = parse_form(MountInput, kind=kind, reference=_text(form, "reference"),
                          columns=columns if kind == "dataset" or columns else None)
        service.mount_entry(uow, actor, code, data)

    return _step(request, uow, actor, code, "mounted", act)


@router.post("/catalog/entries/{code}/publish", dependencies=CSRF)
def publish(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep) -> Response:
    return _step(request, uow, actor, code, "published", lambda: service.publish_entry(uow, actor, code))


@router.post("/catalog/entries/{code}/retire", dependencies=CSRF)
def retire(request: Request, code: str, uow: UnitOfWorkDep, actor: ActorDep, form: Form) -> Response:
    return _step(request, uow, actor, code, "retired", lambda: service.retire_entry(
        uow, actor, code, parse_form(RetireInput, reason=_text(form, "reason"))))
