"""Write-side SQL of the supervision module. Functions take the unit of work's session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from zhengshu.apps.supervision.tables import assignments, attachments, plans, reports, sections, tasks


def add_plan(session: Session, *, title: str, file_name: str, cycle: str, at: datetime, by: str,
             by_name: str) -> int:
    return session.execute(insert(plans).values(
        title=title, file_name=file_name, cycle=cycle, imported_at=at, imported_by=by, imported_by_name=by_name,
    ).returning(plans.c.id)).scalar_one()


def add_sections(session: Session, plan_id: int, entries: Iterable[tuple[int, str]]) -> None:
    rows = [{"plan_id": plan_id, "number": n, "title": t} for n, t in entries]
    if rows:
        session.execute(insert(sections), rows)


def add_task(session: Session, plan_id: int, *, section: int, number: int, title: str, text: str,
             due_on: date | None, lead: list[str], responsible: list[str], unspecified: list[str],
             unknown: list[str]) -> int:
    return session.execute(insert(tasks).values(
        plan_id=plan_id, section=section, number=number, title=title, text=text, due_on=due_on,
        lead_written=lead, responsible_written=responsible, unspecified=unspecified, unknown=unknown,
    ).returning(tasks.c.id)).scalar_one()


def add_assignments(session: Session, rows: list[dict]) -> None:
    """Rows of task_id, organisation_code, organisation_name, role, assigned_at."""
    if rows:
        session.execute(insert(assignments), rows)


def plan_cycle(session: Session, plan_id: int) -> str | None:
    """The plan's report cycle, the row locked for update (None: no such plan)."""
    return session.execute(select(plans.c.cycle).where(plans.c.id == plan_id).with_for_update()).scalar()


def set_cycle(session: Session, plan_id: int, cycle: str) -> None:
    session.execute(update(plans).where(plans.c.id == plan_id).values(cycle=cycle))


def assignment_id(session: Session, task_id: int, organisation_code: str) -> int | None:
    return session.execute(select(assignments.c.id).where(
        assignments.c.task_id == task_id, assignments.c.organisation_code == organisation_code)).scalar()


def add_report(session: Session, assignment: int, *, status: str, percent: int, text: str, at: datetime,
               by: str, by_name: str) -> int:
    return session.execute(insert(reports).values(
        assignment_id=assignment, status=status, percent=percent, text=text, reported_at=at, reported_by=by,
        reported_by_name=by_name,
    ).returning(reports.c.id)).scalar_one()


def add_attachment(session: Session, report_id: int, file_name: str, media_type: str, content: bytes) -> int:
    return session.execute(insert(attachments).values(
        report_id=report_id, file_name=file_name, media_type=media_type, size=len(content), content=content,
    ).returning(attachments.c.id)).scalar_one()


def plan_named(session: Session, title: str) -> tuple[int, int] | None:
    """The plan of that title and how many progress reports it has, locked for update (None: there is none)."""
    plan_id = session.execute(select(plans.c.id).where(plans.c.title == title).with_for_update()).scalar()
    if plan_id is None:
        return None
    count = session.execute(
        select(func.count()).select_from(reports).join(assignments, assignments.c.id == reports.c.assignment_id)
        .join(tasks, tasks.c.id == assignments.c.task_id).where(tasks.c.plan_id == plan_id)).scalar_one()
    return plan_id, count


def delete_plan(session: Session, plan_id: int) -> None:
    """A plan without reports, with its sections, tasks and assignments (children first: SQLite may not
    enforce the cascades)."""
    task_ids = select(tasks.c.id).where(tasks.c.plan_id == plan_id).scalar_subquery()
    session.execute(delete(assignments).where(assignments.c.task_id.in_(task_ids)))
    session.execute(delete(tasks).where(tasks.c.plan_id == plan_id))
    session.execute(delete(sections).where(sections.c.plan_id == plan_id))
    session.execute(delete(plans).where(plans.c.id == plan_id))
