"""Identity rules, pure Python: organisation kinds, usernames, password strength, sign-in lock-out, citizens."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.identifiers import is_valid_id_number
from zhengshu.kernel.permissions import Role


class OrganisationKind(StrEnum):
    CITY = "city"  # 市
    DISTRICT = "district"  # 区
    COUNTY = "county"  # 县
    ZONE = "zone"  # 功能区 (开发区、新区)
    DEPARTMENT = "department"  # 部门

    @property
    def title(self) -> str:
        return {"city": "市", "district": "区", "county": "县", "zone": "功能区", "department": "部门"}[self]


@dataclass(frozen=True)
class Organisation:
    """A node of the administrative tree (行政区划与部门)."""

    code: str
    name: str
    full_name: str
    kind: OrganisationKind
    parent_code: str | None


USERNAME = re.compile(r"^[a-z][a-z0-9_.-]{2,31}$")
MIN_PASSWORD_LENGTH = 10


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise InvalidInput("用户名须为 3–32 位小写字母、数字或 _ . -，并以字母开头。", field="username")
    return username


def check_password(password: str) -> str:
    """A password of at least 10 characters drawing on three of: lower case, upper case, digits, symbols."""
    classes = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c.isdigit() for c in password),
        any(not c.isalnum() for c in password),
    ]
    if len(password) < MIN_PASSWORD_LENGTH or sum(classes) < 3:
        raise InvalidInput(
            "密码至少 10 位，并包含小写字母、大写字母、数字、符号中的至少三类。", field="password"
        )
    return password


def check_name(value: str, *, field: str, title: str) -> str:
    """A name people read (姓名, 系统名称): surrounding spaces dropped, and not blank."""
    name = value.strip()
    if not name:
        raise InvalidInput(f"{title}不能为空。", field=field)
    return name


def check_roles(roles: list[str], organisation: Organisation) -> tuple[str, ...]:
    """Roles must be known staff roles; department roles need a department to belong to."""
    known = {r.value: r for r in Role if r.assignable}
    if not roles:
        raise InvalidInput("至少选择一个角色。", field="roles")
    unknown = [r for r in roles if r not in known]
    if unknown:
        raise InvalidInput(f"未知角色：{'、'.join(unknown)}", field="roles")
    scoped = any(known[r].department_scoped for r in roles)
    if scoped and organisation.kind is not OrganisationKind.DEPARTMENT:
        raise InvalidInput("部门数据官、部门审核人只能属于某个部门。", field="roles")
    return tuple(sorted(set(roles)))


@dataclass(frozen=True)
class SignInState:
    """How a user's recent sign-ins went: failures in a row, and until when the account is locked."""

    failures: int
    locked_until: datetime | None

    def is_locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: datetime, max_failures: int, lockout: timedelta) -> SignInState:
        failures = self.failures + 1
        if failures >= max_failures:
            return SignInState(failures=0, locked_until=now + lockout)
        return SignInState(failures=failures, locked_until=None)

    @staticmethod
    def after_success() -> SignInState:
        return SignInState(failures=0, locked_until=None)


# --- citizens (公众) -------------------------------------------------------------------------------------------

def check_citizen_id(value: str) -> str:
    """A citizen's 18-digit ID number (GB 11643, check character included), upper-case X."""
    number = value.strip().upper()
    if not is_valid_id_number(number):
        raise InvalidInput("请输入有效的 18 位公民身份号码（校验位须正确）。", field="id_number")
    return number


def citizen_name(id_number: str) -> str:
    """How pages greet a citizen: by the last four characters of their number only."""
    return f"公众（证件尾号 {id_number[-4:]}）"


def citizen_actor(subject: str, name: str, *, client_address: str | None = None) -> Actor:
    """A citizen signed in as themselves, named in logs by their subject hash."""
    return Actor(kind=ActorKind.CITIZEN, id=subject, name=name, roles=frozenset({Role.CITIZEN.value}),
                 client_address=client_address)
