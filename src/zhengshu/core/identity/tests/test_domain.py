"""Identity rules without I/O: usernames, password strength, roles, and the sign-in lock-out arithmetic."""

from __future__ import annotations

import string
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengshu.core.identity.domain import (
    MIN_PASSWORD_LENGTH,
    Organisation,
    OrganisationKind,
    SignInState,
    check_name,
    check_password,
    check_roles,
    check_username,
)
from zhengshu.kernel.errors import InvalidInput

CITY = Organisation("130300", "秦皇岛市", "河北省秦皇岛市", OrganisationKind.CITY, None)
DISTRICT = Organisation("130302", "海港区", "秦皇岛市海港区", OrganisationKind.DISTRICT, "130300")
ZONE = Organisation("130300Z01", "秦皇岛经济技术开发区", "秦皇岛经济技术开发区", OrganisationKind.ZONE,
                    "130300")
POLICE = Organisation("130300003", "市公安局", "秦皇岛市公安局", OrganisationKind.DEPARTMENT, "130300")
T0 = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)
LOCKOUT = timedelta(minutes=15)


# --- usernames ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["abc", "zhangsan", "li.si", "wang_wu-2", "a" * 32, "x12"])
def test_username_rule_accepts_lowercase_names_starting_with_a_letter(username: str) -> None:
    assert check_username(username) == username


@pytest.mark.parametrize(
    "username",
    ["", "ab", "a" * 33, "Zhangsan", "1abc", "_abc", ".abc", "zhang san", "张三", "abc\n", "abc@x", "ab/c"],
)
def test_username_rule_refuses_others_naming_the_field(username: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_username(username)
    assert caught.value.field == "username"
    assert "用户名" in caught.value.message


@given(st.text(alphabet=string.ascii_lowercase + string.digits + "_.-", max_size=40))
def test_username_rule_is_length_and_first_letter(username: str) -> None:
    expected = 3 <= len(username) <= 32 and username[0] in string.ascii_lowercase
    try:
        check_username(username)
        accepted = True
    except InvalidInput:
        accepted = False
    assert accepted == expected


# --- passwords ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "password",
    [
        "Abcdefgh12",  # lower, upper, digit; exactly the minimum length
        "abcdefgh1!",  # lower, digit, symbol
        "ABCDEFGH1!",  # upper, digit, symbol
        "Abcdefghi!",  # lower, upper, symbol
        "correct Horse battery 9",
        "Zs-" + "x" * 7 + "9a",
    ],
)
def test_password_rule_accepts_ten_characters_of_three_classes(password: str) -> None:
    assert check_password(password) == password


