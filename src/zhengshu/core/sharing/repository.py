"""Write-side SQL of the sharing module. Functions take the unit of work's session; rows that a decision
depends on are read locked for update (PostgreSQL), so two reviewers cannot both move one request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhengshu.core.sharing.domain.grants import GrantTerms
from zhengshu.core.sharing.domain.requests import SharingRequest
from zhengshu.core.sharing.domain.values import (
    OPEN,
    NeedStatus,
    Outcome,
    SharingKind,
    Status,
    Step,
    condition_json,
    condition_of,
)
from zhengshu.core.sharing.tables import grants, need_answers, needs, request_events, requests
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import Conflict

OPEN_REQUEST_EXISTS = "该接入系统对此资源已有办理中的申请。"


def _request_of(row: Any) -> SharingRequest:
    return SharingRequest(
        id=row["id"], resource_code=row["resource_code"], provider_code=row["provider_code"],
        consumer_code=row["consumer_code"], client_key=row["client_key"], sharing=SharingKind(row["sharing_type"]),
        fields=tuple(row["fields"]), row_filters=tuple(condition_of(c) for c in row["row_filters"]),
        starts_on=row["starts_on"], ends_on=row["ends_on"], status=Status(row["status"]), due_on=row["due_on"],
        refusal_reason=row["refusal_reason"], dispute_reason=row["dispute_reason"],
        outcome=Outcome(row["outcome"]) if row["outcome"] else None,
    )


def add_request(session: Session, request: SharingRequest, *, resource_name: str, provider_name: str,
                consumer_name: str, published: bool, row_scope: str, purpose: str, legal_basis: str,
                actor: Actor, now: datetime) -> int:
    """Insert a request. One that raced another past `open_request_exists` (both checked before either
    committed) fails on the open-request index; the loser gets the same Conflict the check gives."""
    statement = insert(requests).values(
        resource_code=request.resource_code, resource_name=resource_name, provider_code=request.provider_code,
        provider_name=provider_name, consumer_code=request.consumer_code, consumer_name=consumer_name,
        client_key=request.client_key, sharing_type=request.sharing.value, published=published,
        fields=list(request.fields), row_filters=[condition_json(c) for c in request.row_filters],
        row_scope=row_scope, purpose=purpose, legal_basis=legal_basis, starts_on=request.starts_on,
        ends_on=request.ends_on, status=request.status.value, due_on=request.due_on,
        refusal_reason=request.refusal_reason, dispute_reason=request.dispute_reason, outcome=None,
        outcome_note="", requested_by=actor.label, requested_by_name=actor.name, submitted_at=now,
        updated_at=now,
    )
    try:
        with session.begin_nested():  # a savepoint: the transaction stays usable to look at why it failed
            result = session.execute(statement)
    except IntegrityError:
        if open_request_exists(session, request.client_key, request.resource_code):
            raise Conflict(OPEN_REQUEST_EXISTS, field="resource_code") from None
        raise
    return int(result.inserted_primary_key[0])


def load_request(session: Session, request_id: int) -> tuple[SharingRequest, dict[str, Any]] | None:
    """The request (locked for update) and its row, for the names and texts a grant copies."""
    query = select(requests).where(requests.c.id == request_id).with_for_update()
    row = session.execute(query).mappings().first()
    return None if row is None else (_request_of(row), dict(row))


def save_request(session: Session, request: SharingRequest, now: datetime, **extra: Any) -> None:
    """Write a request's state after a transition (`extra`: published, outcome_note)."""
    session.execute(update(requests).where(requests.c.id == request.id).values(
        status=request.status.value, due_on=request.due_on, refusal_reason=request.refusal_reason,
        dispute_reason=request.dispute_reason, outcome=request.outcome.value if request.outcome else None,
        updated_at=now, **extra,
    ))


def add_event(session: Session, request_id: int, step: Step, actor: Actor, now: datetime, note: str = "") -> None:
    session.execute(insert(request_events).values(
        request_id=request_id, step=step.value, actor=actor.label, actor_name=actor.name,
        department_code=actor.department_code, note=note, occurred_at=now,
    ))


