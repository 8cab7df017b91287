"""The exchange gateway as the platform sees it."""

from zhengshu.core.exchange import api
from zhengshu.core.exchange import permissions as perms
from zhengshu.modules import Module

MODULE = Module(name="exchange", title="数据交换", api=api.router, permissions=perms.ALL)
