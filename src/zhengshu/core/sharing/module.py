"""Sharing as the platform sees it."""

from zhengshu.core.sharing import api, cli, pages, service
from zhengshu.core.sharing import permissions as perms
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="sharing",
    title="数据共享",
    api=api.router,
    pages=pages.router,
    cli=(cli.app,),
    permissions=perms.ALL,
    nav=(NavItem("数据共享", "/sharing", perms.VIEW),),
    templates_package="zhengshu.core.sharing",
    cards=service.home_cards,
)
