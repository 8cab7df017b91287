"""What the data-quality use cases share: the resource with the permission on its provider checked, the audit
target, and who sees sample values in full."""

from __future__ import annotations

from typing import Any

from zhengshu.core.catalog import service as catalog
from zhengshu.core.identity import access
from zhengshu.core.quality import permissions as perms
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.permissions import Permission
from zhengshu.kernel.unit_of_work import UnitOfWork


def checked_entry(uow: UnitOfWork, actor: Actor, resource_code: str, permission: Permission) -> Any:
    """The catalogue entry of the resource, if the actor holds `permission` for its provider."""
    entry = catalog.get_entry(uow, actor, resource_code).entry
    access.require(actor, permission, department=entry.provider_code)
    return entry


def audit_target(code: str) -> str:
    return f"resource:{code}"


def values_shown(actor: Actor, provider_code: str) -> bool:
    """Sample values (source data, possibly personal) in full only for those who check that department's data;
    other readers (analysts) see them masked."""
    return access.can(actor, perms.CHECK, department=provider_code)
