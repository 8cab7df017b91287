"""JSON routes of data quality: the overview and ranking, a department's resources, a resource's loads and a
load's result, the rule set in force and saving a new version of it. Thin handlers over `service`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body

from zhengshu.core.quality import service
from zhengshu.core.quality.schemas import (
    DepartmentReport,
    LoadQualitySummary,
    LoadQualityView,
    QualityOverview,
    RuleSetInForce,
    RuleSetView,
)
from zhengshu.web.dependencies import ActorDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/quality", tags=["quality 数据质量"], responses=ERRORS)


@router.get("/overview", summary="质量总览：部门排名与得分最低的资源", response_model=QualityOverview)
def overview(uow: UnitOfWorkDep, actor: ActorDep) -> QualityOverview:
    return service.quality_overview(uow, actor)


@router.get("/departments/{code}", summary="部门质量：排名位置与各资源最近一次加载的得分",
            response_model=DepartmentReport)
def department(code: str, uow: UnitOfWorkDep, actor: ActorDep) -> DepartmentReport:
    return service.department_report(uow, actor, code)


@router.get("/resources/{code}/loads", summary="资源的历次加载质量结果（最新在前）",
            response_model=list[LoadQualitySummary])
def loads(code: str, uow: UnitOfWorkDep, actor: ActorDep) -> list[LoadQualitySummary]:
    return service.list_load_results(uow, actor, code)


@router.get("/resources/{code}/loads/{load_id}", summary="一次加载的质量结果（各规则计数与问题样例）",
            response_model=LoadQualityView)
def load(code: str, load_id: str, uow: UnitOfWorkDep, actor: ActorDep) -> LoadQualityView:
    return service.get_load_result(uow, actor, code, load_id)


@router.get("/resources/{code}/rules", summary="资源现行的质量规则集（未保存时为建议规则）",
            response_model=RuleSetInForce)
def rules(code: str, uow: UnitOfWorkDep, actor: ActorDep) -> RuleSetInForce:
    return service.rule_set_document(uow, actor, code)


@router.put("/resources/{code}/rules", summary="保存资源的质量规则集（新版本）", response_model=RuleSetView)
def save_rules(code: str, uow: UnitOfWorkDep, actor: ActorDep,
               body: dict[str, Any] = Body(..., description="规则集：{standardisers: {…}, rules: […]}")) -> RuleSetView:
    return service.save_rule_set(uow, actor, code, body)

