"""Identity use cases. Each takes the unit of work and the acting actor first, and checks permissions
through `access` before it reads or writes anything.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from importlib import resources

from zhengshu.core.identity import access, credentials, queries, repository
from zhengshu.core.identity import permissions as perms
from zhengshu.core.identity.credentials import TokenSigner
from zhengshu.core.identity.domain import (
    Organisation,
    OrganisationKind,
    SignInState,
    check_citizen_id,
    check_name,
    check_password,
    check_roles,
    check_username,
    citizen_actor,
    citizen_name,
)
from zhengshu.core.identity.events import (
    AccountLockedOut,
    ApiClientCreated,
    CitizenSignedIn,
    OrganisationsSeeded,
    PasswordReset,
    SignInFailed,
    TokenIssued,
    TokenRefused,
    UserCreated,
    UserSignedIn,
    UserSignedOut,
)
from zhengshu.core.identity.schemas import (
    ClientCreate,
    ClientView,
    CreatedClient,
    DemoAccount,
    OrganisationNode,
    OrganisationView,
    Summary,
    TokenRequest,
    TokenResponse,
    UserCreate,
    UserView,
)
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.errors import AccountLocked, Conflict, InvalidInput, NotAuthenticated
from zhengshu.kernel.permissions import ROLE_TITLES, Role
from zhengshu.kernel.subjects import subject_hash, subject_key
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.settings import Settings

WRONG_CREDENTIALS = "用户名或密码错误。"


def _seed() -> dict:
    text = resources.files("zhengshu.core.identity").joinpath("seed/qinhuangdao.json").read_text("utf-8")
    return json.loads(text)


def seed_city(uow: UnitOfWork, actor: Actor) -> int:
    """Write the city's administrative tree and departments (idempotent); returns how many there are."""
    access.require(actor, perms.MANAGE_ORGANISATIONS)
    entries = _seed()["organisations"]
    with uow:
        added, updated = repository.upsert_organisations(uow.session, entries)
        if added or updated:
            uow.emit(OrganisationsSeeded(actor=actor, target="organisations", added=added, updated=updated))
        uow.commit()
    return len(entries)


def _organisation(uow: UnitOfWork, code: str) -> Organisation:
    organisation = repository.get_organisation(uow.session, code)
    if organisation is None:
        raise InvalidInput(f"部门代码不存在：{code}", field="organisation_code")
    return organisation


def create_user(uow: UnitOfWork, actor: Actor, data: UserCreate) -> UserView:
    """Create a user with roles in an organisation (平台管理员 only)."""
    access.require(actor, perms.MANAGE_USERS)
    username = check_username(data.username.strip())
    display_name = check_name(data.display_name, field="display_name", title="姓名")
    check_password(data.password)
    with uow:
        organisation = _organisation(uow, data.organisation_code)
        roles = check_roles(data.roles, organisation)
        if repository.username_taken(uow.session, username):
            raise Conflict(f"用户名已存在：{username}", field="username")
        repository.add_user(uow.session, username=username, display_name=display_name,
                            organisation_code=organisation.code, roles=roles,
                            password_hash=credentials.hash_secret(data.password))
        uow.emit(UserCreated(actor=actor, target=f"user:{username}", username=username,
                             organisation_code=organisation.code, roles=roles))
        uow.commit()
        return next(u for u in queries.list_users(uow.session, organisation.code) if u.username == username)


DEMO_ACCOUNTS = (
    ("admin", "平台管理员（演示）", "130300002", Role.PLATFORM_ADMIN),
    ("gongan", "公安局数据官（演示）", "130300003", Role.DATA_OFFICER),
    ("shichang", "市场监管局数据官（演示）", "130300004", Role.DATA_OFFICER),
    ("renshe", "人社局审核人（演示）", "130300005", Role.APPROVER),
    ("fenxi", "分析员（演示）", "130300001", Role.ANALYST),
    ("ducha", "督查员（演示）", "130300001", Role.SUPERVISOR),
)


