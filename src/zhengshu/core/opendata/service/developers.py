"""Developers (开发者) and their keys, applications for 有条件开放 datasets reviewed by the provider, and the
usage statistics the data authority reads.

A key is `<prefix>.<secret>`: the prefix finds the developer, the SM3 digest of the whole key is compared in
constant time; the key is shown once at sign-up and never stored.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from zhengshu.core.identity import access
from zhengshu.core.opendata import permissions as perms
from zhengshu.core.opendata import queries, repository
from zhengshu.core.opendata.domain.opening import Status
from zhengshu.core.opendata.events import ApplicationReviewed, ApplicationSubmitted, DeveloperRegistered
from zhengshu.core.opendata.schemas import (
    ApplicationInput,
    ApplicationView,
    DeveloperKey,
    DeveloperSignUp,
    ReviewInput,
    UsageStats,
)
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.crypto import sm3_hex
from zhengshu.kernel.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class Caller:
    """A registered developer calling with their key."""

    developer_id: int
    key_prefix: str
    name: str


def _digest(key: str) -> str:
    return sm3_hex(key.encode("utf-8"))


@access.public("anyone may register as a developer (开发者注册)")
def sign_up(uow: UnitOfWork, actor: Actor, data: DeveloperSignUp) -> DeveloperKey:
    """开发者注册 (anyone): a name and an e-mail address give a key, shown this once."""
    email = data.email.strip().lower()
    prefix, secret = secrets.token_hex(4), secrets.token_urlsafe(24)
    key = f"{prefix}.{secret}"
    with uow:
        if repository.email_taken(uow.session, email):
            raise Conflict("该邮箱已注册开发者。", field="email")
        developer_id = repository.add_developer(
            uow.session, name=data.name.strip(), email=email, organisation=data.organisation.strip(),
            key_prefix=prefix, key_hash=_digest(key), active=True, created_at=clock.now())
        uow.emit(DeveloperRegistered(actor=actor, target=f"opendata_developer:{developer_id}",
                                     developer_id=developer_id, name=data.name.strip()[:100], key_prefix=prefix))
        uow.commit()
    return DeveloperKey(developer_id=developer_id, name=data.name.strip(), key=key, key_prefix=prefix)


@access.public(
    "resolving which developer a key belongs to comes before any check; the key is the check")
def caller_for_key(uow: UnitOfWork, actor: Actor, key: str | None) -> Caller | None:
    """The developer a key belongs to; None without a key; NotAuthenticated (401) for a wrong one."""
    if not key:
        return None
    prefix, _, secret = key.strip().partition(".")
    with uow.reading() as session:
        row = queries.developer_by_prefix(session, prefix) if prefix and secret else None
    if row is None or not row["active"] or not hmac.compare_digest(row["key_hash"], _digest(key.strip())):
        raise NotAuthenticated("开发者密钥无效。", field="X-API-Key")
    return Caller(row["id"], row["key_prefix"], row["name"])


def _require_application(uow: UnitOfWork, row: dict[str, Any], caller: Caller | None) -> None:
    """有条件开放: the records and downloads only for a developer whose application the provider approved."""
    if caller is None:
        raise NotAuthenticated(f"数据集 {row['code']} 为有条件开放：请注册开发者，使用密钥并提交使用申请。",
                               field="X-API-Key", details={"reason": "conditional"})
    with uow.reading() as session:
        approved = queries.approved_application(session, row["id"], caller.developer_id)
    if not approved:
        raise NotFound(f"数据集 {row['code']} 为有条件开放：您的使用申请尚未通过提供部门审核。",
                       field="code", details={"reason": "application_required"})


@access.public("a registered developer's key is the right to apply; the public portal has no roles")
def apply(uow: UnitOfWork, actor: Actor, caller: Caller | None, code: str, data: ApplicationInput) -> ApplicationView:
    """申请使用 a 有条件开放 dataset (a developer with their key): purpose, conditions accepted."""
    if caller is None:
        raise NotAuthenticated("提交使用申请须使用开发者密钥（X-API-Key）。", field="X-API-Key")
    if not data.accept_conditions:
        raise InvalidInput("须接受开放条件才能提交申请。", field="accept_conditions")
    with uow:
        row = repository.opening_for_update(uow.session, code.strip())
        if row is None or row["status"] != Status.OPEN.value:
            raise NotFound(f"开放数据集不存在或尚未开放：{code}", field="code")
        if row["open_type"] != "conditional":
            raise Conflict(f"数据集 {row['code']} 为无条件开放，无须申请。", field="code")
        if queries.pending_application(uow.session, row["id"], caller.developer_id) or \
                queries.approved_application(uow.session, row["id"], caller.developer_id):
            raise Conflict("您已提交过该数据集的申请。", field="code")
        application_id = repository.add_application(
            uow.session, opening_id=row["id"], developer_id=caller.developer_id, purpose=data.purpose.strip(),
            status="pending", note="", created_at=clock.now())
        uow.emit(ApplicationSubmitted(actor=actor, target=f"opendata_application:{application_id}",
                                      application_id=application_id, code=row["code"],
                                      developer_id=caller.developer_id))
        uow.commit()
        return queries.application_views(uow.session, application_id=application_id)[0]


def list_applications(uow: UnitOfWork, actor: Actor) -> list[ApplicationView]:
    """Applications for the actor's department's datasets (all of them for the data authority)."""
    access.require(actor, perms.REVIEW)
    everything = access.can(actor, perms.APPROVE)
    with uow.reading() as session:
        return queries.application_views(session, None if everything else actor.department_code)


def review(uow: UnitOfWork, actor: Actor, application_id: int, data: ReviewInput) -> ApplicationView:
    """审核 by the provider (its data officer or approver), or the data authority."""
    access.require(actor, perms.REVIEW)
    with uow:
        found = repository.application_for_update(uow.session, application_id)
        views = queries.application_views(uow.session, application_id=application_id) if found else []
        opening = repository.opening_by_id(uow.session, found["opening_id"]) if found else None
        if not views or opening is None or not access.can(actor, perms.REVIEW, department=opening["provider_code"]):
            raise access.hidden()
        if found["status"] != "pending":
            raise Conflict("该申请已审核。", field="application_id")
        if not data.approve and not data.note.strip():
            raise InvalidInput("不通过须写明理由。", field="note")
        repository.save_application(uow.session, application_id, status="approved" if data.approve else "rejected",
                                    note=data.note.strip(), reviewed_by=actor.label, reviewed_at=clock.now())
        uow.emit(ApplicationReviewed(actor=actor, target=f"opendata_application:{application_id}",
                                     application_id=application_id, code=opening["code"], approved=data.approve))
        uow.commit()
        return queries.application_views(uow.session, application_id=application_id)[0]


def usage_statistics(uow: UnitOfWork, actor: Actor, days: int = 30) -> UsageStats:
    """使用统计 for the data authority: downloads, API calls and page views by day, top datasets, developers."""
    access.require(actor, perms.STATISTICS)
    if not 1 <= days <= 366:
        raise InvalidInput("统计天数须在 1 到 366 之间。", field="days")
    since = clock.now().astimezone(clock.DISPLAY_ZONE).date() - timedelta(days=days - 1)
    with uow.reading() as session:
        return queries.usage_stats(session, since)
