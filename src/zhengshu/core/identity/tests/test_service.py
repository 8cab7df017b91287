"""Identity use cases on the real database (SQLite and PostgreSQL): the city seed, users, sign-in and
lock-out, departments' API clients and their bearer tokens. Every write must leave its audit record."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from importlib import resources

import pytest
from sqlalchemy import select

from zhengshu.core.identity import service, tables
from zhengshu.core.identity.credentials import TokenSigner
from zhengshu.core.identity.events import SignInFailed
from zhengshu.core.identity.schemas import ClientCreate, TokenRequest, UserCreate
from zhengshu.kernel import clock
from zhengshu.kernel.actor import PUBLIC, ActorKind, system_actor
from zhengshu.kernel.errors import AccountLocked, Conflict, InvalidInput, NotAuthenticated, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform
from zhengshu.settings import load_settings

ADMIN, OFFICER, APPROVER, ANALYST = (r.value for r in (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.APPROVER,
                                                        Role.ANALYST))
POLICE, MARKET, AUTHORITY, CITY = "130300003", "130300004", "130300002", "130300"
WRONG = "用户名或密码错误。"
VISITOR = PUBLIC.at("10.0.0.8")

# The codes users, grants and audit records refer to: they must keep meaning the same thing for ever.
STABLE_CODES = {
    "130300": "秦皇岛市",
    "130302": "海港区",
    "130303": "山海关区",
    "130304": "北戴河区",
    "130306": "抚宁区",
    "130321": "青龙满族自治县",
    "130322": "昌黎县",
    "130324": "卢龙县",
    "130300Z01": "秦皇岛经济技术开发区",
    "130300Z02": "北戴河新区",
    "130300001": "市政府办公室",
    "130300002": "市行政审批局",
    "130300003": "市公安局",
    "130300004": "市市场监管局",
    "130300005": "市人社局",
    "130300036": "秦皇岛海关",
    "130300037": "北戴河海关",
}
COUNTY_LEVEL = {"130302", "130303", "130304", "130306", "130321", "130322", "130324"}


def seed_entries() -> list[dict]:
    raw = resources.files("zhengshu.core.identity").joinpath("seed/qinhuangdao.json").read_text("utf-8")
    return json.loads(raw)["organisations"]


def user_create(username: str, *roles: str, department: str = POLICE, password: str = "Qhd-2024-Test",
                name: str = "张三") -> UserCreate:
    return UserCreate(username=username, display_name=name, organisation_code=department, roles=list(roles),
                      password=password)


def sign_in_state(platform: Platform) -> list[tuple]:
    """(failed_sign_ins, locked_until) of every user, the timestamp read back as aware UTC."""
    with platform.database.reading() as session:
        query = select(tables.users.c.failed_sign_ins, tables.users.c.locked_until)
        return [tuple(row) for row in session.execute(query)]


def actions(trail: Callable[[], list[tuple[str, str, str, str]]]) -> list[str]:
    return [record[0] for record in trail()]


# --- the city seed --------------------------------------------------------------------------------------

def test_seed_file_codes_are_unique_parents_first_and_stable() -> None:
    entries = seed_entries()
    codes = [e["code"] for e in entries]
    assert len(codes) == len(set(codes))
    seen: set[str] = set()
    for entry in entries:
        assert entry["parent"] is None or entry["parent"] in seen, entry
        seen.add(entry["code"])
    by_code = {e["code"]: e["name"] for e in entries}
    assert {code: by_code.get(code) for code in STABLE_CODES} == STABLE_CODES


def test_seed_city_builds_qinhuangdaos_tree(seeded: Platform, admin) -> None:
    roots = service.organisation_tree(seeded.uow(), admin)
    assert [(r.organisation.code, r.organisation.name, r.organisation.kind) for r in roots] == [
        ("130300", "秦皇岛市", "city")
    ]
    children = {c.organisation.code: c for c in roots[0].children}
    county_level = {code for code, c in children.items() if c.organisation.kind in ("district", "county")}
    assert county_level == COUNTY_LEVEL
    zones = {code for code, c in children.items() if c.organisation.kind == "zone"}
    assert zones == {"130300Z01", "130300Z02"}
    city_departments = {c.organisation.name: code for code, c in children.items()
                        if c.organisation.kind == "department"}
    for name in ("市公安局", "市行政审批局", "秦皇岛海关", "北戴河海关"):
        assert name in city_departments
    assert city_departments["市公安局"] == POLICE
    # every district has its own departments under it, coded below its own code
    for code in COUNTY_LEVEL:
        offices = children[code].children
        assert offices and all(o.organisation.kind == "department" for o in offices)
        assert all(o.organisation.code.startswith(code) for o in offices)


def test_seed_city_is_idempotent_and_audited_once(platform: Platform, admin, audit_trail) -> None:
    system = system_actor("测试")
    first = service.seed_city(platform.uow(), system)
    listed = service.list_organisations(platform.uow(), admin)
    second = service.seed_city(platform.uow(), system)
    assert first == second == len(seed_entries()) == len(listed)
    assert service.list_organisations(platform.uow(), admin) == listed
    assert actions(audit_trail) == ["identity.organisations_seeded"]  # nothing changed the second time
    summary = service.summary(platform.uow(), admin)
    assert (summary.divisions, summary.departments) == (10, len(listed) - 10)


def test_seed_city_restores_names_and_missing_entries_and_keeps_codes(seeded: Platform, admin, sql,
                                                                    audit_trail) -> None:
    sql("UPDATE identity_organisations SET name = '改过的名字' WHERE code = :code", code=POLICE)
    sql("DELETE FROM identity_organisations WHERE code = '130300037'")  # 北戴河海关
    service.seed_city(seeded.uow(), system_actor("测试"))
    organisations = service.list_organisations(seeded.uow(), admin)
    names = {o.code: o.name for o in organisations}
    assert {code: names[code] for code in STABLE_CODES} == STABLE_CODES
    assert len(organisations) == len(seed_entries())
    assert actions(audit_trail) == ["identity.organisations_seeded"] * 2
    [(details,)] = sql("SELECT details FROM audit_records ORDER BY seq DESC LIMIT 1")
    assert (json.loads(details)["added"], json.loads(details)["updated"]) == (1, 1)


@pytest.mark.parametrize("role", [OFFICER, ANALYST, None])
def test_only_the_platform_may_seed(platform: Platform, staff, sql, role) -> None:
    actor = staff(role) if role else staff()
    with pytest.raises(NotFound):
        service.seed_city(platform.uow(), actor)
    assert sql("SELECT count(*) FROM identity_organisations") == [(0,)]


# --- users ----------------------------------------------------------------------------------------------

def test_admin_creates_a_user(seeded: Platform, admin, sql, audit_trail) -> None:
    user = service.create_user(seeded.uow(), admin, user_create("zhangsan", OFFICER, APPROVER))
    assert (user.username, user.display_name, user.organisation_code, user.organisation_name) == (
        "zhangsan", "张三", POLICE, "市公安局")
    assert user.roles == [APPROVER, OFFICER]
    assert user.role_titles == ["部门审核人", "部门数据官"]
    assert user.active and not user.locked and user.last_sign_in_at is None
    assert [u.username for u in service.list_users(seeded.uow(), admin)] == ["zhangsan"]
    [(stored_hash,)] = sql("SELECT password_hash FROM identity_users WHERE username = 'zhangsan'")
    assert stored_hash.startswith("$argon2") and "Qhd-2024-Test" not in stored_hash
    assert audit_trail()[-1] == ("identity.user_created", admin.label, "user:zhangsan", "success")


@pytest.mark.parametrize("role", [OFFICER, APPROVER, ANALYST])
def test_only_admins_create_users_others_see_not_found(seeded: Platform, staff, sql, role) -> None:
    with pytest.raises(NotFound):
        service.create_user(seeded.uow(), staff(role), user_create("lisi", ANALYST))
    with pytest.raises(NotFound):
        service.list_users(seeded.uow(), staff(role))
    assert sql("SELECT count(*) FROM identity_users") == [(0,)]


def test_duplicate_username_is_a_conflict(seeded: Platform, admin, audit_trail) -> None:
    service.create_user(seeded.uow(), admin, user_create("zhangsan", ANALYST))
    with pytest.raises(Conflict) as caught:
        service.create_user(seeded.uow(), admin, user_create(" zhangsan ", ADMIN, department=AUTHORITY))
    assert caught.value.field == "username"
    assert "zhangsan" in caught.value.message
    assert actions(audit_trail).count("identity.user_created") == 1
    [user] = service.list_users(seeded.uow(), admin)
    assert user.roles == [ANALYST]  # the first one is untouched


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (user_create("wangwu", ANALYST, department="999999999"), "organisation_code"),
        (user_create("wangwu", ANALYST, password="short1A"), "password"),
        (user_create("wangwu", ANALYST, password="alllowercaseletters"), "password"),
        (user_create("WangWu", ANALYST), "username"),
        (user_create("9wangwu", ANALYST), "username"),
        (user_create("wangwu", OFFICER, department=CITY), "roles"),
        (user_create("wangwu", "system"), "roles"),
        (user_create("wangwu", ANALYST, name="   "), "display_name"),
    ],
    ids=["unknown-department", "short-password", "weak-password", "upper-case-name", "digit-first",
         "officer-in-city", "system-role", "blank-name"],
)
def test_bad_user_input_names_the_field_and_writes_nothing(seeded: Platform, admin, sql, audit_trail,
                                                          data: UserCreate, field: str) -> None:
    before = audit_trail()
    with pytest.raises(InvalidInput) as caught:
        service.create_user(seeded.uow(), admin, data)
    assert caught.value.field == field
    assert caught.value.message
    assert sql("SELECT count(*) FROM identity_users") == [(0,)]
    assert audit_trail() == before


def test_demo_accounts_get_fresh_passwords_and_lose_their_sessions(seeded: Platform, audit_trail) -> None:
    system = system_actor("测试")
    first = {a.username: a for a in service.reset_demo_accounts(seeded.uow(), system)}
    assert set(first) == {"admin", "gongan", "shichang", "renshe", "fenxi", "ducha"}
    signed = service.sign_in(seeded.uow(), VISITOR, "gongan", first["gongan"].password, seeded.settings)
    assert signed.actor.department_code == POLICE and signed.actor.roles == {OFFICER}
    assert service.actor_for_session(seeded.uow(), signed.user_id, signed.epoch) is not None

    second = {a.username: a for a in service.reset_demo_accounts(seeded.uow(), system)}
    assert second["gongan"].password != first["gongan"].password
    assert service.actor_for_session(seeded.uow(), signed.user_id, signed.epoch) is None  # session ended
    with pytest.raises(NotAuthenticated):
        service.sign_in(seeded.uow(), VISITOR, "gongan", first["gongan"].password, seeded.settings)
    service.sign_in(seeded.uow(), VISITOR, "gongan", second["gongan"].password, seeded.settings)
    assert actions(audit_trail).count("identity.password_reset") == 6


# --- sign-in --------------------------------------------------------------------------------------------

def test_sign_in_succeeds_with_the_right_password(seeded: Platform, new_user, password, audit_trail) -> None:
    user = new_user("zhangsan", OFFICER, name="张三")
    signed = service.sign_in(seeded.uow(), VISITOR, "zhangsan", password, seeded.settings)
    assert signed.user_id == user.id
    assert (signed.actor.kind, signed.actor.id, signed.actor.name) == (ActorKind.USER, "zhangsan", "张三")
    assert signed.actor.department_code == POLICE and signed.actor.roles == {OFFICER}
    assert signed.actor.client_address == "10.0.0.8"
    session_actor = service.actor_for_session(seeded.uow(), signed.user_id, signed.epoch)
    assert session_actor is not None and session_actor.id == "zhangsan" and session_actor.roles == {OFFICER}
    assert service.actor_for_session(seeded.uow(), signed.user_id, signed.epoch + 1) is None
    [view] = service.list_users(seeded.uow(), system_actor())
    assert view.last_sign_in_at is not None
    assert abs(view.last_sign_in_at - clock.now()) < timedelta(minutes=1)
    assert audit_trail()[-1] == ("identity.user_signed_in", "user:zhangsan", "user:zhangsan", "success")


def test_wrong_password_and_unknown_user_are_told_the_same(seeded: Platform, new_user, sql,
                                                            audit_trail) -> None:
    new_user("zhangsan", ANALYST, department=CITY)
    messages = []
    for username, password in (("zhangsan", "Wrong-Password-1"), ("nobody", "Wrong-Password-1")):
        with pytest.raises(NotAuthenticated) as caught:
            service.sign_in(seeded.uow(), VISITOR, username, password, seeded.settings)
        assert type(caught.value) is NotAuthenticated
        messages.append(caught.value.message)
    assert messages == [WRONG, WRONG]
    assert sql("SELECT failed_sign_ins FROM identity_users") == [(1,)]
    assert audit_trail()[-2:] == [
        ("identity.sign_in_failed", VISITOR.label, "user:zhangsan", "failure"),
        ("identity.sign_in_failed", VISITOR.label, "user:nobody", "failure"),
    ]


def test_a_deactivated_user_cannot_sign_in_nor_keep_a_session(seeded: Platform, new_user, password,
                                                              sql) -> None:
    new_user("zhangsan", ANALYST)
    signed = service.sign_in(seeded.uow(), VISITOR, "zhangsan", password, seeded.settings)
    sql("UPDATE identity_users SET active = false")
    with pytest.raises(NotAuthenticated) as caught:
        service.sign_in(seeded.uow(), VISITOR, "zhangsan", password, seeded.settings)
    assert caught.value.message == WRONG
    assert service.actor_for_session(seeded.uow(), signed.user_id, signed.epoch) is None


def test_lock_out_after_max_failures(seeded: Platform, new_user, password, sql, audit_trail,
                                     tmp_path) -> None:
    settings = load_settings(data_dir=tmp_path / "var", database_url=seeded.settings.database_url,
                             login_max_failures=3, login_lockout_seconds=1)
    new_user("zhangsan", ANALYST)

    def attempt(secret: str):
        return service.sign_in(seeded.uow(), VISITOR, "zhangsan", secret, settings)

    for _ in range(2):
        with pytest.raises(NotAuthenticated) as caught:
            attempt("Wrong-Password-1")
        assert type(caught.value) is NotAuthenticated
    assert sign_in_state(seeded) == [(2, None)]

    before = clock.now()
    with pytest.raises(AccountLocked) as caught:
        attempt("Wrong-Password-1")
    assert "锁定" in caught.value.message
    [(failures, locked_until)] = sign_in_state(seeded)
    assert failures == 0
    assert before < locked_until <= clock.now() + timedelta(seconds=1)
    [view] = service.list_users(seeded.uow(), system_actor())
    assert view.locked

    with pytest.raises(AccountLocked):  # the right password does not open a locked account
        attempt(password)
    assert "identity.account_locked_out" in actions(audit_trail)
    assert "identity.user_signed_in" not in actions(audit_trail)

    with seeded.database.engine.begin() as connection:  # let the lock run out
        connection.execute(tables.users.update().values(locked_until=clock.now() - timedelta(seconds=1)))
    signed = attempt(password)  # the lock has run out
    assert signed.actor.id == "zhangsan"
    assert sign_in_state(seeded) == [(0, None)]


def test_success_resets_the_failure_count(seeded: Platform, new_user, password, tmp_path) -> None:
    settings = load_settings(data_dir=tmp_path / "var", database_url=seeded.settings.database_url,
                             login_max_failures=2)
    new_user("zhangsan", ANALYST)
    for secret in ("Wrong-Password-1", password, "Wrong-Password-1"):
        try:
            service.sign_in(seeded.uow(), VISITOR, "zhangsan", secret, settings)
        except AccountLocked:  # pragma: no cover - the assertion below says what went wrong
            pytest.fail("locked although a success came between the failures")
        except NotAuthenticated:
            pass
    assert sign_in_state(seeded) == [(1, None)]


def test_concurrent_failures_are_all_counted(seeded: Platform, new_user, audit_trail, tmp_path) -> None:
    """Failures arriving together (several workers) are counted one by one: none is lost."""
    settings = load_settings(data_dir=tmp_path / "var", database_url=seeded.settings.database_url,
                             login_max_failures=10)
    new_user("zhangsan", ANALYST)

    def attempt(_: int) -> str:
        try:
            service.sign_in(seeded.uow(), VISITOR, "zhangsan", "Wrong-Password-1", settings)
        except NotAuthenticated as exc:
            return exc.message
        return "signed in"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = list(pool.map(attempt, range(4)))
    assert outcomes == [WRONG] * 4
    assert sign_in_state(seeded) == [(4, None)]
    assert actions(audit_trail).count("identity.sign_in_failed") == 4


def test_a_failed_sign_in_is_counted_and_audited_together_or_not_at_all(seeded: Platform, new_user,
                                                                         audit_trail) -> None:
    new_user("zhangsan", ANALYST)
    before = audit_trail()

    class AuditUnavailable(RuntimeError):
        pass

    def refuse(_session, _event) -> None:
        raise AuditUnavailable("审计写入失败")

    seeded.bus.subscribe(SignInFailed, refuse)  # a handler failing inside the transaction
    with pytest.raises(AuditUnavailable):
        service.sign_in(seeded.uow(), VISITOR, "zhangsan", "Wrong-Password-1", seeded.settings)
    assert sign_in_state(seeded) == [(0, None)]
    assert audit_trail() == before


def test_sign_out_ends_the_session_and_is_audited(seeded: Platform, new_user, password, audit_trail) -> None:
    new_user("zhangsan", ANALYST)
    new_user("lisi", ANALYST)
    signed = service.sign_in(seeded.uow(), VISITOR, "zhangsan", password, seeded.settings)
    other = service.sign_in(seeded.uow(), VISITOR, "lisi", password, seeded.settings)
    service.sign_out(seeded.uow(), signed.actor)
    assert audit_trail()[-1] == ("identity.user_signed_out", "user:zhangsan", "user:zhangsan", "success")
    # the session cookie is client-side: a copy kept from before must not work afterwards
    assert service.actor_for_session(seeded.uow(), signed.user_id, signed.epoch) is None
    assert service.actor_for_session(seeded.uow(), other.user_id, other.epoch) is not None  # others stay
    again = service.sign_in(seeded.uow(), VISITOR, "zhangsan", password, seeded.settings)
    assert service.actor_for_session(seeded.uow(), again.user_id, again.epoch) is not None


# --- API clients and tokens -----------------------------------------------------------------------------

def make_client(platform: Platform, actor, department: str = POLICE, name: str = "公安人口系统"):
    return service.create_client(platform.uow(), actor, ClientCreate(name=name, organisation_code=department))


def test_data_officer_registers_a_client_for_their_department(seeded: Platform, staff, sql,
                                                              audit_trail) -> None:
    officer = staff(OFFICER, department=POLICE)
    created = make_client(seeded, officer)
    client = created.client
    assert client.client_key.startswith("zs_") and client.organisation_code == POLICE
    assert (client.name, client.organisation_name, client.active) == ("公安人口系统", "市公安局", True)
    assert len(created.client_secret) >= 32
    [(stored,)] = sql("SELECT secret_hash FROM identity_api_clients")
    assert stored.startswith("$argon2") and created.client_secret not in stored
    assert audit_trail()[-1] == ("identity.api_client_created", officer.label, f"client:{client.client_key}",
                                 "success")
    assert [c.client_key for c in service.list_clients(seeded.uow(), officer)] == [client.client_key]


def test_data_officers_see_only_their_own_departments_clients(seeded: Platform, staff, admin) -> None:
    police, market = staff(OFFICER, department=POLICE), staff(OFFICER, department=MARKET)
    make_client(seeded, police)
    make_client(seeded, market, department=MARKET, name="市场主体系统")
    assert [c.organisation_code for c in service.list_clients(seeded.uow(), police)] == [POLICE]
    assert [c.organisation_code for c in service.list_clients(seeded.uow(), market)] == [MARKET]
    assert {c.organisation_code for c in service.list_clients(seeded.uow(), admin)} == {POLICE, MARKET}


@pytest.mark.parametrize(("role", "department"), [(OFFICER, MARKET), (OFFICER, "999999999"),
                                                  (ANALYST, POLICE), (APPROVER, POLICE)])
def test_others_may_not_register_clients(seeded: Platform, staff, sql, role, department) -> None:
    with pytest.raises(NotFound):
        make_client(seeded, staff(role, department=POLICE), department=department)
    assert sql("SELECT count(*) FROM identity_api_clients") == [(0,)]


@pytest.mark.parametrize("department", [CITY, "130302", "999999999"])
def test_clients_belong_to_a_department(seeded: Platform, admin, department) -> None:
    with pytest.raises(InvalidInput) as caught:
        make_client(seeded, admin, department=department)
    assert caught.value.field == "organisation_code"


def test_blank_client_name_is_refused(seeded: Platform, admin) -> None:
    with pytest.raises(InvalidInput) as caught:
        make_client(seeded, admin, name="   ")
    assert caught.value.field == "name"


def signer_of(platform: Platform, ttl: int | None = None) -> TokenSigner:
    return TokenSigner(platform.secret_key, platform.settings.token_ttl_seconds if ttl is None else ttl)


def test_token_for_the_right_secret_speaks_for_the_client(seeded: Platform, admin, audit_trail) -> None:
    created = make_client(seeded, admin)
    key = created.client.client_key
    signer = signer_of(seeded)
    issued = service.issue_token(seeded.uow(), VISITOR, TokenRequest(client_key=key,
                                                                      client_secret=created.client_secret),
                                 signer)
    assert issued.token_type == "bearer" and issued.expires_in == seeded.settings.token_ttl_seconds == 900
    actor = service.actor_for_token(seeded.uow(), issued.access_token, signer)
    assert (actor.kind, actor.id, actor.name) == (ActorKind.CLIENT, key, "公安人口系统")
    assert actor.department_code == POLICE
    assert actor.roles == frozenset()
    assert audit_trail()[-1] == ("identity.token_issued", f"client:{key}", f"client:{key}", "success")
    [listed] = service.list_clients(seeded.uow(), admin)
    assert listed.last_token_at is not None


def test_token_refused_for_bad_credentials(seeded: Platform, admin, sql, audit_trail) -> None:
    created, other = make_client(seeded, admin), make_client(seeded, admin, name="另一个系统")
    key, secret = created.client.client_key, created.client_secret
    unknown = "zs_" + "0" * 20
    attempts = {
        "wrong secret": (key, secret[:-1] + ("A" if secret[-1] != "A" else "B")),
        "unknown key": (unknown, secret),
        "another client's secret": (key, other.client_secret),
    }
    for why, (client_key, client_secret) in attempts.items():
        with pytest.raises(NotAuthenticated) as caught:
            service.issue_token(seeded.uow(), VISITOR, TokenRequest(client_key=client_key,
                                                                    client_secret=client_secret),
                                signer_of(seeded))
        assert caught.value.message == "接入系统标识或密钥错误。", why
        assert audit_trail()[-1] == ("identity.token_refused", VISITOR.label, f"client:{client_key}",
                                     "failure"), why
    assert sql("SELECT last_token_at FROM identity_api_clients") == [(None,), (None,)]


def issue(platform: Platform, created, signer: TokenSigner | None = None) -> str:
    request = TokenRequest(client_key=created.client.client_key, client_secret=created.client_secret)
    return service.issue_token(platform.uow(), VISITOR, request, signer or signer_of(platform)).access_token


def test_forged_tokens_are_refused(seeded: Platform, admin) -> None:
    created = make_client(seeded, admin)
    token = signer_of(seeded).issue(created.client.client_key)  # as issue_token does (tested above)
    signer = signer_of(seeded)
    tampered = [token[:i] + ("A" if token[i] != "A" else "B") + token[i + 1:]
                for i in (0, len(token) // 2, len(token) - 2)]  # (the last one holds padding bits)
    foreign = TokenSigner("another-platform-secret-" + "x" * 24, 900).issue(created.client.client_key)
    unknown = signer.issue("zs_" + "0" * 20)  # well signed, but no such client
    for bad in [*tampered, foreign, unknown, "", "not-a-token", token + "x"]:
        with pytest.raises(NotAuthenticated):
            service.actor_for_token(seeded.uow(), bad, signer)
    assert service.actor_for_token(seeded.uow(), token, signer).id == created.client.client_key


def test_expired_tokens_are_refused(seeded: Platform, admin) -> None:
    created = make_client(seeded, admin)
    token = signer_of(seeded).issue(created.client.client_key)  # as issue_token does (tested above)
    issued_second = int(time.time())
    while int(time.time()) <= issued_second:  # tokens carry whole seconds
        time.sleep(0.02)
    with pytest.raises(NotAuthenticated) as caught:
        service.actor_for_token(seeded.uow(), token, signer_of(seeded, ttl=0))
    assert "过期" in caught.value.message
    assert service.actor_for_token(seeded.uow(), token, signer_of(seeded)).id == created.client.client_key


def test_a_deactivated_client_loses_its_tokens(seeded: Platform, admin, sql) -> None:
    created = make_client(seeded, admin)
    token = signer_of(seeded).issue(created.client.client_key)  # as issue_token does (tested above)
    sql("UPDATE identity_api_clients SET active = false")
    with pytest.raises(NotAuthenticated):
        service.actor_for_token(seeded.uow(), token, signer_of(seeded))
    with pytest.raises(NotAuthenticated):
        issue(seeded, created)
