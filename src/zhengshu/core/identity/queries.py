"""Read-side SQL of the identity module: views for pages and the API, and actors for requests."""

from __future__ import annotations

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from zhengshu.core.identity.domain import OrganisationKind
from zhengshu.core.identity.schemas import (
    ClientView,
    OrganisationNode,
    OrganisationView,
    Summary,
    UserView,
)
from zhengshu.core.identity.tables import api_clients, organisations, users
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.permissions import ROLE_TITLES, Role


def _organisation_view(row) -> OrganisationView:
    kind = OrganisationKind(row["kind"])
    return OrganisationView(code=row["code"], name=row["name"], full_name=row["full_name"], kind=kind.value,
                            kind_title=kind.title, parent_code=row["parent_code"])


def list_organisations(session: Session) -> list[OrganisationView]:
    rows = session.execute(select(organisations).order_by(organisations.c.sort_order)).mappings()
    return [_organisation_view(r) for r in rows]


def organisation_tree(session: Session) -> list[OrganisationNode]:
    nodes = {o.code: OrganisationNode(organisation=o) for o in list_organisations(session)}
    roots: list[OrganisationNode] = []
    for node in nodes.values():
        parent = nodes.get(node.organisation.parent_code or "")
        (parent.children if parent else roots).append(node)
    return roots


def _role_titles(roles: list[str]) -> list[str]:
    return [ROLE_TITLES[Role(r)] for r in roles if r in Role._value2member_map_]


def list_users(session: Session, organisation_code: str | None = None) -> list[UserView]:
    query = (
        select(users, organisations.c.name.label("organisation_name"))
        .join(organisations, organisations.c.code == users.c.organisation_code)
        .order_by(users.c.username)
    )
    if organisation_code:
        query = query.where(users.c.organisation_code == organisation_code)
    now = clock.now()
    return [
        UserView(
            id=r["id"], username=r["username"], display_name=r["display_name"],
            organisation_code=r["organisation_code"], organisation_name=r["organisation_name"],
            roles=list(r["roles"]), role_titles=_role_titles(list(r["roles"])), active=r["active"],
            locked=r["locked_until"] is not None and r["locked_until"] > now,
            last_sign_in_at=r["last_sign_in_at"],
        )
        for r in session.execute(query).mappings()
    ]


def list_clients(session: Session, organisation_code: str | None = None) -> list[ClientView]:
    query = (
        select(api_clients, organisations.c.name.label("organisation_name"))
        .join(organisations, organisations.c.code == api_clients.c.organisation_code)
        .order_by(api_clients.c.created_at.desc())
    )
    if organisation_code:
        query = query.where(api_clients.c.organisation_code == organisation_code)
    return [
        ClientView(
            client_key=r["client_key"], name=r["name"], organisation_code=r["organisation_code"],
            organisation_name=r["organisation_name"], active=r["active"], last_token_at=r["last_token_at"],
            created_at=r["created_at"],
        )
        for r in session.execute(query).mappings()
    ]


def summary(session: Session) -> Summary:
    def count(table, *where) -> int:
        return session.execute(select(func.count()).select_from(table).where(*where)).scalar_one()

    return Summary(
        divisions=count(organisations, organisations.c.kind != OrganisationKind.DEPARTMENT.value),
        departments=count(organisations, organisations.c.kind == OrganisationKind.DEPARTMENT.value),
        users=count(users),
        clients=count(api_clients),
    )


def user_actor(session: Session, user_id: int, epoch: int) -> Actor | None:
    """The actor behind a web session, if the user still exists, is active and the session is current."""
    row = session.execute(select(users).where(users.c.id == user_id)).mappings().first()
    if row is None or not row["active"] or row["session_epoch"] != epoch:
        return None
    return Actor(kind=ActorKind.USER, id=row["username"], name=row["display_name"],
                 department_code=row["organisation_code"], roles=frozenset(row["roles"]))


_CLIENT_BY_KEY = select(api_clients).where(api_clients.c.client_key == bindparam("client_key"))  # every API call


def client_actor(session: Session, client_key: str) -> Actor | None:
    """The actor behind a bearer token, if its client still exists and is active."""
    row = session.execute(_CLIENT_BY_KEY, {"client_key": client_key}).mappings().first()
    if row is None or not row["active"]:
        return None
    return Actor(kind=ActorKind.CLIENT, id=row["client_key"], name=row["name"],
                 department_code=row["organisation_code"])
