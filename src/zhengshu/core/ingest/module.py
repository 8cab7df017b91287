"""Ingestion as the platform sees it."""

from zhengshu.core.ingest import cli, pages, service
from zhengshu.core.ingest import permissions as perms
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="ingest",
    title="数据归集",
    cli=(cli.ingest,),
    pages=pages.router,
    templates_package="zhengshu.core.ingest",
    permissions=perms.ALL,
    nav=(NavItem("数据纠错", "/ingest/corrections", perms.LOAD),),
    cards=service.home_cards,
)