def reset_demo_accounts(uow: UnitOfWork, actor: Actor) -> list[DemoAccount]:
    """Create the demo accounts, or give them fresh random passwords; returns them with their passwords."""
    access.require(actor, perms.MANAGE_USERS)
    accounts = []
    with uow:
        for username, name, code, role in DEMO_ACCOUNTS:
            password = credentials.new_password()
            organisation = _organisation(uow, code)
            if repository.username_taken(uow.session, username):
                repository.set_password(uow.session, username, credentials.hash_secret(password))
                uow.emit(PasswordReset(actor=actor, target=f"user:{username}", username=username))
            else:
                repository.add_user(uow.session, username=username, display_name=name, organisation_code=code,
                                    roles=(role.value,), password_hash=credentials.hash_secret(password))
                uow.emit(UserCreated(actor=actor, target=f"user:{username}", username=username,
                                     organisation_code=code, roles=(role.value,)))
            accounts.append(DemoAccount(username=username, password=password, role_title=ROLE_TITLES[role],
                                        department_name=organisation.name))
        uow.commit()
    return accounts


@dataclass(frozen=True)
class SignedIn:
    """A successful sign-in: what the web session keeps (user id, session epoch) and the actor."""

    user_id: int
    epoch: int
    actor: Actor


@access.public(
    "signing in: the password is the check, and whoever asks gets the same answer for a wrong one")
def sign_in(uow: UnitOfWork, actor: Actor, username: str, password: str, settings: Settings) -> SignedIn:
    """Check a password. Failures are counted and audited; too many in a row lock the account a while."""
    now = clock.now()
    failure: NotAuthenticated | None = None
    with uow:
        user = repository.user_for_sign_in(uow.session, username)
        target = f"user:{username}"
        state = SignInState(user["failed_sign_ins"], user["locked_until"]) if user else None
        if user is None or not user["active"]:
            credentials.verify_secret(None, password)  # same cost as a real check
            uow.emit(SignInFailed(actor=actor, target=target, outcome="failure",
                                  reason="unknown_or_inactive"))
            failure = NotAuthenticated(WRONG_CREDENTIALS)
        elif state is not None and state.is_locked(now):
            uow.emit(SignInFailed(actor=actor, target=target, outcome="failure", reason="locked"))
            failure = AccountLocked(f"账户已锁定，请于 {clock.for_display(state.locked_until)} 之后再试。")
        elif state is not None and not credentials.verify_secret(user["password_hash"], password):
            state = state.after_failure(now, settings.login_max_failures,
                                        timedelta(seconds=settings.login_lockout_seconds))
            repository.save_sign_in_state(uow.session, user["id"], state)
            uow.emit(SignInFailed(actor=actor, target=target, outcome="failure", reason="wrong_password"))
            failure = NotAuthenticated(WRONG_CREDENTIALS)
            if state.locked_until is not None:
                uow.emit(AccountLockedOut(actor=actor, target=target, outcome="failure",
                                          locked_until=state.locked_until.isoformat()))
                failure = AccountLocked(
                    f"连续登录失败次数过多，账户已锁定至 {clock.for_display(state.locked_until)}。"
                )
        else:
            repository.save_sign_in_state(uow.session, user["id"], SignInState.after_success(),
                                          signed_in_at=now)
            signed = Actor(kind=ActorKind.USER, id=user["username"], name=user["display_name"],
                           department_code=user["organisation_code"], roles=frozenset(user["roles"]),
                           client_address=actor.client_address)
            uow.emit(UserSignedIn(actor=signed, target=target))
        uow.commit()
    if failure is not None:
        raise failure
    return SignedIn(user_id=user["id"], epoch=user["session_epoch"], actor=signed)


@access.public("signing in as oneself: there is no actor yet (a demo stand-in, off in production)")
def citizen_sign_in(uow: UnitOfWork, actor: Actor, id_number: str, platform_secret: str | bytes,
                    settings: Settings) -> Actor:
    """A citizen signs in as themselves by ID number (公民身份号码) — the demo stand-in for real-name
    authentication, refused unless settings allow it. The actor is named by the number's keyed subject hash
    (the one the exchange logs), never by the number; the sign-in is audited under that name."""
    if not settings.citizen_demo_login_enabled:
        raise NotAuthenticated("公众实名登录尚未开通。")
    number = check_citizen_id(id_number)
    citizen = citizen_actor(subject_hash(subject_key(platform_secret), number), citizen_name(number),
                            client_address=actor.client_address)
    with uow:
        uow.emit(CitizenSignedIn(actor=citizen, target=citizen.label))
        uow.commit()
    return citizen


@access.public("ends the caller's own sessions, nobody else's")
def sign_out(uow: UnitOfWork, actor: Actor) -> None:
    """End the user's sessions on the server too: the session lives in a signed cookie, so a copy of the
    cookie taken before signing out would otherwise still be accepted afterwards."""
    with uow:
        if actor.kind is ActorKind.USER:
            repository.end_sessions(uow.session, actor.id)
        uow.emit(UserSignedOut(actor=actor, target=actor.label))
        uow.commit()


