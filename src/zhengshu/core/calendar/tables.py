"""Tables of the calendar module (calendar_*)."""

from sqlalchemy import CheckConstraint, Column, Date, String, Table

from zhengshu.kernel.database import metadata

# The listed days (日历条目): holidays, and weekend days made working days. Days not listed follow the weekend
# rule. Dates are calendar dates in China, with no time zone.
days = Table(
    "calendar_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("kind", String(16), nullable=False),  # holiday | workday
    Column("name", String(50), nullable=False),  # 国庆节, 春节, 调休上班（国庆节）
    CheckConstraint("kind IN ('holiday', 'workday')", name="kind"),
)
