"""Correction tasks (校核纠错, "谁提供谁负责"): the rules a load's rows broke and the errors consumers report
go back to the providing department as tasks with a deadline in working days. A later load that no longer has
a problem closes its task (fixed at source); a reported error is closed by the provider with a note."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.identity import access
from zhengshu.core.ingest import permissions as perms
from zhengshu.core.ingest import queries, repository
from zhengshu.core.ingest.events import CorrectionClosed, CorrectionOpened
from zhengshu.core.ingest.schemas import CorrectionView, ErrorReport
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.kernel.errors import Conflict, InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.modules import Card

CORRECTION_DAYS = 5  # working days a provider has to fix a problem at source
ORIGIN_TITLES = {"load": "加载校验发现", "consumer": "使用方报告", "fusion": "基础库融合发现"}


def _today() -> date:
    return clock.now().astimezone(clock.DISPLAY_ZONE).date()


def _due(uow: UnitOfWork, today: date) -> date:
    """Five working days on, from the calendar; a year the calendar does not cover counts a week a week."""
    try:
        return calendar.deadline(uow, system_actor("校核纠错"), today, CORRECTION_DAYS).deadline
    except InvalidInput:
        return today + timedelta(days=CORRECTION_DAYS * 7 // 5)


def _target(code: str) -> str:
    return f"catalog_entry:{code}"


def track_load(uow: UnitOfWork, actor: Actor, resource_code: str, provider_code: str, load_id: str,
               problems: Mapping[str, int]) -> None:
    """After a load read its whole source: open a task for each rejecting problem not yet open, refresh the
    open ones (rows, newest load), and close those the load no longer has."""
    access.require(actor, perms.LOAD, department=provider_code)
    _track(uow, actor, "load", resource_code, provider_code, load_id, problems)


def track_fusion(uow: UnitOfWork, actor: Actor, resource_code: str, provider_code: str, run_id: str,
                 problems: Mapping[str, int]) -> None:
    """After a base registry's fusion run: the values of a resource that differ from the field's authoritative
    source (一数一源) are tasks for the resource's provider, kept up to date run by run like a load's."""
    access.require(actor, perms.LOAD, department=provider_code)
    _track(uow, actor, "fusion", resource_code, provider_code, run_id, problems)


def _track(uow: UnitOfWork, actor: Actor, origin: str, resource_code: str, provider_code: str, load_id: str,
           problems: Mapping[str, int]) -> None:
    today, now = _today(), clock.now()
    with uow:
        open_tasks = queries.open_load_corrections(uow.session, resource_code, origin)
        for problem, rows in problems.items():
            task = open_tasks.get(problem)
            if task is not None:
                repository.update_correction(uow.session, task["id"], rows=rows, load_id=load_id)
                continue
            due = _due(uow, today)
            task_id = repository.open_correction(
                uow.session, resource_code=resource_code, provider_code=provider_code, origin=origin,
                problem=problem, rows=rows, load_id=load_id, due_on=due, opened_at=now)
            uow.emit(CorrectionOpened(actor=actor, target=_target(resource_code), correction_id=task_id,
                                      resource_code=resource_code, provider_code=provider_code, origin=origin,
                                      problem=problem[:200], due_on=due.isoformat()))
        for problem, task in open_tasks.items():
            if problem not in problems:
                note = f"{'加载' if origin == 'load' else '融合'} {load_id} 中已无此问题"
                repository.update_correction(uow.session, task["id"], status="closed", closed_at=now,
                                             closing_note=note, rows=0, load_id=load_id)
                uow.emit(CorrectionClosed(actor=actor, target=_target(resource_code), correction_id=task["id"],
                                          resource_code=resource_code, note=note))
        uow.commit()


def report_error(uow: UnitOfWork, actor: Actor, resource_code: str, report: ErrorReport) -> CorrectionView:
    """A consuming department reports a wrong record of a published resource: a task for its provider."""
    access.require(actor, perms.REPORT)
    entry = catalog.published_entry(uow, actor, resource_code)
    if entry is None:
        raise access.hidden()
    description = report.description.strip()
    if len(description) < 2:
        raise InvalidInput("请说明哪里错了、正确的是什么。", field="description")
    today, now = _today(), clock.now()
    with uow:
        due = _due(uow, today)
        task_id = repository.open_correction(
            uow.session, resource_code=entry.code, provider_code=entry.provider_code, origin="consumer",
            problem=description, rows=1, record_key=report.record_key.strip() or None,
            reported_by=actor.department_code, due_on=due, opened_at=now)
        uow.emit(CorrectionOpened(actor=actor, target=_target(entry.code), correction_id=task_id,
                                  resource_code=entry.code, provider_code=entry.provider_code, origin="consumer",
                                  problem=description[:200], due_on=due.isoformat()))
        uow.commit()
        row = queries.correction(uow.session, task_id)
    assert row is not None
    return _view(row, today, entry.name)


def close_correction(uow: UnitOfWork, actor: Actor, correction_id: int, note: str) -> CorrectionView:
    """The provider closes a task it fixed at source, saying how."""
    access.require(actor, perms.LOAD)
    with uow.reading() as session:
        row = queries.correction(session, correction_id)
    if row is None or not access.can(actor, perms.LOAD, department=row["provider_code"]):
        raise access.hidden()
    if row["status"] != "open":
        raise Conflict(f"纠错任务 {correction_id} 已关闭。")
    note = note.strip()
    if len(note) < 2:
        raise InvalidInput("请说明如何在源头改正。", field="note")
    with uow:
        repository.update_correction(uow.session, correction_id, status="closed", closed_at=clock.now(),
                                     closing_note=note[:2000])
        uow.emit(CorrectionClosed(actor=actor, target=_target(row["resource_code"]), correction_id=correction_id,
                                  resource_code=row["resource_code"], note=note[:200]))
        uow.commit()
        closed = queries.correction(uow.session, correction_id)
    assert closed is not None
    return _view(closed, _today())


def _scope(actor: Actor) -> str | None:
    """Whose tasks the actor sees: every department's for platform admins and the platform, else their own."""
    access.require(actor, perms.LOAD)
    if access.can(actor, perms.OVERSEE):
        return None
    if actor.department_code is None:
        raise access.hidden()
    return actor.department_code


