"""Read-side SQL of the supervision module. A plan holds tens of tasks and a few hundred assignments: each
page reads a plan's tasks, assignments and reports whole and computes the states in memory."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import RowMapping
from sqlalchemy.orm import Session

from zhengshu.apps.supervision.tables import assignments, attachments, plans, reports, sections, tasks


def list_plans(session: Session) -> list[RowMapping]:
    count = select(func.count()).where(tasks.c.plan_id == plans.c.id).scalar_subquery()
    return list(session.execute(select(plans, count.label("tasks")).order_by(plans.c.id.desc())).mappings())


def plan(session: Session, plan_id: int) -> RowMapping | None:
    count = select(func.count()).where(tasks.c.plan_id == plans.c.id).scalar_subquery()
    return session.execute(select(plans, count.label("tasks")).where(plans.c.id == plan_id)).mappings().first()


def plan_sections(session: Session, plan_id: int) -> dict[int, str]:
    rows = session.execute(select(sections.c.number, sections.c.title).where(sections.c.plan_id == plan_id))
    return {number: title for number, title in rows}


def plan_tasks(session: Session, plan_id: int) -> list[RowMapping]:
    return list(session.execute(select(tasks).where(tasks.c.plan_id == plan_id)
                                .order_by(tasks.c.section, tasks.c.number)).mappings())


def task_plan(session: Session, task_id: int) -> int | None:
    return session.execute(select(tasks.c.plan_id).where(tasks.c.id == task_id)).scalar()


def plan_assignments(session: Session, plan_id: int) -> list[RowMapping]:
    return list(session.execute(
        select(assignments).join(tasks, tasks.c.id == assignments.c.task_id).where(tasks.c.plan_id == plan_id)
        .order_by(assignments.c.task_id, assignments.c.id)).mappings())


def plan_reports(session: Session, plan_id: int, task_id: int | None = None) -> list[RowMapping]:
    """Reports of the plan (or of one task), oldest first, with the task and department they are about."""
    query = (select(reports, assignments.c.task_id, assignments.c.organisation_code,
                    assignments.c.organisation_name)
             .join(assignments, assignments.c.id == reports.c.assignment_id)
             .join(tasks, tasks.c.id == assignments.c.task_id).where(tasks.c.plan_id == plan_id))
    if task_id is not None:
        query = query.where(assignments.c.task_id == task_id)
    return list(session.execute(query.order_by(reports.c.reported_at, reports.c.id)).mappings())


def report_attachments(session: Session, report_ids: list[int]) -> list[RowMapping]:
    if not report_ids:
        return []
    return list(session.execute(
        select(attachments.c.id, attachments.c.report_id, attachments.c.file_name, attachments.c.size)
        .where(attachments.c.report_id.in_(report_ids)).order_by(attachments.c.id)).mappings())


def attachment(session: Session, attachment_id: int) -> RowMapping | None:
    """The file with the task and department of its report."""
    return session.execute(
        select(attachments, assignments.c.task_id, assignments.c.organisation_code)
        .join(reports, reports.c.id == attachments.c.report_id)
        .join(assignments, assignments.c.id == reports.c.assignment_id)
        .where(attachments.c.id == attachment_id)).mappings().first()
