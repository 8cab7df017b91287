"""Events of the supervision module (past tense; the audit log records each one)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class PlanImported(DomainEvent):
    """A supervisor imported an implementation plan: its tasks, assigned to the departments it names."""

    action = "supervision.plan_imported"
    title: str
    file_name: str
    tasks: int
    assignments: int
    unknown_names: tuple[str, ...] = ()
    replaced: int | None = None  # the id of the same-titled plan this one replaced


@dataclass(frozen=True, kw_only=True)
class CycleChanged(DomainEvent):
    """A supervisor changed how often the departments of a plan report."""

    action = "supervision.cycle_changed"
    cycle: str
    previous: str


@dataclass(frozen=True, kw_only=True)
class DepartmentAssigned(DomainEvent):
    """A supervisor put a department on a task (one the plan left as 相关部门, or a name the tree lacked)."""

    action = "supervision.department_assigned"
    organisation_code: str
    role: str


@dataclass(frozen=True, kw_only=True)
class ProgressReported(DomainEvent):
    """A department reported its progress on a task."""

    action = "supervision.progress_reported"
    organisation_code: str
    status: str
    percent: int
    attachments: tuple[str, ...] = ()