@pytest.mark.parametrize(
    "password",
    [
        "",
        "abcdefghij",  # one class
        "abcdefgh12",  # two classes
        "ABCDEFGHIJKLMNOP",  # one class, long
        "1234567890!!",  # two classes
        "Abc123!",  # four classes but too short
        "Abcdef12!",  # nine characters
        "密码密码密码密码密码",  # letters of no listed class
    ],
)
def test_password_rule_refuses_weak_passwords_naming_the_field(password: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_password(password)
    assert caught.value.field == "password"
    assert "10" in caught.value.message


def test_password_minimum_is_ten() -> None:
    assert MIN_PASSWORD_LENGTH == 10
    with pytest.raises(InvalidInput):
        check_password("Ab1!" + "x" * 5)
    assert check_password("Ab1!" + "x" * 6)


# --- names ---------------------------------------------------------------------------------------------

def test_names_are_trimmed() -> None:
    assert check_name("  张三 ", field="display_name", title="姓名") == "张三"


@pytest.mark.parametrize("blank", ["", " ", "\t\n", "\u3000"])  # \u3000: the full-width space
def test_blank_names_are_refused_naming_the_field(blank: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_name(blank, field="display_name", title="姓名")
    assert caught.value.field == "display_name"
    assert "姓名" in caught.value.message


# --- roles ----------------------------------------------------------------------------------------------

def test_roles_are_deduplicated_and_sorted() -> None:
    assert check_roles(["approver", "data_officer", "approver"], POLICE) == ("approver", "data_officer")


@pytest.mark.parametrize("organisation", [CITY, DISTRICT, ZONE, POLICE])
def test_city_wide_roles_may_belong_to_any_organisation(organisation: Organisation) -> None:
    assert check_roles(["platform_admin", "analyst"], organisation) == ("analyst", "platform_admin")


@pytest.mark.parametrize("role", ["data_officer", "approver"])
@pytest.mark.parametrize("organisation", [CITY, DISTRICT, ZONE])
def test_department_roles_need_a_department(role: str, organisation: Organisation) -> None:
    with pytest.raises(InvalidInput) as caught:
        check_roles([role], organisation)
    assert caught.value.field == "roles"
    with pytest.raises(InvalidInput):  # mixed with a city-wide role, still refused
        check_roles(["analyst", role], organisation)


@pytest.mark.parametrize("role", ["data_officer", "approver"])
def test_department_roles_in_a_department(role: str) -> None:
    assert check_roles([role], POLICE) == (role,)


def test_no_roles_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_roles([], POLICE)
    assert caught.value.field == "roles"


@pytest.mark.parametrize("role", ["system", "root", "PLATFORM_ADMIN", ""])
def test_unknown_roles_are_refused_and_named(role: str) -> None:
    """`system` is the platform's own role: no person may be given it."""
    with pytest.raises(InvalidInput) as caught:
        check_roles(["analyst", role], CITY)
    assert caught.value.field == "roles"
    assert role in caught.value.message


# --- sign-in lock-out -----------------------------------------------------------------------------------

def test_failures_count_up_until_the_limit_then_lock() -> None:
    state = SignInState(failures=0, locked_until=None)
    for expected in range(1, 5):
        state = state.after_failure(T0, max_failures=5, lockout=LOCKOUT)
        assert state == SignInState(failures=expected, locked_until=None)
        assert not state.is_locked(T0)
    state = state.after_failure(T0, max_failures=5, lockout=LOCKOUT)
    assert state.locked_until == T0 + LOCKOUT
    assert state.failures == 0  # the count starts afresh once the lock ends
    assert state.is_locked(T0)


def test_lock_lasts_exactly_the_lockout() -> None:
    state = SignInState(failures=0, locked_until=T0 + LOCKOUT)
    assert state.is_locked(T0 + LOCKOUT - timedelta(microseconds=1))
    assert not state.is_locked(T0 + LOCKOUT)
    assert not state.is_locked(T0 + LOCKOUT + timedelta(seconds=1))


def test_a_limit_of_one_locks_on_the_first_failure() -> None:
    state = SignInState(0, None).after_failure(T0, max_failures=1, lockout=timedelta(seconds=1))
    assert state.is_locked(T0)
    assert not state.is_locked(T0 + timedelta(seconds=1))


def test_success_clears_failures_and_lock() -> None:
    assert SignInState.after_success() == SignInState(failures=0, locked_until=None)
    assert not SignInState.after_success().is_locked(T0)


def test_never_locked_is_not_locked() -> None:
    assert not SignInState(failures=3, locked_until=None).is_locked(T0)


@given(st.integers(min_value=1, max_value=20), st.integers(min_value=0, max_value=40))
def test_locks_exactly_once_every_max_failures(max_failures: int, attempts: int) -> None:
    state = SignInState(0, None)
    locks = 0
    for _ in range(attempts):
        state = state.after_failure(T0, max_failures, LOCKOUT)
        if state.locked_until is not None:
            locks += 1
            state = SignInState(state.failures, None)  # the lock has run out
        assert 0 <= state.failures < max_failures
    assert locks == attempts // max_failures
    assert state.failures == attempts % max_failures
