"""The permission chokepoint (权限检查唯一入口). Every service checks here, deny by default.

A caller who may not see a thing is told it was not found, never that it is forbidden: a refusal must
not confirm that the thing exists. `hidden()` is that one answer; a service raises it both when the thing is
absent and when the caller may not see it, so the two cannot be told apart.

Every public service function reaches `can` or `require` (directly or through the helpers it calls), or is
marked `@public("why")`: `tests/architecture/test_access_rule.py` walks the call graph and fails otherwise.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.errors import NotFound
from zhengshu.kernel.permissions import Permission, Role

_ROLES = {role.value: role for role in Role}
HIDDEN = "未找到，或您无权访问。"  # absent and not yours: the same words

F = TypeVar("F", bound=Callable)


def roles_of(actor: Actor) -> frozenset[Role]:
    """The actor's known roles. A department's system (an API client) holds `Role.CLIENT` by what it is, and
    nothing else holds it, whatever its list of role names says."""
    held = frozenset(_ROLES[name] for name in actor.roles if name in _ROLES) - {Role.CLIENT}
    return held | {Role.CLIENT} if actor.kind is ActorKind.CLIENT else held


def can(actor: Actor, permission: Permission, department: str | None = None) -> bool:
    """Whether the actor holds the permission; department roles hold it only in their own department."""
    held = permission.roles & roles_of(actor)
    if not held:
        return False
    if department is None:
        return True
    return any(not role.department_scoped or actor.department_code == department for role in held)


def city_wide(actor: Actor, permission: Permission) -> bool:
    """Whether the actor holds the permission through a role not bound to one department: they see every
    department's things, not only their own."""
    return any(not role.department_scoped for role in permission.roles & roles_of(actor))


def require(actor: Actor, permission: Permission, department: str | None = None) -> None:
    """Raise `hidden()` unless the actor holds the permission (in that department, when one is named)."""
    if not can(actor, permission, department):
        raise hidden()


def hidden(reason: str | None = None) -> NotFound:
    """The answer to "no such thing" and to "not yours" alike (未找到，或您无权访问). It names no field: a
    field would tell the two apart. `reason` is for an audit trail (the exchange logs why it refused) and is
    shown to the caller too, so give one only when it reads the same whether the thing exists or not."""
    return NotFound(HIDDEN, details={"reason": reason} if reason else None)


def public(reason: str) -> Callable[[F], F]:
    """Mark a service function that checks no permission on purpose (公开): anyone may call it, for `reason`.

    The mark is what the access-rule test looks for; it changes nothing at run time."""
    if not reason.strip():
        raise ValueError("say why the function is open to every caller")

    def mark(function: F) -> F:
        function.__access_public__ = reason  # type: ignore[attr-defined]
        return function

    return mark
