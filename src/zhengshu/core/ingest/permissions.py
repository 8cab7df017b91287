"""Permissions of ingestion.

Previewing a source reads a department's raw data before it is mapped, standardised or classified, so only
those who load data hold it: platform admins, data officers (their own department, once sources are saved per
department) and the platform itself.
"""

from zhengshu.kernel.permissions import Permission, Role

PREVIEW = Permission("ingest.preview", "预览数据源（读取源文件、数据库或接口的前若干行）",
                     (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))

LOAD = Permission("ingest.load", "登记数据源、把数据源加载为资源的新版本（本部门资源）",
                  (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))

REPORT = Permission("ingest.report", "报告已发布资源中的错误数据（生成提供部门的纠错任务）",
                    (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.APPROVER, Role.ANALYST, Role.SYSTEM))
OVERSEE = Permission("ingest.oversee", "查看全市各部门的纠错任务", (Role.PLATFORM_ADMIN, Role.SYSTEM))

ALL = (PREVIEW, LOAD, REPORT, OVERSEE)
