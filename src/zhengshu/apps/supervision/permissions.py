"""Permissions of the supervision module: supervisors (督查员 of the government office, and the data authority)
import plans and oversee every task; a department's data officer (数据官, who answers for the department's
digital-government tasks) reports its progress; analysts (leaders) read the dashboards."""

from zhengshu.kernel.permissions import Permission, Role

MANAGE = Permission("supervision.manage", "导入实施方案、设置报送周期、指派任务",
                    (Role.SUPERVISOR, Role.PLATFORM_ADMIN, Role.SYSTEM))
OVERSEE = Permission("supervision.oversee", "查看全市督查任务、进展看板并导出",
                     (Role.SUPERVISOR, Role.PLATFORM_ADMIN, Role.ANALYST, Role.SYSTEM))
REPORT = Permission("supervision.report", "查看本部门承担的督查任务并报送进展", (Role.DATA_OFFICER,))

ALL = (MANAGE, OVERSEE, REPORT)
