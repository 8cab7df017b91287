"""Read-side SQL of the sharing module: views of requests, their history, grants and needs, the review queue,
and the one question the exchange asks on every call: which grant does this client hold for this resource."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, exists, false, func, or_, select
from sqlalchemy.orm import Session

from zhengshu.core.sharing.domain.grants import grant_state, recertification_due
from zhengshu.core.sharing.domain.values import (
    OPEN,
    RECERTIFICATION_DAYS,
    NeedStatus,
    Outcome,
    SharingKind,
    Status,
    Step,
)
from zhengshu.core.sharing.schemas import (
    AnswerView,
    Coded,
    Grant,
    GrantView,
    HistoryView,
    NeedView,
    RequestView,
    RowFilter,
)
from zhengshu.core.sharing.tables import grants, need_answers, needs, request_events, requests

LIMIT = 500  # a list shows at most this many rows, newest first
OPEN_VALUES = [s.value for s in OPEN]


def _filters(stored: list[dict[str, Any]]) -> list[RowFilter]:
    return [RowFilter(column=c["column"], op=c["op"], value=c["value"]) for c in stored]


def _request_view(row: Any, today: date) -> RequestView:
    status = Status(row["status"])
    return RequestView(
        id=row["id"], resource_code=row["resource_code"], resource_name=row["resource_name"],
        provider_code=row["provider_code"], provider_name=row["provider_name"], consumer_code=row["consumer_code"],
        consumer_name=row["consumer_name"], client_key=row["client_key"],
        sharing_type=Coded.of(SharingKind(row["sharing_type"])), fields=list(row["fields"]),
        row_filters=_filters(row["row_filters"]), row_scope=row["row_scope"], purpose=row["purpose"],
        legal_basis=row["legal_basis"], starts_on=row["starts_on"], ends_on=row["ends_on"], status=Coded.of(status),
        due_on=row["due_on"], overdue=status in OPEN and row["due_on"] is not None and today > row["due_on"],
        published=row["published"], refusal_reason=row["refusal_reason"], dispute_reason=row["dispute_reason"],
        outcome=Coded.of(Outcome(row["outcome"])) if row["outcome"] else None, outcome_note=row["outcome_note"],
        grant_id=row["grant_id"], requested_by=row["requested_by"], requested_by_name=row["requested_by_name"],
        submitted_at=row["submitted_at"], updated_at=row["updated_at"],
    )


def _requests() -> Select:
    return (select(requests, grants.c.id.label("grant_id"))
            .outerjoin(grants, grants.c.request_id == requests.c.id)
            .order_by(requests.c.submitted_at.desc(), requests.c.id.desc()).limit(LIMIT))


def _involving(table: Any, department: str | None) -> ColumnElement[bool]:
    return or_(table.c.consumer_code == department, table.c.provider_code == department)


def request_view(session: Session, request_id: int, today: date) -> RequestView | None:
    row = session.execute(_requests().where(requests.c.id == request_id)).mappings().first()
    return None if row is None else _request_view(row, today)


def list_requests(session: Session, today: date, *, consumer: str | None = None, provider: str | None = None,
                  involving: str | None = None, everything: bool = False, overdue: bool = False) -> list[RequestView]:
    """Requests made by `consumer`, made to `provider`, or either (`involving`), or `everything`; only those
    past their deadline when `overdue`."""
    query = _requests()
    if consumer is not None:
        query = query.where(requests.c.consumer_code == consumer)
    if provider is not None:
        query = query.where(requests.c.provider_code == provider)
    if involving is not None:
        query = query.where(_involving(requests, involving))
    if consumer is None and provider is None and involving is None and not everything:
        query = query.where(false())
    if overdue:
        query = query.where(requests.c.status.in_(OPEN_VALUES), requests.c.due_on < today)
    return [_request_view(r, today) for r in session.execute(query).mappings()]


def review_queue(session: Session, today: date, *, compliance: bool, coordination: bool,
                 provider_of: str | None, not_of: str | None) -> list[RequestView]:
    """Requests waiting on the viewer: compliance review and coordination for the data authority (never its
    own department's: four eyes), provider review for the providing department's approvers. Oldest
    deadline first."""
    waiting: list[ColumnElement[bool]] = []
    if compliance:
        waiting.append(requests.c.status == Status.SUBMITTED.value)
    if coordination:
        waiting.append(requests.c.status == Status.DISPUTED.value)
    authority: list[ColumnElement[bool]] = []
    if waiting:
        authority.append(and_(or_(*waiting), requests.c.consumer_code != not_of) if not_of else or_(*waiting))
    if provider_of is not None:
        authority.append(and_(requests.c.status == Status.PROVIDER_REVIEW.value,
                              requests.c.provider_code == provider_of, requests.c.consumer_code != provider_of))
    if not authority:
        return []
    query = _requests().where(or_(*authority)).order_by(None).order_by(
        requests.c.due_on.is_(None), requests.c.due_on, requests.c.id)
    return [_request_view(r, today) for r in session.execute(query).mappings()]


def request_history(session: Session, request_id: int) -> list[HistoryView]:
    query = select(request_events).where(request_events.c.request_id == request_id).order_by(request_events.c.id)
    return [HistoryView(step=Coded.of(Step(r["step"])), actor=r["actor"], actor_name=r["actor_name"],
                        department_code=r["department_code"], note=r["note"], occurred_at=r["occurred_at"])
            for r in session.execute(query).mappings()]


def request_count(session: Session, today: date, *, involving: str | None, overdue: bool) -> int:
    query = select(func.count()).select_from(requests).where(requests.c.status.in_(OPEN_VALUES))
    if involving is not None:
        query = query.where(_involving(requests, involving))
    if overdue:
        query = query.where(requests.c.due_on < today)
    return session.execute(query).scalar_one()


# --- grants ----------------------------------------------------------------------------------------------------


def _grant(row: Any, today: date) -> Grant:
    state = grant_state(row["starts_on"], row["expires_on"], row["revoked_at"] is not None, today)
    return Grant(
        id=row["id"], request_id=row["request_id"], resource_code=row["resource_code"],
        provider_code=row["provider_code"], consumer_code=row["consumer_code"], client_key=row["client_key"],
        fields=tuple(row["fields"]), pseudonymous_fields=tuple(row["pseudonymous_fields"]),
        row_filters=tuple(_filters(row["row_filters"])), purpose=row["purpose"], legal_basis=row["legal_basis"],
        starts_on=row["starts_on"], expires_on=row["expires_on"], daily_quota=row["daily_quota"],
        clear_fields=tuple(row["clear_fields"]), verify_only=row["verify_only"], status=state.value,
    )


def _grant_view(row: Any, today: date) -> GrantView:
    grant = _grant(row, today)
    revoked = row["revoked_at"] is not None
    return GrantView(
        grant=grant, resource_name=row["resource_name"], provider_name=row["provider_name"],
        consumer_name=row["consumer_name"],
        state=Coded.of(grant_state(grant.starts_on, grant.expires_on, revoked, today)),
        recertification_due=recertification_due(grant.expires_on, revoked, today),
        revoked_reason=row["revoked_reason"], revoked_at=row["revoked_at"], renewals=row["renewals"],
        created_at=row["created_at"],
    )


def grant_view(session: Session, today: date, *, grant_id: int | None = None,
               request_id: int | None = None) -> GrantView | None:
    query = select(grants).where(grants.c.id == grant_id if grant_id is not None
                                 else grants.c.request_id == request_id)
    row = session.execute(query).mappings().first()
    return None if row is None else _grant_view(row, today)


def list_grants(session: Session, today: date, *, consumer: str | None = None, provider: str | None = None,
                involving: str | None = None, everything: bool = False,
                recertification: bool = False) -> list[GrantView]:
    """Grants to `consumer`, from `provider`, either (`involving`) or `everything`; with `recertification`,
    only live grants expiring within the re-certification window."""
    query = select(grants).order_by(grants.c.created_at.desc(), grants.c.id.desc()).limit(LIMIT)
    if consumer is not None:
        query = query.where(grants.c.consumer_code == consumer)
    if provider is not None:
        query = query.where(grants.c.provider_code == provider)
    if involving is not None:
        query = query.where(_involving(grants, involving))
    if consumer is None and provider is None and involving is None and not everything:
        query = query.where(false())
    if recertification:
        query = query.where(grants.c.revoked_at.is_(None), grants.c.expires_on >= today,
                            grants.c.expires_on <= today + timedelta(days=RECERTIFICATION_DAYS))
    return [_grant_view(r, today) for r in session.execute(query).mappings()]


# Built once with bound parameters: the exchange runs this on every call.
_ACTIVE_GRANT = (select(grants)
                 .where(grants.c.client_key == bindparam("client_key"),
                        grants.c.resource_code == bindparam("resource_code"), grants.c.revoked_at.is_(None),
                        grants.c.starts_on <= bindparam("today"), grants.c.expires_on >= bindparam("today"))
                 .order_by(grants.c.starts_on.desc(), grants.c.id.desc()).limit(1))


def active_grant(session: Session, client_key: str, resource_code: str, today: date) -> Grant | None:
    """The client's grant for the resource valid today (not revoked, started, not expired), or None."""
    row = session.execute(_ACTIVE_GRANT, {"client_key": client_key, "resource_code": resource_code,
                                          "today": today}).mappings().first()
    return None if row is None else _grant(row, today)


# --- needs -----------------------------------------------------------------------------------------------------


def offered_to(session: Session, department: str | None, resource_code: str) -> bool:
    """Whether a provider answered one of `department`'s needs with this resource (so it may be requested even
    before it is published)."""
    query = select(exists().where(need_answers.c.resource_code == resource_code,
                                  need_answers.c.need_id == needs.c.id, needs.c.department_code == department))
    return bool(session.execute(query).scalar())


def _answers(session: Session, need_ids: list[int]) -> dict[int, list[AnswerView]]:
    found: dict[int, list[AnswerView]] = {i: [] for i in need_ids}
    if not need_ids:
        return found
    query = select(need_answers).where(need_answers.c.need_id.in_(need_ids)).order_by(need_answers.c.id)
    for r in session.execute(query).mappings():
        found[r["need_id"]].append(AnswerView(
            id=r["id"], resource_code=r["resource_code"], resource_name=r["resource_name"],
            provider_code=r["provider_code"], provider_name=r["provider_name"], note=r["note"],
            answered_by_name=r["answered_by_name"], answered_at=r["answered_at"]))
    return found


def list_needs(session: Session, status: NeedStatus | None = None, need_id: int | None = None) -> list[NeedView]:
    query = select(needs).order_by(needs.c.posted_at.desc(), needs.c.id.desc()).limit(LIMIT)
    if status is not None:
        query = query.where(needs.c.status == status.value)
    if need_id is not None:
        query = query.where(needs.c.id == need_id)
    rows = list(session.execute(query).mappings())
    answers = _answers(session, [r["id"] for r in rows])
    return [NeedView(id=r["id"], title=r["title"], description=r["description"], purpose=r["purpose"],
                     department_code=r["department_code"], department_name=r["department_name"],
                     status=Coded.of(NeedStatus(r["status"])), posted_by_name=r["posted_by_name"],
                     posted_at=r["posted_at"], closed_at=r["closed_at"], answers=answers[r["id"]])
            for r in rows]