def list_corrections(uow: UnitOfWork, actor: Actor, status: str | None = "open") -> list[CorrectionView]:
    provider = _scope(actor)
    with uow.reading() as session:
        rows = queries.corrections_of(session, provider, status or None)
    today = _today()
    return [_view(r, today) for r in rows]


def _view(row: Mapping[str, Any], today: date, resource_name: str = "") -> CorrectionView:
    return CorrectionView(**{k: row[k] for k in CorrectionView.model_fields if k in row},
                          resource_name=resource_name, origin_title=ORIGIN_TITLES[row["origin"]],
                          overdue=row["status"] == "open" and row["due_on"] < today)


def home_cards(uow: UnitOfWork, actor: Actor) -> list[Card]:
    """待整改的数据问题 for a provider's data officers (every department's for those who oversee), red when
    any is overdue; and, when any, the resources whose newest load failed (a scheduled reload among them)."""
    if not access.can(actor, perms.LOAD):
        return []
    provider = None if access.can(actor, perms.OVERSEE) else actor.department_code
    if provider is None and not access.can(actor, perms.OVERSEE):
        return []
    with uow.reading() as session:
        total = queries.open_correction_count(session, provider)
        late = queries.open_correction_count(session, provider, overdue_before=_today())
        failed = queries.failed_resources(session, provider)
    whose = "全市" if provider is None else "本部门"
    cards = [Card(f"{whose}待整改的数据问题", total, "/ingest/corrections",
                  "alert" if late else "warning" if total else "normal", f"其中 {late} 项已超期" if late else "")]
    if failed:
        cards.append(Card(f"{whose}最近一次加载失败的资源", len(failed), f"/ingest/resources/{failed[0]}", "alert",
                          "、".join(failed[:3])))
    return cards
