"""JSON routes of the audit module: the records (same filters and pages as the web page) and verification."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from zhengshu.core.audit import service
from zhengshu.core.audit.domain import RecordPage, VerificationResult, make_filter
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/audit", tags=["audit 审计"], responses=ERRORS)


@router.get("/records", summary="审计记录（新记录在前，按 next_before 翻页）", response_model=RecordPage)
def records(
    uow: UnitOfWorkDep,
    actor: ActorDep,
    who: Annotated[str | None, Query(alias="actor", description="操作人：标识、账号或姓名")] = None,
    department: Annotated[str | None, Query(description="部门代码")] = None,
    action: Annotated[str | None, Query(description="操作；以 * 结尾为前缀")] = None,
    since: Annotated[str | None, Query(alias="from", description="开始时间（北京时间）")] = None,
    until: Annotated[str | None, Query(alias="to", description="结束时间（北京时间，含）")] = None,
    before: Annotated[int | None, Query(ge=1, description="只看序号小于此值的记录")] = None,
    limit: Annotated[int, Query(ge=1, le=service.MAX_PAGE_SIZE)] = 50,
) -> RecordPage:
    record_filter = make_filter(who, department, action, since, until)
    return service.list_records(uow, actor, record_filter, before=before, limit=limit)


@router.get("/verify", summary="校验审计链", response_model=VerificationResult)
def verify(platform: PlatformDep, actor: ActorDep) -> VerificationResult:
    return service.verify_chain(platform.uow(), actor, platform.audit_key.public_key_hex)
