"""The working-day calendar as the platform sees it."""

from zhengshu.core.calendar import api, cli, pages
from zhengshu.core.calendar import permissions as perms
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="calendar",
    title="工作日历",
    api=api.router,
    pages=pages.router,
    cli=(cli.app,),
    permissions=perms.ALL,
    nav=(NavItem("工作日历", "/calendar", perms.VIEW),),
    templates_package="zhengshu.core.calendar",
)
