"""JSON routes of the calendar module: a year's holidays and adjusted working days, and deadlines."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from zhengshu.core.calendar import service
from zhengshu.core.calendar.schemas import DeadlineView, YearView
from zhengshu.web.dependencies import ActorDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/calendar", tags=["calendar 工作日历"], responses=ERRORS)


@router.get("/days", summary="某年的节假日与调休上班日", response_model=YearView)
def days(uow: UnitOfWorkDep, actor: ActorDep,
         year: Annotated[int | None, Query(description="年份，默认今年（北京时间）")] = None) -> YearView:
    return service.list_days(uow, actor, year)


@router.get("/deadline", summary="计算期限：起算日之后第 N 个工作日", response_model=DeadlineView)
def deadline(uow: UnitOfWorkDep, actor: ActorDep,
             start: Annotated[date, Query(description="起算日（不计入），如 2026-09-28")],
             working_days: Annotated[int, Query(description="工作日数，如 5")]) -> DeadlineView:
    return service.deadline(uow, actor, start, working_days)
