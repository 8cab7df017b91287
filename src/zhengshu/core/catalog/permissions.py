"""Permissions of the catalogue. Every staff member browses published entries; a department's data officer
manages their own department's entries (the check names the entry's provider); platform admins manage all."""

from zhengshu.kernel.permissions import Permission, Role

BROWSE = Permission("catalog.browse", "查看资源目录",
                    (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.APPROVER, Role.ANALYST, Role.SYSTEM))
MANAGE = Permission("catalog.manage", "编目、挂接、发布与下架资源",
                    (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))

ALL = (BROWSE, MANAGE)
