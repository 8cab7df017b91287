"""Data-quality use cases. Each takes the unit of work and the acting actor first and checks permissions through
`identity.access`, naming the department that provides the resource (from the catalogue), before it reads or
writes anything.

Other modules (the ingest pipeline) call `standardise` and `evaluate` on a load's frame, then
`record_load_result` with their own load id; `rule_set_in_force` says which rules apply (the saved rule set, or
the suggestion from the catalogue entry while none is saved).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from zhengshu.core.catalog import service as catalog
from zhengshu.core.identity import access
from zhengshu.core.identity import service as identity
from zhengshu.core.quality import permissions as perms
from zhengshu.core.quality import queries, repository
from zhengshu.core.quality.domain.evaluation import Evaluation
from zhengshu.core.quality.domain.evaluation import evaluate as evaluate_frame
from zhengshu.core.quality.domain.reports import LOW_SCORE, mask_value, overall_score, rank_departments
from zhengshu.core.quality.domain.rules import DIMENSIONS, RuleSet, parse_rule_set, rule_set_data
from zhengshu.core.quality.domain.standardisers import standardise_frame
from zhengshu.core.quality.domain.suggestion import ItemSpec, suggest_rule_set
from zhengshu.core.quality.domain.workbook import load_workbook_bytes
from zhengshu.core.quality.events import LoadQualityRecorded, RuleSetSaved
from zhengshu.core.quality.schemas import (
    BadRowView,
    ColumnReport,
    DepartmentRank,
    LoadQualitySummary,
    LoadQualityView,
    QualityOverview,
    ResourceReport,
    ResourceScore,
    RuleCountView,
    RuleSetInForce,
    RuleSetView,
    StandardisedFrame,
)
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.permissions import Permission
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Card

SAMPLES_PER_RULE = 20
VALUE_LIMIT = 500  # characters of a bad value kept in a sample


def _resource(uow: UnitOfWork, actor: Actor, resource_code: str, permission: Permission) -> Any:
    """The catalogue entry of the resource, if the actor holds `permission` for its provider."""
    entry = catalog.get_entry(uow, actor, resource_code).entry
    access.require(actor, permission, department=entry.provider_code)
    return entry


def _target(code: str) -> str:
    return f"resource:{code}"


# --- rule sets --------------------------------------------------------------------------------------------------


def get_rule_set(uow: UnitOfWork, actor: Actor, resource_code: str) -> RuleSetView | None:
    """The resource's saved rule set (its newest version), or None when none was saved yet."""
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    with uow.reading() as session:
        row = queries.latest_rule_set(session, entry.code)
    if row is None:
        return None
    return RuleSetView(resource_code=entry.code, version=row["version"], rule_set=RuleSet.model_validate(
        row["document"]), created_at=clock.as_utc(row["created_at"]), created_by=row["created_by"])


def suggest_rules(uow: UnitOfWork, actor: Actor, resource_code: str) -> RuleSet:
    """A default rule set from the catalogue entry's items and update cycle, to edit before saving."""
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    items = [ItemSpec(i.name, i.data_type.value, i.length, i.is_key) for i in entry.items]
    return suggest_rule_set(entry.code, items, entry.update_cycle.value if entry.update_cycle else "")


def rule_set_in_force(uow: UnitOfWork, actor: Actor, resource_code: str) -> tuple[RuleSet, int | None]:
    """The saved rule set and its version, or the suggested one and None while none is saved."""
    saved = get_rule_set(uow, actor, resource_code)
    if saved is not None:
        return saved.rule_set, saved.version
    return suggest_rules(uow, actor, resource_code), None


def save_rule_set(uow: UnitOfWork, actor: Actor, resource_code: str, rule_set: RuleSet | dict[str, Any]
                  ) -> RuleSetView:
    """Save a new version of the resource's rule set (the same document as the newest makes no new version).

    Every field a rule or a standardiser names must be an item of the catalogue entry."""
    entry = _resource(uow, actor, resource_code, perms.MANAGE)
    if isinstance(rule_set, dict):
        rule_set = parse_rule_set({"resource_code": entry.code, **rule_set})
    if rule_set.resource_code != entry.code:
        raise InvalidInput(f"规则集属于资源 {rule_set.resource_code}，不能保存到 {entry.code}", field="resource_code")
    _check_items(rule_set, {i.name for i in entry.items})
    document = rule_set.dump()
    with uow:
        current = queries.latest_rule_set(uow.session, entry.code)
        if current is not None and current["document"] == document:
            return get_rule_set(uow, actor, entry.code)  # type: ignore[return-value]
        version, now = repository.next_rule_set_version(uow.session, entry.code), clock.now()
        repository.add_rule_set(uow.session, resource_code=entry.code, version=version, document=document,
                                created_at=now, created_by=actor.label)
        uow.emit(RuleSetSaved(actor=actor, target=_target(entry.code), resource_code=entry.code, version=version,
                              rules=len(rule_set.rules)))
        uow.commit()
    return get_rule_set(uow, actor, entry.code)  # type: ignore[return-value]


