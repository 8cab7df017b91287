"""Tables of the supervision module (supervision_*). Names of departments and reporters are kept as they were
when the row was written; codes point at the department tree."""

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, LargeBinary, String, Table, Text, UniqueConstraint

from zhengshu.kernel.database import UTCDateTime, metadata

ORGANISATION = "identity_organisations.code"

plans = Table(  # 实施方案
    "supervision_plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("file_name", String(255), nullable=False),
    Column("cycle", String(16), nullable=False),  # weekly | monthly | quarterly: how often departments report
    Column("imported_at", UTCDateTime, nullable=False),
    Column("imported_by", String(120), nullable=False),
    Column("imported_by_name", String(100), nullable=False),
    sqlite_autoincrement=True,  # a replaced plan's id is never reused (audit records name it)
)

sections = Table(  # （一）建设集约高效的数字政府底座
    "supervision_sections",
    metadata,
    Column("plan_id", Integer, ForeignKey("supervision_plans.id", ondelete="CASCADE"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
)

tasks = Table(  # 任务
    "supervision_tasks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("plan_id", Integer, ForeignKey("supervision_plans.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("section", Integer, nullable=False),
    Column("number", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("due_on", Date, nullable=True),  # 完成时限, when the plan gives one
    Column("lead_written", JSON, nullable=False),  # the plan's own words, kept as written
    Column("responsible_written", JSON, nullable=False),
    Column("unspecified", JSON, nullable=False),  # 市政府相关部门 …: for a supervisor to assign
    Column("unknown", JSON, nullable=False),  # names the tree does not know
    UniqueConstraint("plan_id", "section", "number", name="number"),
    sqlite_autoincrement=True,
)

assignments = Table(  # 任务分工: a department (or county-level government) on a task, as lead or responsible
    "supervision_assignments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("task_id", Integer, ForeignKey("supervision_tasks.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("organisation_code", String(32), ForeignKey(ORGANISATION), nullable=False, index=True),
    Column("organisation_name", String(100), nullable=False),
    Column("role", String(16), nullable=False),  # lead | responsible
    Column("assigned_at", UTCDateTime, nullable=False),
    UniqueConstraint("task_id", "organisation_code", name="department"),
)

reports = Table(  # 进展报送
    "supervision_reports",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("assignment_id", Integer, ForeignKey("supervision_assignments.id", ondelete="CASCADE"), nullable=False,
           index=True),
    Column("status", String(16), nullable=False),
    Column("percent", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("reported_at", UTCDateTime, nullable=False),
    Column("reported_by", String(120), nullable=False),
    Column("reported_by_name", String(100), nullable=False),
)

attachments = Table(  # 附件 of a report, kept in the database (a few MiB at most; every web worker sees them)
    "supervision_attachments",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("report_id", Integer, ForeignKey("supervision_reports.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("file_name", String(255), nullable=False),
    Column("media_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("content", LargeBinary, nullable=False),
)
