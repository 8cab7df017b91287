"""A load's quality: standardise and evaluate its frame, record the result, read results back."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import polars as pl

from zhengshu.core.quality import permissions as perms
from zhengshu.core.quality import queries, repository
from zhengshu.core.quality.domain.evaluation import Evaluation
from zhengshu.core.quality.domain.evaluation import evaluate as evaluate_frame
from zhengshu.core.quality.domain.reports import mask_value
from zhengshu.core.quality.domain.rules import RuleSet
from zhengshu.core.quality.domain.standardisers import standardise_frame
from zhengshu.core.quality.events import LoadQualityRecorded
from zhengshu.core.quality.schemas import (
    BadRowView,
    ColumnReport,
    LoadQualitySummary,
    LoadQualityView,
    RuleCountView,
    StandardisedFrame,
)
from zhengshu.core.quality.service._common import audit_target, checked_entry, values_shown
from zhengshu.core.quality.service.rule_sets import rule_set_in_force
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork

SAMPLES_PER_RULE = 20
VALUE_LIMIT = 500  # characters of a bad value kept in a sample


def standardise(uow: UnitOfWork, actor: Actor, resource_code: str, frame: pl.DataFrame,
                mapping: dict[str, str] | None = None) -> StandardisedFrame:
    """The frame with each mapped column standardised (the rule set's mapping when none is given)."""
    checked_entry(uow, actor, resource_code, perms.CHECK)
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
    checked_entry(uow, actor, resource_code, perms.CHECK)
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
    entry = checked_entry(uow, actor, resource_code, perms.CHECK)
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
        uow.emit(LoadQualityRecorded(actor=actor, target=audit_target(entry.code), resource_code=entry.code,
                                     load_id=load_id, rows=evaluation.rows, rejected=evaluation.rejected,
                                     scores=scores))
        uow.commit()
    return get_load_result(uow, actor, entry.code, load_id)


def get_load_result(uow: UnitOfWork, actor: Actor, resource_code: str, load_id: str) -> LoadQualityView:
    """A load's result in full: scores, counts per rule (worst first) and sample bad rows (masked values for
    readers who do not check the providing department's data)."""
    entry = checked_entry(uow, actor, resource_code, perms.VIEW)
    with uow.reading() as session:
        row = queries.load_result(session, entry.code, load_id)
        if row is None:
            raise NotFound(f"资源 {entry.code} 没有加载 {load_id} 的质量结果", field="load_id")
        samples = queries.bad_rows_of(session, row["id"])
    rules = sorted((RuleCountView(**c) for c in row["rule_counts"]),
                   key=lambda r: (-(r.failed / r.checked) if r.checked else 0, -r.failed))
    shown = values_shown(actor, entry.provider_code)
    return LoadQualityView(**_summary(row).model_dump(), rules=rules, skipped=row["skipped"],
                           recorded_by=row["recorded_by"],
                           samples=[BadRowView(**{**{k: s[k] for k in BadRowView.model_fields},
                                                  "value": s["value"] if shown else mask_value(s["value"])})
                                    for s in samples])


def list_load_results(uow: UnitOfWork, actor: Actor, resource_code: str) -> list[LoadQualitySummary]:
    """The resource's recorded loads, newest first (a trend over loads)."""
    entry = checked_entry(uow, actor, resource_code, perms.VIEW)
    with uow.reading() as session:
        return [_summary(r) for r in queries.load_results_of(session, entry.code)]


def _summary(row: dict[str, Any]) -> LoadQualitySummary:
    return LoadQualitySummary(resource_code=row["resource_code"], load_id=row["load_id"],
                              rule_set_version=row["rule_set_version"], rows=row["rows"], rejected=row["rejected"],
                              scores=row["scores"], evaluated_at=clock.as_utc(row["evaluated_at"]))

