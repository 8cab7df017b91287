"""Fusion as the platform sees it: the `fuse` command group (each registry adds its command), the fusion
report and review pages, their permissions, the 基础库融合 navigation item and a home-page card."""

from zhengshu.core.fusion import api, cli, pages, service
from zhengshu.core.fusion import permissions as perms
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="fusion",
    title="基础库融合",
    api=api.router,
    pages=pages.router,
    cli=(cli.fuse,),
    permissions=perms.ALL,
    nav=(NavItem("基础库融合", "/fusion", perms.VIEW),),
    templates_package="zhengshu.core.fusion",
    cards=service.home_cards,
)
