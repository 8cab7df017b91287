"""Data quality as the platform sees it (its pages and report downloads come with the quality reports)."""

from zhengshu.core.quality import permissions as perms
from zhengshu.modules import Module

MODULE = Module(
    name="quality",
    title="数据质量",
    permissions=perms.ALL,
)