def save_rule_set_text(uow: UnitOfWork, actor: Actor, resource_code: str, text: str, suffix: str = ".json"
                       ) -> RuleSetView:
    """Save a rule set written as a JSON (or, with PyYAML installed, YAML) file's text; its `resource_code`
    may be left out (it is the resource's)."""
    return save_rule_set(uow, actor, resource_code, rule_set_data(text, suffix))


def _check_items(rule_set: RuleSet, items: set[str]) -> None:
    if not items:
        return
    for name in rule_set.standardisers:
        if name not in items:
            raise InvalidInput(f"标准化器配置：资源没有信息项“{name}”", field=name)
    for index, rule in enumerate(rule_set.rules, start=1):
        for name in rule.fields:
            if name not in items:
                raise InvalidInput(f"规则 {rule.id}（第 {index} 条）：资源没有信息项“{name}”", field=name)


# --- standardising and evaluating a load ------------------------------------------------------------------------


def standardise(uow: UnitOfWork, actor: Actor, resource_code: str, frame: pl.DataFrame,
                mapping: dict[str, str] | None = None) -> StandardisedFrame:
    """The frame with each mapped column standardised (the rule set's mapping when none is given)."""
    _resource(uow, actor, resource_code, perms.CHECK)
    if mapping is None:
        mapping = dict(rule_set_in_force(uow, actor, resource_code)[0].standardisers)
    out, report = standardise_frame(frame, mapping)
    return StandardisedFrame(out, [ColumnReport(column=c, standardiser=mapping[c], changed=r.changed,
                                                unfixable=r.unfixable) for c, r in report.items()])


def evaluate(uow: UnitOfWork, actor: Actor, resource_code: str, frame: pl.DataFrame, *, row_column: str = "row",
             references: dict[str, pl.DataFrame] | None = None, last_loaded: date | None = None,
             today: date | None = None, rule_set: RuleSet | None = None) -> Evaluation:
    """Check the frame against the rule set in force (or `rule_set`): violations, row verdicts, scores.

    `last_loaded` defaults to the day of the resource's last recorded load (for timeliness rules)."""
    _resource(uow, actor, resource_code, perms.CHECK)
    version = None
    if rule_set is None:
        rule_set, version = rule_set_in_force(uow, actor, resource_code)
    if last_loaded is None:
        with uow.reading() as session:
            previous = queries.last_evaluated_at(session, resource_code)
        last_loaded = clock.as_utc(previous).astimezone(clock.DISPLAY_ZONE).date() if previous else None
    today = today or clock.now().astimezone(clock.DISPLAY_ZONE).date()
    result = evaluate_frame(frame, rule_set, row_column=row_column, references=references,
                            last_loaded=last_loaded, today=today)
    return replace(result, rule_set_version=version)


