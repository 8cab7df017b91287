"""HTML routes of the policy module: the public question page, the library's list and a document's page
(structure, validity, related documents), none needing a sign-in."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from zhengshu.apps.policy import service
from zhengshu.apps.policy.domain.documents import VALIDITY_TITLES
from zhengshu.web.dependencies import OptionalActorDep, UnitOfWorkDep
from zhengshu.web.templating import render

router = APIRouter(include_in_schema=False)
EXAMPLES = ("灵活就业人员怎么交养老保险？", "网络日志要保存多久？", "社保卡丢了怎么补办？", "开公司要去哪里登记？")


@router.get("/policy", response_class=HTMLResponse)
def ask(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep,
        q: Annotated[str, Query(max_length=20_000)] = "") -> Response:
    answer = service.ask(uow, actor, q) if q else None
    return render(request, "policy/ask.html", {"q": q, "answer": answer, "examples": EXAMPLES})


@router.get("/policy/documents", response_class=HTMLResponse)
def documents(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep,
              q: Annotated[str, Query(max_length=200)] = "", validity: Annotated[str, Query()] = "",
              page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    listing = service.list_documents(uow, actor, q, validity or None, page)
    return render(request, "policy/documents.html", {
        "listing": listing, "q": q, "validity": validity, "page": page, "page_size": service.PAGE_SIZE,
        "validities": [(v.value, t) for v, t in VALIDITY_TITLES.items()],
    })


@router.get("/policy/documents/{code}", response_class=HTMLResponse)
def document(request: Request, uow: UnitOfWorkDep, actor: OptionalActorDep, code: str) -> Response:
    return render(request, "policy/document.html", {"view": service.get_document(uow, actor, code)})
