"""Fixtures of the identity tests: a platform with the city seeded, users to act as, the audit trail read
back with SQL, and a browser-like client on the real application."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator

import pytest
from fastapi.testclient import TestClient

from zhengshu.app import create_app
from zhengshu.core.identity import credentials, repository, service
from zhengshu.core.identity.schemas import UserView
from zhengshu.kernel.actor import Actor, ActorKind, system_actor
from zhengshu.modules import Platform

PASSWORD = "Qhd-2024-Test"  # meets the password rule
POLICE = "130300003"  # 市公安局
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def seeded(platform: Platform) -> Platform:
    """The platform with Qinhuangdao's administrative tree and departments written."""
    service.seed_city(platform.uow(), system_actor("测试"))
    return platform


@pytest.fixture
def staff() -> Callable[..., Actor]:
    """A person with the given roles in a department (default 市公安局), as the services see them."""

    def make(*roles: str, department: str | None = POLICE, username: str = "tester") -> Actor:
        return Actor(kind=ActorKind.USER, id=username, name="测试人员", department_code=department,
                     roles=frozenset(roles), client_address="127.0.0.1")

    return make


@functools.cache
def _password_hash(password: str) -> str:
    return credentials.hash_secret(password)  # argon2 is slow on purpose: hash each test password once


@pytest.fixture
def new_user(seeded: Platform) -> Callable[..., UserView]:
    """Add a user for a test to act as (`create_user` itself is tested on its own; this skips its argon2
    hashing by reusing one hash of the password per test session)."""

    def make(username: str, *roles: str, department: str = POLICE, name: str | None = None,
             password: str = PASSWORD) -> UserView:
        with seeded.uow() as uow:
            repository.add_user(uow.session, username=username, display_name=name or f"{username}测试",
                                organisation_code=department, roles=tuple(sorted(roles)),
                                password_hash=_password_hash(password))
            uow.commit()
        [user] = [u for u in service.list_users(seeded.uow(), system_actor()) if u.username == username]
        return user

    return make


@pytest.fixture
def web(seeded: Platform) -> Iterator[TestClient]:
    """A browser-like client on the real application (cookies kept; redirects not followed)."""
    with TestClient(create_app(seeded), follow_redirects=False) as client:
        yield client


@pytest.fixture
def csrf_of() -> Callable[[str], str]:
    """The CSRF token in a page's form."""

    def find(html: str) -> str:
        match = CSRF_FIELD.search(html)
        assert match, "the page has no CSRF field"
        return match.group(1)

    return find


@pytest.fixture
def sign_in(web: TestClient, csrf_of: Callable[[str], str]) -> Callable[..., None]:
    """Sign in through the login form, as a browser does."""

    def do(username: str, password: str = PASSWORD) -> None:
        token = csrf_of(web.get("/login").text)
        response = web.post("/login", data={"username": username, "password": password,
                                            "csrf_token": token, "next": "/"})
        assert response.status_code == 303, response.text

    return do