def record_load_result(uow: UnitOfWork, actor: Actor, resource_code: str, load_id: str, evaluation: Evaluation,
                       *, samples_per_rule: int = SAMPLES_PER_RULE) -> LoadQualityView:
    """Keep a load's quality result: scores, counts per rule and up to `samples_per_rule` bad rows per rule."""
    entry = _resource(uow, actor, resource_code, perms.CHECK)
    load_id = load_id.strip()
    if not load_id or len(load_id) > 64:
        raise InvalidInput("加载编号须为 1–64 个字符", field="load_id")
    counts = [{"rule_id": o.rule_id, "kind": o.kind, "dimension": o.dimension, "severity": o.severity,
               "fields": list(o.fields), "message": o.message, "checked": o.checked, "failed": o.failed}
              for o in evaluation.outcomes]
    samples = [{"rule_id": s["rule_id"], "row": s["row"], "field": s["field"][:400],
                "value": None if s["value"] is None else s["value"][:VALUE_LIMIT], "message": s["message"]}
               for s in evaluation.samples(samples_per_rule).iter_rows(named=True)]
    scores = evaluation.scores
    with uow:
        if repository.load_recorded(uow.session, entry.code, load_id):
            raise Conflict(f"资源 {entry.code} 的加载 {load_id} 已记录质量结果", field="load_id")
        repository.add_load_result(uow.session, {
            "resource_code": entry.code, "provider_code": entry.provider_code, "load_id": load_id,
            "rule_set_version": evaluation.rule_set_version,
            "rows": evaluation.rows, "rejected": evaluation.rejected, "scores": scores, "rule_counts": counts,
            "skipped": dict(evaluation.skipped), "evaluated_at": clock.now(), "recorded_by": actor.label}, samples)
        uow.emit(LoadQualityRecorded(actor=actor, target=_target(entry.code), resource_code=entry.code,
                                     load_id=load_id, rows=evaluation.rows, rejected=evaluation.rejected,
                                     scores=scores))
        uow.commit()
    return get_load_result(uow, actor, entry.code, load_id)


def get_load_result(uow: UnitOfWork, actor: Actor, resource_code: str, load_id: str) -> LoadQualityView:
    """A load's result in full: scores, counts per rule (worst first) and sample bad rows (masked values for
    readers who do not check the providing department's data)."""
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    with uow.reading() as session:
        row = queries.load_result(session, entry.code, load_id)
        if row is None:
            raise NotFound(f"资源 {entry.code} 没有加载 {load_id} 的质量结果", field="load_id")
        samples = queries.bad_rows_of(session, row["id"])
    rules = sorted((RuleCountView(**c) for c in row["rule_counts"]),
                   key=lambda r: (-(r.failed / r.checked) if r.checked else 0, -r.failed))
    shown = _values_shown(actor, entry.provider_code)
    return LoadQualityView(**_summary(row).model_dump(), rules=rules, skipped=row["skipped"],
                           recorded_by=row["recorded_by"],
                           samples=[BadRowView(**{**{k: s[k] for k in BadRowView.model_fields},
                                                  "value": s["value"] if shown else mask_value(s["value"])})
                                    for s in samples])


def _values_shown(actor: Actor, provider_code: str) -> bool:
    """Sample values (source data, possibly personal) in full only for those who check that department's data;
    other readers (analysts) see them masked."""
    return access.can(actor, perms.CHECK, department=provider_code)


def list_load_results(uow: UnitOfWork, actor: Actor, resource_code: str) -> list[LoadQualitySummary]:
    """The resource's recorded loads, newest first (a trend over loads)."""
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    with uow.reading() as session:
        return [_summary(r) for r in queries.load_results_of(session, entry.code)]


def _summary(row: dict[str, Any]) -> LoadQualitySummary:
    return LoadQualitySummary(resource_code=row["resource_code"], load_id=row["load_id"],
                              rule_set_version=row["rule_set_version"], rows=row["rows"], rejected=row["rejected"],
                              scores=row["scores"], evaluated_at=clock.as_utc(row["evaluated_at"]))


# --- reports: the overview, a resource's report, the XLSX of a load, the home-page card --------------------------

LOWEST = 10  # resources listed under the ranking


def _sees_all(actor: Actor) -> bool:
    """Whether the actor reads every department's results (data authority, analysts, the platform)."""
    return any(not role.department_scoped for role in perms.VIEW.roles & access.roles_of(actor))


def _latest(uow: UnitOfWork, actor: Actor, provider_code: str | None = None) -> list[dict[str, Any]]:
    """Each resource's latest load result with its provider (results recorded before providers were kept are
    resolved through the catalogue, as far as the actor may see the entry)."""
    with uow.reading() as session:
        rows = queries.latest_results(session, provider_code)
    for row in rows:
        if row["provider_code"] is None:
            try:
                row["provider_code"] = catalog.get_entry(uow, actor, row["resource_code"]).entry.provider_code
            except NotFound:
                continue
    return [r for r in rows if r["provider_code"] is not None]


def _department_names(uow: UnitOfWork, actor: Actor) -> dict[str, str]:
    return {o.code: o.name for o in identity.list_organisations(uow, actor)}


def _resource_name(uow: UnitOfWork, actor: Actor, code: str) -> str:
    try:
        return catalog.get_entry(uow, actor, code).entry.name
    except NotFound:
        return code


