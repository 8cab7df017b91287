"""Ingestion as the platform sees it."""

from zhengshu.core.ingest import cli
from zhengshu.core.ingest import permissions as perms
from zhengshu.modules import Module

MODULE = Module(
    name="ingest",
    title="数据归集",
    cli=(cli.ingest,),
    permissions=perms.ALL,
)
