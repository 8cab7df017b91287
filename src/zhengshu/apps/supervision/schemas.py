"""Shapes at the edges of the supervision module, and the views pages, the API and the CLI receive."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class UnitRef(BaseModel):
    code: str
    name: str


class PlanImportResult(BaseModel):
    plan_id: int
    title: str
    sections: int
    tasks: int
    assignments: int = Field(description="任务分工条数（部门 × 任务）")
    problems: list[str] = Field(description="需要督查人员处理的问题：未识别的部门名称（注明任务）、无法读取的括注")


class PlanView(BaseModel):
    id: int
    title: str
    file_name: str
    cycle: str
    cycle_title: str
    imported_at: datetime
    imported_by_name: str
    tasks: int


class AssignmentView(BaseModel):
    id: int
    organisation: UnitRef
    role: str = Field(description="lead（牵头）或 responsible（责任）")
    role_title: str
    status: str
    status_title: str
    percent: int
    last_reported_at: datetime | None
    report_due_on: date
    report_overdue: bool
    stalled: bool
    mine: bool = Field(description="当前用户所在部门是否负责报送")


class AttachmentView(BaseModel):
    id: int
    file_name: str
    size: int


class ReportView(BaseModel):
    id: int
    organisation: UnitRef
    status: str
    status_title: str
    percent: int
    text: str
    reported_at: datetime
    reported_by_name: str
    attachments: list[AttachmentView]


class TaskRow(BaseModel):
    id: int
    plan_id: int
    code: str = Field(description="编号，如 2.3（第二部分第 3 项）")
    label: str = Field(description="如（二）3")
    section: int
    section_title: str
    title: str
    due_on: date | None
    lead: list[UnitRef]
    responsible: list[UnitRef]
    unspecified: list[str] = Field(description="方案写作“相关部门”等、尚待指派的部门")
    unknown: list[str] = Field(description="部门树中找不到的名称")
    status: str
    status_title: str
    percent: int
    overdue: bool
    stalled: bool
    reports_overdue: int


class TaskDetail(BaseModel):
    task: TaskRow
    text: str
    plan: PlanView
    assignments: list[AssignmentView]
    reports: list[ReportView]
    can_report_for: list[UnitRef] = Field(description="当前用户可为之报送进展的单位")


class ProgressInput(BaseModel):
    status: str = Field(description="not_started | in_progress | blocked | completed")
    percent: int = Field(description="完成百分比 0–100（已完成为 100）")
    text: str
    organisation_code: str | None = Field(default=None, description="代哪个单位报送（默认本部门）")


class Upload(BaseModel):
    file_name: str
    media_type: str
    content: bytes


class DepartmentRow(BaseModel):
    organisation: UnitRef
    lead: int
    responsible: int
    completed: int
    overdue: int
    stalled: int
    reports_overdue: int
    percent: int = Field(description="所承担任务的平均完成百分比（按本单位报送）")


class SectionRow(BaseModel):
    section: int
    label: str
    title: str
    tasks: int
    completed: int
    overdue: int
    stalled: int
    percent: int


class Dashboard(BaseModel):
    plan: PlanView
    tasks: int
    completed: int
    in_progress: int
    overdue: int
    stalled: int
    reports_overdue: int
    percent: int
    unassigned: int = Field(description="尚无具体承担部门的任务数")
    sections: list[SectionRow]
    departments: list[DepartmentRow]