def quality_overview(uow: UnitOfWork, actor: Actor, lowest: int = LOWEST) -> QualityOverview:
    """质量总览: the city-wide ranking of departments by their resources' latest loads (aggregates, for every
    reader of quality results) and the lowest-scoring resources the reader may see."""
    access.require(actor, perms.VIEW)
    latest = _latest(uow, actor)
    names = _department_names(uow, actor)
    ranking = [DepartmentRank(rank=d.rank, code=d.code, name=names.get(d.code, d.code), resources=d.resources,
                              below=d.below, scores=d.scores, overall=d.overall, own=d.code == actor.department_code)
               for d in rank_departments((r["provider_code"], r["scores"]) for r in latest)]
    visible = [r for r in latest if access.can(actor, perms.VIEW, department=r["provider_code"])]
    visible.sort(key=lambda r: (overall_score(r["scores"]) is None, overall_score(r["scores"]) or 0,
                                r["resource_code"]))
    return QualityOverview(dimensions=list(DIMENSIONS), low_score=LOW_SCORE, departments=ranking,
                           lowest=[_resource_score(uow, actor, r) for r in visible[:lowest]],
                           sees_all=_sees_all(actor))


def _resource_score(uow: UnitOfWork, actor: Actor, row: dict[str, Any]) -> ResourceScore:
    code = row["resource_code"]
    return ResourceScore(resource_code=code, resource_name=_resource_name(uow, actor, code),
                         provider_code=row["provider_code"], load_id=row["load_id"], rows=row["rows"],
                         rejected=row["rejected"], scores=row["scores"], overall=overall_score(row["scores"]),
                         evaluated_at=clock.as_utc(row["evaluated_at"]))


def rule_set_document(uow: UnitOfWork, actor: Actor, resource_code: str) -> RuleSetInForce:
    """The rule set in force for the resource (saved, or suggested while none is saved)."""
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    rule_set, version = rule_set_in_force(uow, actor, entry.code)
    return RuleSetInForce(resource_code=entry.code, resource_name=entry.name, version=version, rule_set=rule_set,
                          can_manage=access.can(actor, perms.MANAGE, department=entry.provider_code))


def resource_report(uow: UnitOfWork, actor: Actor, resource_code: str, trend: int = 30) -> ResourceReport:
    """A resource's quality report: its latest load in full, the scores of its last `trend` loads (oldest
    first) and the rule set in force."""
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    loads = list_load_results(uow, actor, entry.code)
    latest = get_load_result(uow, actor, entry.code, loads[0].load_id) if loads else None
    return ResourceReport(resource_code=entry.code, resource_name=entry.name, provider_code=entry.provider_code,
                          provider_name=entry.provider_name, latest=latest,
                          overall=overall_score(latest.scores) if latest else None,
                          trend=list(reversed(loads[:trend])), rules=rule_set_document(uow, actor, entry.code),
                          can_manage=access.can(actor, perms.MANAGE, department=entry.provider_code),
                          values_masked=not _values_shown(actor, entry.provider_code))


def load_report_workbook(uow: UnitOfWork, actor: Actor, resource_code: str, load_id: str) -> tuple[str, bytes]:
    """A load's quality report as an XLSX file: (file name, content)."""
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    result = get_load_result(uow, actor, entry.code, load_id)
    evaluated = result.evaluated_at.astimezone(clock.DISPLAY_ZONE)
    summary = [("资源代码", entry.code), ("资源名称", entry.name), ("提供部门", entry.provider_name),
               ("加载编号", result.load_id), ("校验时间", f"{evaluated:%Y-%m-%d %H:%M:%S}"),
               ("规则集版本", result.rule_set_version or "建议规则"), ("记录数", result.rows),
               ("拒收行数", result.rejected), ("综合得分", overall_score(result.scores)),
               ("样例值", "已脱敏" if not _values_shown(actor, entry.provider_code) else "原值")]
    content = load_workbook_bytes(summary, result.scores, [r.model_dump() for r in result.rules],
                                  [s.model_dump() for s in result.samples])
    return f"质量报告-{entry.code}-{result.load_id}.xlsx", content


def home_cards(uow: UnitOfWork, actor: Actor) -> list[Card]:
    """For a department's data officer: how many of their department's resources score below LOW_SCORE at
    their latest load, and which scores lowest. For those who see every department: the count city-wide."""
    if not access.can(actor, perms.VIEW):
        return []
    everything = _sees_all(actor)
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
