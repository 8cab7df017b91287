"""Permissions of the policy module. Reading the library and asking questions is public (政务公开): the
service lets everyone read; only keeping the library needs a permission."""

from zhengshu.kernel.permissions import Permission, Role

MANAGE = Permission("policy.manage", "维护政策文件库（导入文件、计算检索向量）", (Role.PLATFORM_ADMIN, Role.SYSTEM))

ALL = (MANAGE,)
