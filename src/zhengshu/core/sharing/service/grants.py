"""Grants (共享授权): the exchange's question (`active_grant`), lists, revocation and renewal."""

from __future__ import annotations

from zhengshu.core.identity import access
from zhengshu.core.sharing import permissions as perms
from zhengshu.core.sharing import queries, repository
from zhengshu.core.sharing.domain import grants as grant_rules
from zhengshu.core.sharing.domain.values import Step
from zhengshu.core.sharing.events import (
    GrantRenewed,
    GrantRevoked,
)
from zhengshu.core.sharing.schemas import (
    Grant,
    GrantView,
    RenewInput,
    RevokeInput,
)
from zhengshu.core.sharing.service._common import (
    city_today,
    oversees,
    sees,
    with_actions,
)
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.permissions import Permission
from zhengshu.kernel.unit_of_work import UnitOfWork


def active_grant(uow: UnitOfWork, actor: Actor, resource_code: str) -> Grant:
    """The exchange's question: the grant the calling API client holds for this resource today. Raises NotFound
    when there is none, or it is revoked, not yet started or expired, or the resource does not exist. Only a
    client (its id the client key) holds grants: `sharing.use_grant` is held by the client role alone."""
    access.require(actor, perms.USE_GRANT)
    with uow.reading() as session:
        grant = queries.active_grant(session, actor.id, resource_code.strip(), city_today())
    if grant is None:
        raise access.hidden()
    return grant


def list_grants(uow: UnitOfWork, actor: Actor, side: str = "consumer") -> list[GrantView]:
    """consumer: grants my department holds; provider: grants of my department's data; all: what I may see;
    recertification: those within the re-certification window."""
    access.require(actor, perms.VIEW)
    department, everything = actor.department_code, oversees(actor)
    sides = {"consumer": {"consumer": department}, "provider": {"provider": department},
             "all": {"involving": None if everything else department, "everything": everything},
             "recertification": {"involving": None if everything else department, "everything": everything,
                                 "recertification": True}}
    if side not in sides:
        raise InvalidInput(f"范围须为以下之一：{'、'.join(sides)}", field="side")
    if department is None and side in ("consumer", "provider"):
        return []
    with uow.reading() as session:
        found = queries.list_grants(session, city_today(), **sides[side])
    return [with_actions(actor, g) for g in found]


def get_grant(uow: UnitOfWork, actor: Actor, grant_id: int) -> GrantView:
    access.require(actor, perms.VIEW)
    with uow.reading() as session:
        view = queries.grant_view(session, city_today(), grant_id=grant_id)
    if view is None or not sees(actor, view.grant.consumer_code, view.grant.provider_code):
        raise access.hidden()
    return with_actions(actor, view)


def _grant_row(uow: UnitOfWork, actor: Actor, grant_id: int, permission: Permission) -> dict:
    row = repository.load_grant(uow.session, grant_id)
    if row is None:
        raise access.hidden()
    access.require(actor, permission, department=row["provider_code"])
    return row


def revoke_grant(uow: UnitOfWork, actor: Actor, grant_id: int, data: RevokeInput) -> GrantView:
    """撤销: the provider's approver or a platform admin stops a grant; the next exchange call is refused."""
    access.require(actor, perms.REVOKE_GRANT)
    with uow:
        row = _grant_row(uow, actor, grant_id, perms.REVOKE_GRANT)
        reason = grant_rules.revoke(row["revoked_at"] is not None, data.reason)
        now = clock.now()
        repository.revoke_grant(uow.session, grant_id, actor, reason, now)
        if row["request_id"] is not None:
            repository.add_event(uow.session, row["request_id"], Step.GRANT_REVOKED, actor, now, reason)
        uow.emit(GrantRevoked(actor=actor, target=f"sharing_grant:{grant_id}", grant_id=grant_id, reason=reason))
        uow.commit()
    return get_grant(uow, actor, grant_id)


def renew_grant(uow: UnitOfWork, actor: Actor, grant_id: int, data: RenewInput) -> GrantView:
    """续期 (复核): the provider's approver extends a grant that is not revoked."""
    access.require(actor, perms.RENEW_GRANT)
    with uow:
        row = _grant_row(uow, actor, grant_id, perms.RENEW_GRANT)
        new = grant_rules.renew(row["starts_on"], row["expires_on"], row["revoked_at"] is not None,
                                data.expires_on, city_today())
        now = clock.now()
        repository.renew_grant(uow.session, grant_id, new, now)
        if row["request_id"] is not None:
            repository.add_event(uow.session, row["request_id"], Step.GRANT_RENEWED, actor, now,
                                 f"到期日 {row['expires_on'].isoformat()} → {new.isoformat()}")
        uow.emit(GrantRenewed(actor=actor, target=f"sharing_grant:{grant_id}", grant_id=grant_id,
                              previous_expires_on=row["expires_on"].isoformat(), expires_on=new.isoformat()))
        uow.commit()
    return get_grant(uow, actor, grant_id)
