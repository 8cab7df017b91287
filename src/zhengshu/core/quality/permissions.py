"""Permissions of data quality. A department's data officer works on the resources their department provides
(the check names the resource's provider); platform admins and the platform itself (ingestion jobs) reach all;
analysts read rule sets and results."""

from zhengshu.kernel.permissions import Permission, Role

VIEW = Permission("quality.view", "查看质量规则与质量结果",
                  (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.ANALYST, Role.SYSTEM))
MANAGE = Permission("quality.manage", "编辑资源的质量规则集", (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))
CHECK = Permission("quality.check", "标准化与校验数据、记录加载的质量结果",
                   (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))

ALL = (VIEW, MANAGE, CHECK)
