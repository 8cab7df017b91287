"""The exchange gateway as the platform sees it."""

from zhengshu.core.exchange import api, pages
from zhengshu.core.exchange import permissions as perms
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="exchange",
    title="数据交换",
    api=api.router,
    pages=pages.router,
    permissions=perms.ALL,
    nav=(NavItem("数据交换监测", "/exchange/monitor", perms.MONITOR),
         NavItem("本部门数据使用", "/exchange/consumers", perms.VIEW_CONSUMERS),
         NavItem("谁查询了我的数据", "/my/reads", perms.VIEW_MY_READS)),
    templates_package="zhengshu.core.exchange",
)
