"""Permissions of the calendar module."""

from zhengshu.kernel.permissions import Permission, Role

# Every staff role reads the calendar, and so does the platform (its jobs compute deadlines).
VIEW = Permission("calendar.view", "查看工作日历与计算期限",
                  (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.APPROVER, Role.ANALYST, Role.SYSTEM))
MANAGE = Permission("calendar.manage", "维护工作日历（节假日与调休）", (Role.PLATFORM_ADMIN, Role.SYSTEM))

ALL = (VIEW, MANAGE)
