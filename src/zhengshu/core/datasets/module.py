"""The dataset store as the platform sees it."""

from zhengshu.core.datasets import api, cli
from zhengshu.core.datasets import permissions as perms
from zhengshu.modules import Module

MODULE = Module(
    name="datasets",
    title="数据集",
    api=api.router,
    cli=(cli.datasets,),
    permissions=perms.ALL,
)
