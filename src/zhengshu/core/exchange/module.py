"""The exchange gateway as the platform sees it."""

from zhengshu.modules import Module

MODULE = Module(name="exchange", title="数据交换")
