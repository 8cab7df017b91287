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
    nav=(NavItem("数据交换监测", "/exchange/monitor", perms.MONITOR),),
    templates_package="zhengshu.core.exchange",
)
