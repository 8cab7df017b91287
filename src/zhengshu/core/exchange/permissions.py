"""Permissions of the exchange. Reading and verifying need no permission: the client's grant is the right,
checked on every call. Watching the traffic is for the data authority."""

from zhengshu.kernel.permissions import Permission, Role

MONITOR = Permission("exchange.monitor", "查看数据交换调用记录", (Role.PLATFORM_ADMIN, Role.SYSTEM))

ALL = (MONITOR,)
