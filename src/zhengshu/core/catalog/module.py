"""The resource catalogue as the platform sees it."""

from zhengshu.core.catalog import api, cli, pages
from zhengshu.core.catalog import permissions as perms
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="catalog",
    title="资源目录",
    api=api.router,
    pages=pages.router,
    cli=(cli.app,),
    permissions=perms.ALL,
    nav=(NavItem("资源目录", "/catalog", perms.BROWSE),),
    templates_package="zhengshu.core.catalog",
)
