"""Write-side SQL of the identity module. Functions take the unit of work's session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from zhengshu.core.identity.domain import Organisation, OrganisationKind, SignInState
from zhengshu.core.identity.tables import api_clients, organisations, users
from zhengshu.kernel import clock


def get_organisation(session: Session, code: str) -> Organisation | None:
    row = session.execute(select(organisations).where(organisations.c.code == code)).mappings().first()
    if row is None:
        return None
    return Organisation(row["code"], row["name"], row["full_name"], OrganisationKind(row["kind"]),
                        row["parent_code"])


def upsert_organisations(session: Session, entries: list[dict[str, Any]]) -> tuple[int, int]:
    """Insert new organisations and update changed names; returns (added, updated). Parents come first.

    New rows go in as one multi-row insert, in the entries' order, so a parent is written before its
    children (the whole city is seeded in one round trip instead of one per row)."""
    existing = {r["code"]: r for r in session.execute(select(organisations)).mappings()}
    new_rows: list[dict[str, Any]] = []
    updated = 0
    now = clock.now()
    for order, entry in enumerate(entries):
        values = {"name": entry["name"], "full_name": entry["full_name"], "kind": entry["kind"],
                  "parent_code": entry["parent"], "sort_order": order}
        current = existing.get(entry["code"])
        if current is None:
            new_rows.append({"code": entry["code"], "created_at": now, **values})
        elif any(current[k] != v for k, v in values.items()):
            changed = update(organisations).where(organisations.c.code == entry["code"]).values(**values)
            session.execute(changed)
            updated += 1
    if new_rows:
        session.execute(insert(organisations), new_rows)
    return len(new_rows), updated


def username_taken(session: Session, username: str) -> bool:
    query = select(func.count()).select_from(users).where(users.c.username == username)
    return session.execute(query).scalar_one() > 0


def add_user(session: Session, *, username: str, display_name: str, organisation_code: str,
             roles: tuple[str, ...], password_hash: str) -> int:
    result = session.execute(
        insert(users).values(
            username=username, display_name=display_name, organisation_code=organisation_code,
            roles=list(roles), password_hash=password_hash, active=True, failed_sign_ins=0,
            session_epoch=0, created_at=clock.now(),
        )
    )
    return int(result.inserted_primary_key[0])


def set_password(session: Session, username: str, password_hash: str) -> None:
    """Replace a password, unlock the account and end its sessions."""
    session.execute(
        update(users).where(users.c.username == username).values(
            password_hash=password_hash, failed_sign_ins=0, locked_until=None,
            session_epoch=users.c.session_epoch + 1,
        )
    )


def end_sessions(session: Session, username: str) -> None:
    """End every web session of a user (the sessions carry the epoch they were started in)."""
    session.execute(
        update(users).where(users.c.username == username).values(session_epoch=users.c.session_epoch + 1)
    )


def user_for_sign_in(session: Session, username: str) -> dict[str, Any] | None:
    """The user row, locked for update (PostgreSQL) so that concurrent failures count one by one."""
    query = select(users).where(users.c.username == username).with_for_update()
    row = session.execute(query).mappings().first()
    return dict(row) if row else None


def save_sign_in_state(session: Session, user_id: int, state: SignInState, *,
                       signed_in_at: datetime | None = None) -> None:
    values: dict[str, Any] = {"failed_sign_ins": state.failures, "locked_until": state.locked_until}
    if signed_in_at is not None:
        values["last_sign_in_at"] = signed_in_at
    session.execute(update(users).where(users.c.id == user_id).values(**values))


def add_client(session: Session, *, client_key: str, name: str, organisation_code: str,
               secret_hash: str) -> None:
    session.execute(
        insert(api_clients).values(
            client_key=client_key, name=name, organisation_code=organisation_code,
            secret_hash=secret_hash, active=True, created_at=clock.now(),
        )
    )


def client_for_token(session: Session, client_key: str) -> dict[str, Any] | None:
    query = select(api_clients).where(api_clients.c.client_key == client_key)
    row = session.execute(query).mappings().first()
    return dict(row) if row else None


def touch_client(session: Session, client_key: str) -> None:
    session.execute(
        update(api_clients).where(api_clients.c.client_key == client_key).values(last_token_at=clock.now())
    )
