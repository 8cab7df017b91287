"""Permissions of the dataset store.

Both are department-scoped for data officers: a data officer reads and writes the datasets their own
department owns; platform admins and the platform itself (ingestion jobs, the exchange, operators' commands)
reach every dataset. Other staff and departments' systems read data through the exchange, under grants.
"""

from zhengshu.kernel.permissions import Permission, Role

READ = Permission("datasets.read", "查看数据集与记录", (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))
WRITE = Permission("datasets.write", "创建数据集、写入与发布版本",
                   (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))

MAINTAIN = Permission("datasets.maintain", "清理中断写入留下的版本与临时目录", (Role.PLATFORM_ADMIN, Role.SYSTEM))

ALL = (READ, WRITE, MAINTAIN)
