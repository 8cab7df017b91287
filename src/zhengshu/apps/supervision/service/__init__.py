"""Supervision use cases. Each takes the unit of work and the acting actor first and checks permissions through
`identity.access` before it reads or writes anything: supervisors (督查员, the data authority) import plans and
oversee every task; a department's data officer sees and reports on its own department's tasks."""

from zhengshu.apps.supervision.service.dashboard import dashboard, home_cards, plan_workbook
from zhengshu.apps.supervision.service.plans import assign_department, import_plan, list_plans, set_cycle
from zhengshu.apps.supervision.service.progress import (
    attachment_file,
    list_tasks,
    report_progress,
    task_detail,
)

__all__ = ["assign_department", "attachment_file", "dashboard", "home_cards", "import_plan", "list_plans",
           "list_tasks", "plan_workbook", "report_progress", "set_cycle", "task_detail"]
