"""The permission chokepoint: deny by default, department roles only in their department, admins everywhere
their permission names them, and a refusal that looks like absence."""

from __future__ import annotations

import pytest

from zhengshu.core.identity import access
from zhengshu.core.identity import permissions as perms
from zhengshu.kernel.actor import PUBLIC, Actor, ActorKind, system_actor
from zhengshu.kernel.errors import NotFound
from zhengshu.kernel.permissions import Permission, Role

POLICE, MARKET = "130300003", "130300004"
EVERY_PERMISSION = perms.ALL


def person(*roles: str, department: str | None = POLICE) -> Actor:
    return Actor(kind=ActorKind.USER, id="u", name="测试", department_code=department, roles=frozenset(roles))


@pytest.mark.parametrize("actor", [person(), PUBLIC, person("root", "admin", "PLATFORM_ADMIN")],
                         ids=["no-roles", "public", "unknown-roles"])
@pytest.mark.parametrize("permission", EVERY_PERMISSION, ids=lambda p: p.name)
def test_deny_by_default(actor: Actor, permission: Permission) -> None:
    assert not access.can(actor, permission)
    assert not access.can(actor, permission, department=actor.department_code)
    with pytest.raises(NotFound) as caught:
        access.require(actor, permission)
    assert caught.value.code == "not_found"  # never "forbidden": a refusal does not confirm existence


def test_api_client_without_roles_holds_nothing() -> None:
    client = Actor(kind=ActorKind.CLIENT, id="zs_abc", name="公安系统", department_code=POLICE)
    for permission in EVERY_PERMISSION:
        assert not access.can(client, permission, department=POLICE)


def test_a_permission_naming_no_role_is_held_by_nobody() -> None:
    nobody = Permission("test.nothing", "无人可用")
    for role in Role:
        assert not access.can(person(role.value), nobody)
    assert not access.can(system_actor(), nobody)


def test_data_officer_manages_clients_only_in_their_department() -> None:
    officer = person(Role.DATA_OFFICER.value, department=POLICE)
    assert access.can(officer, perms.MANAGE_CLIENTS, department=POLICE)
    assert not access.can(officer, perms.MANAGE_CLIENTS, department=MARKET)
    with pytest.raises(NotFound):
        access.require(officer, perms.MANAGE_CLIENTS, department=MARKET)
    access.require(officer, perms.MANAGE_CLIENTS, department=POLICE)


def test_department_role_without_a_department_holds_nothing_in_any_department() -> None:
    officer = person(Role.DATA_OFFICER.value, department=None)
    assert not access.can(officer, perms.MANAGE_CLIENTS, department=POLICE)


def test_approver_is_department_scoped_too() -> None:
    review = Permission("test.review", "审核", (Role.APPROVER,))
    approver = person(Role.APPROVER.value, department=MARKET)
    assert access.can(approver, review, department=MARKET)
    assert not access.can(approver, review, department=POLICE)


def test_data_officer_may_not_manage_users_or_organisations() -> None:
    officer = person(Role.DATA_OFFICER.value)
    for permission in (perms.MANAGE_USERS, perms.MANAGE_ORGANISATIONS):
        assert not access.can(officer, permission)
        assert not access.can(officer, permission, department=POLICE)


@pytest.mark.parametrize("department", [None, POLICE, MARKET, "130302001", "anything"])
def test_platform_admin_everywhere_the_permission_names_them(department: str | None) -> None:
    admin = person(Role.PLATFORM_ADMIN.value, department="130300002")
    for permission in EVERY_PERMISSION:
        assert access.can(admin, permission, department=department)
    officers_only = Permission("test.officers", "仅数据官", (Role.DATA_OFFICER,))
    assert not access.can(admin, officers_only, department=department)


def test_city_wide_roles_are_not_bound_to_their_department() -> None:
    analyst = person(Role.ANALYST.value, department="130300001")
    assert access.can(analyst, perms.VIEW_ORGANISATIONS, department=MARKET)


def test_mixed_roles_any_role_that_holds_it_suffices() -> None:
    both = Permission("test.both", "二者", (Role.DATA_OFFICER, Role.ANALYST))
    officer_analyst = person(Role.DATA_OFFICER.value, Role.ANALYST.value, department=POLICE)
    assert access.can(officer_analyst, both, department=MARKET)  # through analyst
    officer_only = Permission("test.officer", "数据官", (Role.DATA_OFFICER,))
    assert not access.can(officer_analyst, officer_only, department=MARKET)  # analyst doesn't hold this one


def test_the_platform_itself_holds_what_names_the_system_role() -> None:
    system = system_actor()
    assert access.can(system, perms.MANAGE_USERS)
    assert access.can(system, perms.MANAGE_ORGANISATIONS)
    assert access.can(system, perms.MANAGE_CLIENTS, department=POLICE)


def test_roles_of_ignores_unknown_names() -> None:
    assert access.roles_of(person("analyst", "nonsense")) == frozenset({Role.ANALYST})


def test_a_refusal_is_the_one_answer_with_no_field_and_no_details() -> None:
    with pytest.raises(NotFound) as caught:
        access.require(person(), perms.MANAGE_USERS)
    refused = caught.value
    assert (refused.message, refused.field, refused.details) == ("未找到，或您无权访问。", None, {})
    assert (access.hidden().message, access.hidden().details) == (refused.message, {})
    assert access.hidden(reason="no_active_grant").details == {"reason": "no_active_grant"}


def test_an_api_client_holds_the_client_role_by_what_it_is_and_nobody_else_does() -> None:
    client = Actor(kind=ActorKind.CLIENT, id="zs_abc", name="公安系统", department_code=POLICE)
    use = Permission("test.use", "凭授权读取", (Role.CLIENT,))
    assert access.roles_of(client) == frozenset({Role.CLIENT}) and access.can(client, use)
    assert not access.can(person(Role.CLIENT.value, Role.PLATFORM_ADMIN.value), use)  # a name in a list is not it
    assert not Role.CLIENT.assignable


def test_city_wide_is_a_role_not_bound_to_one_department() -> None:
    assert access.city_wide(person(Role.PLATFORM_ADMIN.value), perms.MANAGE_CLIENTS)
    assert not access.city_wide(person(Role.DATA_OFFICER.value), perms.MANAGE_CLIENTS)  # holds it, in one department
    assert not access.city_wide(person(Role.ANALYST.value), perms.MANAGE_CLIENTS)  # does not hold it


def test_a_public_mark_keeps_the_function_and_says_why() -> None:
    def opening_hours() -> str:
        return "9:00"

    marked = access.public("everyone may know")(opening_hours)
    assert marked is opening_hours and marked() == "9:00" and marked.__access_public__ == "everyone may know"
    for reason in ("", "   "):
        with pytest.raises(ValueError, match="say why"):
            access.public(reason)
