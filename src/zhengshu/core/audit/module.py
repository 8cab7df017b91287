"""The audit module as the platform sees it."""

from zhengshu.core.audit import api, cli, pages
from zhengshu.core.audit.permissions import ALL, AUDIT_READ
from zhengshu.core.audit.recorder import Recorder
from zhengshu.kernel.events import DomainEvent
from zhengshu.modules import Module, NavItem, Platform


def _subscribe(platform: Platform) -> list:
    settings = platform.settings
    recorder = Recorder(platform.audit_key, every=settings.audit_checkpoint_every,
                        seconds=settings.audit_checkpoint_seconds)
    return [(DomainEvent, recorder)]  # the base class: the recorder sees every event


MODULE = Module(
    name="audit",
    title="审计",
    api=api.router,
    pages=pages.router,
    cli=(cli.app,),
    permissions=ALL,
    nav=(NavItem("审计日志", "/audit", AUDIT_READ),),
    subscribe=_subscribe,
    templates_package="zhengshu.core.audit",
)
