"""Quality reports (质量报告): the overview and ranking of departments, a resource's report, a load's XLSX,
the home-page card."""

from __future__ import annotations

from typing import Any

from zhengshu.core.catalog import service as catalog
from zhengshu.core.identity import access
from zhengshu.core.identity import service as identity
from zhengshu.core.quality import permissions as perms
from zhengshu.core.quality import queries
from zhengshu.core.quality.domain.reports import LOW_SCORE, overall_score, rank_departments
from zhengshu.core.quality.domain.rules import DIMENSIONS
from zhengshu.core.quality.domain.workbook import load_workbook_bytes
from zhengshu.core.quality.schemas import (
    DepartmentRank,
    DepartmentReport,
    QualityOverview,
    ResourceReport,
    ResourceScore,
)
from zhengshu.core.quality.service._common import checked_entry, values_shown
from zhengshu.core.quality.service.loads import get_load_result, list_load_results
from zhengshu.core.quality.service.rule_sets import rule_set_document
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Card

LOWEST = 10  # resources listed under the ranking


def _latest(uow: UnitOfWork, actor: Actor, provider_code: str | None = None) -> list[dict[str, Any]]:
    """Each resource's latest load result with its provider, optionally one provider's only (results recorded
    before providers were kept are resolved through the catalogue, as far as the actor may see the entry)."""
    with uow.reading() as session:
        rows = queries.latest_results(session, provider_code)
    for row in rows:
        if row["provider_code"] is None:
            try:
                row["provider_code"] = catalog.get_entry(uow, actor, row["resource_code"]).entry.provider_code
            except NotFound:
                continue
    return [r for r in rows if r["provider_code"] is not None
            and (provider_code is None or r["provider_code"] == provider_code)]


def _department_names(uow: UnitOfWork, actor: Actor) -> dict[str, str]:
    return {o.code: o.name for o in identity.list_organisations(uow, actor)}


def _resource_name(uow: UnitOfWork, actor: Actor, code: str) -> str:
    try:
        return catalog.get_entry(uow, actor, code).entry.name
    except NotFound:
        return code


def _ranking(uow: UnitOfWork, actor: Actor, latest: list[dict[str, Any]]) -> list[DepartmentRank]:
    names = _department_names(uow, actor)
    return [DepartmentRank(rank=d.rank, code=d.code, name=names.get(d.code, d.code), resources=d.resources,
                           below=d.below, scores=d.scores, overall=d.overall, own=d.code == actor.department_code,
                           viewable=access.can(actor, perms.VIEW, department=d.code))
            for d in rank_departments((r["provider_code"], r["scores"]) for r in latest)]


def _lowest_first(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda r: (overall_score(r["scores"]) is None, overall_score(r["scores"]) or 0,
                                       r["resource_code"]))


def quality_overview(uow: UnitOfWork, actor: Actor, lowest: int = LOWEST) -> QualityOverview:
    """质量总览: the city-wide ranking of departments by their resources' latest loads (aggregates, for every
    reader of quality results) and the lowest-scoring resources the reader may see."""
    access.require(actor, perms.VIEW)
    latest = _latest(uow, actor)
    visible = _lowest_first([r for r in latest if access.can(actor, perms.VIEW, department=r["provider_code"])])
    return QualityOverview(dimensions=list(DIMENSIONS), low_score=LOW_SCORE, departments=_ranking(uow, actor, latest),
                           lowest=[_resource_score(uow, actor, r) for r in visible[:lowest]],
                           sees_all=access.city_wide(actor, perms.VIEW))


def department_report(uow: UnitOfWork, actor: Actor, department_code: str) -> DepartmentReport:
    """A department's quality: its place in the ranking and each of its resources' latest load, lowest first."""
    access.require(actor, perms.VIEW, department=department_code)
    names = _department_names(uow, actor)
    if department_code not in names:
        raise NotFound(f"没有代码为 {department_code} 的部门", field="department_code")
    latest = _latest(uow, actor)
    ranking = _ranking(uow, actor, latest)
    own = _lowest_first([r for r in latest if r["provider_code"] == department_code])
    return DepartmentReport(code=department_code, name=names[department_code], dimensions=list(DIMENSIONS),
                            low_score=LOW_SCORE, departments=len(ranking),
                            standing=next((d for d in ranking if d.code == department_code), None),
                            resources=[_resource_score(uow, actor, r) for r in own])


