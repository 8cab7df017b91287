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
from zhengshu.core.quality import permissions as perms
from zhengshu.core.quality import queries, repository
from zhengshu.core.quality.domain.evaluation import Evaluation
from zhengshu.core.quality.domain.evaluation import evaluate as evaluate_frame
from zhengshu.core.quality.domain.rules import RuleSet, parse_rule_set, parse_rule_set_text
from zhengshu.core.quality.domain.standardisers import standardise_frame
from zhengshu.core.quality.domain.suggestion import ItemSpec, suggest_rule_set
from zhengshu.core.quality.events import LoadQualityRecorded, RuleSetSaved
from zhengshu.core.quality.schemas import (
    BadRowView,
    ColumnReport,
    LoadQualitySummary,
    LoadQualityView,
    RuleCountView,
    RuleSetView,
    StandardisedFrame,
)
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.permissions import Permission
from zhengshu.kernel.unit_of_work import UnitOfWork

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
    """Save a rule set written as a JSON (or, with PyYAML installed, YAML) file's text."""
    return save_rule_set(uow, actor, resource_code, parse_rule_set_text(text, suffix))


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
            "resource_code": entry.code, "load_id": load_id, "rule_set_version": evaluation.rule_set_version,
            "rows": evaluation.rows, "rejected": evaluation.rejected, "scores": scores, "rule_counts": counts,
            "skipped": dict(evaluation.skipped), "evaluated_at": clock.now(), "recorded_by": actor.label}, samples)
        uow.emit(LoadQualityRecorded(actor=actor, target=_target(entry.code), resource_code=entry.code,
                                     load_id=load_id, rows=evaluation.rows, rejected=evaluation.rejected,
                                     scores=scores))
        uow.commit()
    return get_load_result(uow, actor, entry.code, load_id)


def get_load_result(uow: UnitOfWork, actor: Actor, resource_code: str, load_id: str) -> LoadQualityView:
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    with uow.reading() as session:
        row = queries.load_result(session, entry.code, load_id)
        if row is None:
            raise NotFound(f"资源 {entry.code} 没有加载 {load_id} 的质量结果", field="load_id")
        samples = queries.bad_rows_of(session, row["id"])
    rules = sorted((RuleCountView(**c) for c in row["rule_counts"]),
                   key=lambda r: (-(r.failed / r.checked) if r.checked else 0, -r.failed))
    return LoadQualityView(**_summary(row).model_dump(), rules=rules, skipped=row["skipped"],
                           recorded_by=row["recorded_by"],
                           samples=[BadRowView(**{k: s[k] for k in BadRowView.model_fields}) for s in samples])


def list_load_results(uow: UnitOfWork, actor: Actor, resource_code: str) -> list[LoadQualitySummary]:
    """The resource's recorded loads, newest first (a trend over loads)."""
    entry = _resource(uow, actor, resource_code, perms.VIEW)
    with uow.reading() as session:
        return [_summary(r) for r in queries.load_results_of(session, entry.code)]


def _summary(row: dict[str, Any]) -> LoadQualitySummary:
    return LoadQualitySummary(resource_code=row["resource_code"], load_id=row["load_id"],
                              rule_set_version=row["rule_set_version"], rows=row["rows"], rejected=row["rejected"],
                              scores=row["scores"], evaluated_at=clock.as_utc(row["evaluated_at"]))
