"""JSON routes of the policy module: ask a question, browse and read documents (public, no sign-in)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zhengshu.apps.policy import service
from zhengshu.apps.policy.schemas import Answer, DocumentPage, DocumentView
from zhengshu.web.dependencies import OptionalActorDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/policy", tags=["policy 政策文件与智能问答"], responses=ERRORS)


@router.get("/ask", summary="政策问答：返回回答问题的条款及出处，或明确说明没有答案", response_model=Answer)
def ask(uow: UnitOfWorkDep, actor: OptionalActorDep,
        q: Annotated[str, Query(description="问题，如：灵活就业人员怎么交养老保险？", max_length=20_000)] = ""
        ) -> Answer:
    return service.ask(uow, actor, q)


@router.get("/documents", summary="政策文件列表（按标题、发文机关、文号检索）", response_model=DocumentPage)
def documents(uow: UnitOfWorkDep, actor: OptionalActorDep,
              q: Annotated[str, Query(description="标题、发文机关或文号中的词", max_length=200)] = "",
              validity: Annotated[str | None, Query(description="in_force | expired | repealed | superseded")] = None,
              page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> DocumentPage:
    return service.list_documents(uow, actor, q, validity, page)


@router.get("/documents/{code}", summary="政策文件全文：结构、效力与相关文件", response_model=DocumentView)
def document(uow: UnitOfWorkDep, actor: OptionalActorDep, code: str) -> DocumentView:
    return service.get_document(uow, actor, code)
