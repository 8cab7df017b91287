"""Electronic supervision of plan tasks (电子督查): import an implementation plan (实施方案), extract its numbered
tasks with their lead (牵头单位) and responsible (责任单位) departments matched to the department tree, let each
department report progress on a schedule, warn of overdue and stalled tasks, and show dashboards by department
and by section with an XLSX export."""
