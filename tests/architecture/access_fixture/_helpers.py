"""The fake module's own helper: it checks, so a service function that calls it is guarded."""

from zhengshu.core.identity import access
from zhengshu.kernel.permissions import Permission

SEE = Permission("fixture.see", "看")


def load_visible(uow, actor, code):
    access.require(actor, SEE)
    return {"code": code}
