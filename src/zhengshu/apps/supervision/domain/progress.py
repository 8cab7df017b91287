"""Progress of a task (任务进展): what a department reports, when its next report is due, and the warnings a
supervisor sees — a task past its deadline and not done (逾期未完成), a report not sent in time (逾期未报送),
and a task that has stopped moving (进展停滞: reported 受阻, or its percentage not raised for two report
periods).

Pure rules over dates and reports; the service reads them from the database and the clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from zhengshu.kernel.errors import InvalidInput


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    COMPLETED = "completed"

    @property
    def title(self) -> str:
        return STATUS_TITLES[self]


STATUS_TITLES = {Status.NOT_STARTED: "未启动", Status.IN_PROGRESS: "推进中", Status.BLOCKED: "受阻",
                 Status.COMPLETED: "已完成"}


class Cycle(StrEnum):
    """How often each assigned department reports (报送周期), set per plan."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"

    @property
    def title(self) -> str:
        return {"weekly": "每周", "monthly": "每月", "quarterly": "每季度"}[self.value]

    @property
    def days(self) -> int:
        """The longest a department may go without reporting."""
        return {"weekly": 7, "monthly": 31, "quarterly": 92}[self.value]


def parse_cycle(value: str) -> Cycle:
    try:
        return Cycle(value)
    except ValueError:
        raise InvalidInput(f"报送周期应为 weekly（每周）、monthly（每月）或 quarterly（每季度），不是“{value}”。",
                           field="cycle") from None


MAX_TEXT = 4000


@dataclass(frozen=True)
class Report:
    """One department's progress report on one task (进展报送)."""

    status: Status
    percent: int
    text: str
    reported_at: datetime


def check_report(status: str, percent: int, text: str) -> tuple[Status, int, str]:
    """A report must say what was done; percent is 0–100, 100 exactly when completed, 0 when not started."""
    try:
        state = Status(status)
    except ValueError:
        raise InvalidInput(f"进展状态“{status}”无效，应为：{'、'.join(STATUS_TITLES.values())}。",
                           field="status") from None
    if not 0 <= percent <= 100:
        raise InvalidInput("完成百分比应在 0 到 100 之间。", field="percent")
    if state is Status.COMPLETED and percent != 100:
        raise InvalidInput("状态为“已完成”时完成百分比应为 100。", field="percent")
    if state is not Status.COMPLETED and percent == 100:
        raise InvalidInput("完成百分比为 100 时请把状态选为“已完成”。", field="status")
    if state is Status.NOT_STARTED and percent:
        raise InvalidInput("尚未启动的任务完成百分比应为 0。", field="percent")
    cleaned = text.strip()
    if not cleaned:
        raise InvalidInput("请填写进展情况说明。", field="text")
    if len(cleaned) > MAX_TEXT:
        raise InvalidInput(f"进展情况说明不能超过 {MAX_TEXT} 字（现为 {len(cleaned)} 字）。", field="text")
    return state, percent, cleaned


@dataclass(frozen=True)
class AssignmentState:
    """Where one department stands on one task, and what is wrong with it on `today`."""

    status: Status
    percent: int
    last_reported_at: datetime | None
    report_due_on: date  # the day its next report is due
    report_overdue: bool  # 逾期未报送
    stalled: bool  # 进展停滞


def assignment_state(reports: Sequence[Report], cycle: Cycle, since: datetime, today: date) -> AssignmentState:
    """`reports` oldest first; `since` is when the task was assigned (the first report is due a cycle later).
    A completed task needs no further reports and is never stalled."""
    period = timedelta(days=cycle.days)
    if not reports:
        due = (since + period).date()
        return AssignmentState(Status.NOT_STARTED, 0, None, due, today > due, False)
    latest = reports[-1]
    due = (latest.reported_at + period).date()
    if latest.status is Status.COMPLETED:
        return AssignmentState(latest.status, latest.percent, latest.reported_at, due, False, False)
    raised = next((r.reported_at for r in reversed(reports) if r.percent < latest.percent), None)
    moved_since = max(since, _first_at(reports, latest.percent, raised))
    stalled = latest.status is Status.BLOCKED or (today - moved_since.date()).days > 2 * cycle.days
    return AssignmentState(latest.status, latest.percent, latest.reported_at, due, today > due, stalled)


def _first_at(reports: Sequence[Report], percent: int, after: datetime | None) -> datetime:
    """When the percentage first reached its current value (after the last report below it)."""
    return next(r.reported_at for r in reports
                if r.percent == percent and (after is None or r.reported_at > after))


@dataclass(frozen=True)
class TaskState:
    status: Status
    percent: int  # the mean of its departments' percentages
    overdue: bool  # 逾期未完成: past its deadline and not completed
    stalled: bool
    reports_overdue: int  # departments whose report is late


def task_state(states: Sequence[AssignmentState], due_on: date | None, today: date) -> TaskState:
    """A task is completed when every department completed it, blocked when one is blocked, in progress when
    any has started; its percentage is the mean of its departments'. A task with no department yet (only
    市政府相关部门) has not started."""
    if not states:
        return TaskState(Status.NOT_STARTED, 0, bool(due_on and today > due_on), False, 0)
    statuses = {s.status for s in states}
    if statuses == {Status.COMPLETED}:
        status = Status.COMPLETED
    elif Status.BLOCKED in statuses:
        status = Status.BLOCKED
    elif statuses == {Status.NOT_STARTED}:
        status = Status.NOT_STARTED
    else:
        status = Status.IN_PROGRESS
    percent = round(sum(s.percent for s in states) / len(states))
    overdue = bool(due_on and today > due_on and status is not Status.COMPLETED)
    return TaskState(status, percent, overdue, any(s.stalled for s in states),
                     sum(s.report_overdue for s in states))