def create_client(uow: UnitOfWork, actor: Actor, data: ClientCreate) -> CreatedClient:
    """Register a department's system; its secret is shown once and only its hash is kept."""
    access.require(actor, perms.MANAGE_CLIENTS, department=data.organisation_code)
    name = check_name(data.name, field="name", title="接入系统名称")
    key, secret = credentials.new_client_key(), credentials.new_client_secret()
    with uow:
        organisation = _organisation(uow, data.organisation_code)
        if organisation.kind is not OrganisationKind.DEPARTMENT:
            raise InvalidInput("接入系统须属于某个部门。", field="organisation_code")
        repository.add_client(uow.session, client_key=key, name=name, organisation_code=organisation.code,
                              secret_hash=credentials.hash_secret(secret))
        uow.emit(ApiClientCreated(actor=actor, target=f"client:{key}", client_key=key,
                                  organisation_code=organisation.code))
        uow.commit()
        client = next(c for c in queries.list_clients(uow.session, organisation.code) if c.client_key == key)
    return CreatedClient(client=client, client_secret=secret)


@access.public("a client's key and secret are the check: there is no actor yet")
def issue_token(uow: UnitOfWork, actor: Actor, request: TokenRequest, signer: TokenSigner) -> TokenResponse:
    """Exchange a client's key and secret for a short-lived bearer token."""
    target = f"client:{request.client_key}"
    with uow:
        client = repository.client_for_token(uow.session, request.client_key)
        valid = credentials.verify_secret(client["secret_hash"] if client else None, request.client_secret)
        if not valid or client is None or not client["active"]:
            uow.emit(TokenRefused(actor=actor, target=target, outcome="failure", reason="bad_credentials"))
            uow.commit()
            raise NotAuthenticated("接入系统标识或密钥错误。")
        repository.touch_client(uow.session, request.client_key)
        client_actor = Actor(kind=ActorKind.CLIENT, id=client["client_key"], name=client["name"],
                             department_code=client["organisation_code"], client_address=actor.client_address)
        uow.emit(TokenIssued(actor=client_actor, target=target, expires_in=signer.ttl_seconds))
        uow.commit()
    return TokenResponse(access_token=signer.issue(request.client_key), expires_in=signer.ttl_seconds)


@access.public("resolving who the caller is comes before any permission")
def actor_for_token(uow: UnitOfWork, token: str, signer: TokenSigner) -> Actor:
    """The client a bearer token speaks for; forged, expired or revoked tokens raise NotAuthenticated."""
    client_key = signer.client_key(token)
    with uow.reading() as session:
        actor = queries.client_actor(session, client_key)
    if actor is None:
        raise NotAuthenticated("访问令牌对应的接入系统已停用。")
    return actor


@access.public("resolving who the caller is comes before any permission")
def actor_for_session(uow: UnitOfWork, user_id: int, epoch: int) -> Actor | None:
    with uow.reading() as session:
        return queries.user_actor(session, user_id, epoch)


def list_organisations(uow: UnitOfWork, actor: Actor) -> list[OrganisationView]:
    access.require(actor, perms.VIEW_ORGANISATIONS)
    with uow.reading() as session:
        return queries.list_organisations(session)


def organisation_tree(uow: UnitOfWork, actor: Actor) -> list[OrganisationNode]:
    access.require(actor, perms.VIEW_ORGANISATIONS)
    with uow.reading() as session:
        return queries.organisation_tree(session)


def list_users(uow: UnitOfWork, actor: Actor) -> list[UserView]:
    access.require(actor, perms.MANAGE_USERS)
    with uow.reading() as session:
        return queries.list_users(session)


def list_clients(uow: UnitOfWork, actor: Actor) -> list[ClientView]:
    """Administrators see every client; a data officer sees their own department's."""
    access.require(actor, perms.MANAGE_CLIENTS)
    department = None if access.can(actor, perms.MANAGE_USERS) else actor.department_code
    with uow.reading() as session:
        return queries.list_clients(session, department)


def summary(uow: UnitOfWork, actor: Actor) -> Summary:
    access.require(actor, perms.VIEW_ORGANISATIONS)
    with uow.reading() as session:
        return queries.summary(session)
