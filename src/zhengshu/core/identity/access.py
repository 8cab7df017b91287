"""The permission chokepoint (权限检查唯一入口). Every service checks here, deny by default.

A caller who may not see a thing is told it was not found, never that it is forbidden: a refusal must
not confirm that the thing exists.
"""

from __future__ import annotations

from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import NotFound
from zhengshu.kernel.permissions import Permission, Role

_ROLES = {role.value: role for role in Role}


def roles_of(actor: Actor) -> frozenset[Role]:
    return frozenset(_ROLES[name] for name in actor.roles if name in _ROLES)


def can(actor: Actor, permission: Permission, department: str | None = None) -> bool:
    """Whether the actor holds the permission; department roles hold it only in their own department."""
    held = permission.roles & roles_of(actor)
    if not held:
        return False
    if department is None:
        return True
    return any(not role.department_scoped or actor.department_code == department for role in held)


def require(actor: Actor, permission: Permission, department: str | None = None) -> None:
    """Raise NotFound unless the actor holds the permission (in that department, when one is named)."""
    if not can(actor, permission, department):
        raise NotFound("未找到，或您无权访问。")
