"""Use cases of the fake module, one of each kind the access-rule test tells apart."""

from zhengshu.core.identity import access
from zhengshu.core.identity.access import can
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.errors import NotFound
from zhengshu.kernel.permissions import Permission

from . import _helpers
from ._helpers import SEE

PLATFORM = system_actor()
EDIT = Permission("fixture.edit", "改")


def show(uow, actor, code):
    """Guarded directly."""
    if not can(actor, SEE):
        raise access.hidden()
    return {"code": code}


def edit(uow, actor, code):
    """Guarded through the module's own helper, and through another use case."""
    record = _helpers.load_visible(uow, actor, code)
    return show(uow, actor, record["code"])


def leak(uow, actor, code):
    """Unguarded: reads first, raises its own words, and never asks access."""
    if code != "known":
        raise NotFound(f"没有 {code}")
    return {"code": code, "edit": EDIT.name}


def only_names(uow, actor):
    """Unguarded although it names access: the answer helper and the role list decide nothing."""
    raise access.hidden() if not access.roles_of(actor) else NotFound("x")


@access.public("the fake module's opening hours are for everyone")
def opening_hours(uow, actor):
    return "9:00-17:00"


def as_the_platform(uow, actor, code):
    """Unguarded: the check it reaches is made on another actor's behalf, not its caller's."""
    return show(uow, PLATFORM, code)