def _resource_score(uow: UnitOfWork, actor: Actor, row: dict[str, Any]) -> ResourceScore:
    code = row["resource_code"]
    return ResourceScore(resource_code=code, resource_name=_resource_name(uow, actor, code),
                         provider_code=row["provider_code"], load_id=row["load_id"], rows=row["rows"],
                         rejected=row["rejected"], scores=row["scores"], overall=overall_score(row["scores"]),
                         evaluated_at=clock.as_utc(row["evaluated_at"]))


def resource_report(uow: UnitOfWork, actor: Actor, resource_code: str, trend: int = 30) -> ResourceReport:
    """A resource's quality report: its latest load in full, the scores of its last `trend` loads (oldest
    first) and the rule set in force."""
    entry = checked_entry(uow, actor, resource_code, perms.VIEW)
    loads = list_load_results(uow, actor, entry.code)
    latest = get_load_result(uow, actor, entry.code, loads[0].load_id) if loads else None
    return ResourceReport(resource_code=entry.code, resource_name=entry.name, provider_code=entry.provider_code,
                          provider_name=entry.provider_name, latest=latest,
                          overall=overall_score(latest.scores) if latest else None,
                          trend=list(reversed(loads[:trend])), rules=rule_set_document(uow, actor, entry.code),
                          can_manage=access.can(actor, perms.MANAGE, department=entry.provider_code),
                          values_masked=not values_shown(actor, entry.provider_code))


def load_report_workbook(uow: UnitOfWork, actor: Actor, resource_code: str, load_id: str) -> tuple[str, bytes]:
    """A load's quality report as an XLSX file: (file name, content)."""
    entry = checked_entry(uow, actor, resource_code, perms.VIEW)
    result = get_load_result(uow, actor, entry.code, load_id)
    evaluated = result.evaluated_at.astimezone(clock.DISPLAY_ZONE)
    summary = [("资源代码", entry.code), ("资源名称", entry.name), ("提供部门", entry.provider_name),
               ("加载编号", result.load_id), ("校验时间", f"{evaluated:%Y-%m-%d %H:%M:%S}"),
               ("规则集版本", result.rule_set_version or "建议规则"), ("记录数", result.rows),
               ("拒收行数", result.rejected), ("综合得分", overall_score(result.scores)),
               ("样例值", "已脱敏" if not values_shown(actor, entry.provider_code) else "原值")]
    content = load_workbook_bytes(summary, result.scores, [r.model_dump() for r in result.rules],
                                  [s.model_dump() for s in result.samples])
    return f"质量报告-{entry.code}-{result.load_id}.xlsx", content


def home_cards(uow: UnitOfWork, actor: Actor) -> list[Card]:
    """For a department's data officer: how many of their department's resources score below LOW_SCORE at
    their latest load, and which scores lowest. For those who see every department: the count city-wide."""
    if not access.can(actor, perms.VIEW):
        return []
    everything = access.city_wide(actor, perms.VIEW)
    if not everything and actor.department_code is None:
        return []
    latest = _latest(uow, actor, None if everything else actor.department_code)
    if not latest:
        return []
    scored = sorted((overall_score(r["scores"]), r["resource_code"]) for r in latest
                    if overall_score(r["scores"]) is not None)
    below = [s for s in scored if s[0] < LOW_SCORE]
    whose = "全市" if everything else "本部门"
    note = ""
    link = "/quality"
    if scored and not everything:
        score, code = scored[0]
        note = f"最低：{_resource_name(uow, actor, code)} {score:g} 分"
        link = f"/quality/resources/{code}"
    return [Card(f"{whose}质量得分低于 {LOW_SCORE:g} 分的资源", len(below), link,
                 "warning" if below else "normal", note)]