def open_request_exists(session: Session, client_key: str, resource_code: str) -> bool:
    query = select(exists().where(requests.c.client_key == client_key, requests.c.resource_code == resource_code,
                                  requests.c.status.in_([s.value for s in OPEN])))
    return bool(session.execute(query).scalar())


def live_grant_exists(session: Session, client_key: str, resource_code: str, today: date) -> bool:
    """Whether the client holds a grant for the resource that is not revoked and not yet expired."""
    query = select(exists().where(grants.c.client_key == client_key, grants.c.resource_code == resource_code,
                                  grants.c.revoked_at.is_(None), grants.c.expires_on >= today))
    return bool(session.execute(query).scalar())


def add_grant(session: Session, request: SharingRequest, row: dict[str, Any], terms: GrantTerms, actor: Actor,
              now: datetime) -> int:
    result = session.execute(insert(grants).values(
        request_id=request.id, resource_code=request.resource_code, resource_name=row["resource_name"],
        provider_code=request.provider_code, provider_name=row["provider_name"],
        consumer_code=request.consumer_code, consumer_name=row["consumer_name"], client_key=terms.client_key,
        fields=list(terms.fields), pseudonymous_fields=list(terms.pseudonymous_fields),
        row_filters=[condition_json(c) for c in terms.row_filters], purpose=row["purpose"],
        legal_basis=row["legal_basis"], starts_on=terms.starts_on, expires_on=terms.expires_on,
        daily_quota=terms.daily_quota, clear_fields=list(terms.clear_fields), verify_only=terms.verify_only,
        granted_by=actor.label, created_at=now, renewals=0, revoked_reason="",
    ))
    return int(result.inserted_primary_key[0])


def load_grant(session: Session, grant_id: int) -> dict[str, Any] | None:
    row = session.execute(select(grants).where(grants.c.id == grant_id).with_for_update()).mappings().first()
    return None if row is None else dict(row)


def revoke_grant(session: Session, grant_id: int, actor: Actor, reason: str, now: datetime) -> None:
    session.execute(update(grants).where(grants.c.id == grant_id).values(
        revoked_at=now, revoked_by=actor.label, revoked_reason=reason))


def renew_grant(session: Session, grant_id: int, expires_on: date, now: datetime) -> None:
    session.execute(update(grants).where(grants.c.id == grant_id).values(
        expires_on=expires_on, renewals=grants.c.renewals + 1, renewed_at=now))


def add_need(session: Session, *, department_code: str, department_name: str, title: str, description: str,
             purpose: str, actor: Actor, now: datetime) -> int:
    result = session.execute(insert(needs).values(
        department_code=department_code, department_name=department_name, title=title, description=description,
        purpose=purpose, status=NeedStatus.OPEN.value, posted_by=actor.label, posted_by_name=actor.name,
        posted_at=now,
    ))
    return int(result.inserted_primary_key[0])


def load_need(session: Session, need_id: int) -> dict[str, Any] | None:
    row = session.execute(select(needs).where(needs.c.id == need_id).with_for_update()).mappings().first()
    return None if row is None else dict(row)


def close_need(session: Session, need_id: int, now: datetime) -> None:
    session.execute(update(needs).where(needs.c.id == need_id).values(status=NeedStatus.CLOSED.value,
                                                                      closed_at=now))


def answer_exists(session: Session, need_id: int, resource_code: str) -> bool:
    query = select(exists().where(need_answers.c.need_id == need_id, need_answers.c.resource_code == resource_code))
    return bool(session.execute(query).scalar())


def add_answer(session: Session, *, need_id: int, resource_code: str, resource_name: str, provider_code: str,
               provider_name: str, note: str, actor: Actor, now: datetime) -> None:
    session.execute(insert(need_answers).values(
        need_id=need_id, resource_code=resource_code, resource_name=resource_name, provider_code=provider_code,
        provider_name=provider_name, note=note, answered_by=actor.label, answered_by_name=actor.name,
        answered_at=now,
    ))
