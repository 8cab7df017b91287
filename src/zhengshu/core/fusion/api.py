"""JSON routes of fusion: a registry's runs and report, one record with its lineage and member rows (what a
portrait reads), and a review decision. Thin handlers over `service`."""

from __future__ import annotations

from fastapi import APIRouter

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion import service
from zhengshu.core.fusion.schemas import DecisionInput, DecisionView, RecordView, ReportView, RunView
from zhengshu.web.dependencies import ActorDep, PlatformDep, UnitOfWorkDep
from zhengshu.web.responses import ERRORS

router = APIRouter(prefix="/api/v1/fusion", tags=["fusion 基础库融合"], responses=ERRORS)


@router.get("/{registry}/runs", summary="基础库的融合记录（最新在前）", response_model=list[RunView])
def runs(registry: str, uow: UnitOfWorkDep, actor: ActorDep) -> list[RunView]:
    return service.list_runs(uow, actor, registry)


@router.get("/{registry}/report", summary="融合报告：链接统计、匹配权重分布、待复核的簇", response_model=ReportView)
def report(registry: str, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep) -> ReportView:
    return service.fusion_report(uow, actor, DatasetStore.for_data_dir(platform.settings.data_dir), registry)


@router.get("/{registry}/records/{record_id}", summary="基础库的一条记录：每个值的来源与链接成员",
            response_model=RecordView)
def record(registry: str, record_id: str, uow: UnitOfWorkDep, actor: ActorDep, platform: PlatformDep) -> RecordView:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    return service.registry_record(uow, actor, store, registry, record_id)


@router.post("/{registry}/decisions", summary="复核存疑的簇：确认或拆分（下次融合生效）", response_model=DecisionView,
             status_code=201)
def decide(registry: str, data: DecisionInput, uow: UnitOfWorkDep, actor: ActorDep,
           platform: PlatformDep) -> DecisionView:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    return service.decide_cluster(uow, actor, store, registry, data)
