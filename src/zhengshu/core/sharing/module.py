"""Sharing as the platform sees it."""

from zhengshu.modules import Module

MODULE = Module(name="sharing", title="数据共享")
