"""The working-day calendar as the platform sees it."""

from zhengshu.modules import Module

MODULE = Module(name="calendar", title="工作日历")
