"""Data quality as the platform sees it: its pages and API, the 数据质量 navigation item and a home-page card."""

from zhengshu.core.quality import api, pages, service
from zhengshu.core.quality import permissions as perms
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="quality",
    title="数据质量",
    api=api.router,
    pages=pages.router,
    permissions=perms.ALL,
    nav=(NavItem("数据质量", "/quality", perms.VIEW),),
    templates_package="zhengshu.core.quality",
    cards=service.home_cards,
)
