"""Ingestion as the platform sees it."""

from zhengshu.core.ingest import cli, pages
from zhengshu.core.ingest import permissions as perms
from zhengshu.modules import Module

MODULE = Module(
    name="ingest",
    title="数据归集",
    cli=(cli.ingest,),
    pages=pages.router,
    templates_package="zhengshu.core.ingest",
    permissions=perms.ALL,
)
