"""Electronic supervision (电子督查) as the platform sees it."""

from zhengshu.apps.supervision import api, cli, pages, service
from zhengshu.apps.supervision import permissions as perms
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="supervision",
    title="电子督查",
    api=api.router,
    pages=pages.router,
    cli=(cli.app,),
    permissions=perms.ALL,
    nav=(NavItem("电子督查", "/supervision", perms.OVERSEE), NavItem("督查任务", "/supervision/mine", perms.REPORT)),
    templates_package="zhengshu.apps.supervision",
    cards=service.home_cards,
)
