"""The resource catalogue as the platform sees it."""

from zhengshu.modules import Module

MODULE = Module(name="catalog", title="资源目录")
