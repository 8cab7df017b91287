"""Permissions of the exchange. Reading and verifying need no permission: the client's grant is the right,
checked on every call. Watching the traffic is for the data authority; a provider department's officers see
who used its resources; a citizen signed in as themselves sees who read records about them."""

from zhengshu.kernel.permissions import Permission, Role

MONITOR = Permission("exchange.monitor", "查看数据交换调用记录", (Role.PLATFORM_ADMIN, Role.SYSTEM))

VIEW_MY_READS = Permission("exchange.view_my_reads", "查看谁查询了我的数据", (Role.CITIZEN,))
VIEW_CONSUMERS = Permission("exchange.view_consumers", "查看本部门资源被谁使用",
                            (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.APPROVER, Role.SYSTEM))

ALL = (MONITOR, VIEW_MY_READS, VIEW_CONSUMERS)
