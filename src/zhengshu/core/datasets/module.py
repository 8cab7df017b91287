"""The dataset store as the platform sees it."""

from zhengshu.modules import Module

MODULE = Module(name="datasets", title="数据集")
