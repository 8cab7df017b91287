"""JSON routes of the supervision module: plans, tasks, a task's progress, dashboards."""

from __future__ import annotations

from fastapi import APIRouter

from zhengshu.apps.supervision import service
from zhengshu.apps.supervision.schemas import Dashboard, PlanView, ProgressInput, ReportView, TaskDetail, TaskRow
from zhengshu.web.dependencies import ActorDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/supervision", tags=["supervision 电子督查"], responses=ERRORS)


@router.get("/plans", summary="已导入的实施方案", response_model=list[PlanView])
def plans(uow: UnitOfWorkDep, actor: ActorDep) -> list[PlanView]:
    return service.list_plans(uow, actor)


@router.get("/plans/{plan_id}/tasks", summary="方案的任务（督查人员：全部；部门：本部门承担的）",
            response_model=list[TaskRow])
def tasks(plan_id: int, uow: UnitOfWorkDep, actor: ActorDep) -> list[TaskRow]:
    return service.list_tasks(uow, actor, plan_id)


@router.get("/plans/{plan_id}/dashboard", summary="督查看板：分部门、分部分统计", response_model=Dashboard)
def dashboard(plan_id: int, uow: UnitOfWorkDep, actor: ActorDep) -> Dashboard:
    return service.dashboard(uow, actor, plan_id)


@router.get("/tasks/{task_id}", summary="任务详情：各单位进展与报送记录", response_model=TaskDetail)
def task(task_id: int, uow: UnitOfWorkDep, actor: ActorDep) -> TaskDetail:
    return service.task_detail(uow, actor, task_id)


@router.post("/tasks/{task_id}/reports", summary="报送本部门的任务进展（附件请用网页表单上传）",
             response_model=ReportView, status_code=201)
def report(task_id: int, data: ProgressInput, uow: UnitOfWorkDep, actor: ActorDep) -> ReportView:
    return service.report_progress(uow, actor, task_id, data)
