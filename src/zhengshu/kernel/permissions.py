"""Roles and permissions: the vocabulary that `core.identity.access` checks, deny by default.

A permission names the roles that hold it. Department roles (数据官, 审核人) hold a permission only inside
their own department when the check names one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"  # 平台管理员 (大数据主管部门)
    DATA_OFFICER = "data_officer"  # 部门数据官
    APPROVER = "approver"  # 部门审核人
    ANALYST = "analyst"  # 分析员 (领导、分析人员)
    SUPERVISOR = "supervisor"  # 督查员 (市政府督查室: supervises every department's plan tasks)
    SYSTEM = "system"  # the platform itself
    CITIZEN = "citizen"  # 公众（实名）: a person signed in as themselves, never assigned to staff
    CLIENT = "client"  # 接入系统: a department's system calling with its key; held by every client, never assigned

    @property
    def title(self) -> str:
        return ROLE_TITLES[self]

    @property
    def assignable(self) -> bool:
        """Whether the role can be given to a staff account (the platform's, citizens' and clients' roles cannot)."""
        return self not in (Role.SYSTEM, Role.CITIZEN, Role.CLIENT)

    @property
    def department_scoped(self) -> bool:
        return self in (Role.DATA_OFFICER, Role.APPROVER)


ROLE_TITLES = {
    Role.PLATFORM_ADMIN: "平台管理员",
    Role.DATA_OFFICER: "部门数据官",
    Role.APPROVER: "部门审核人",
    Role.ANALYST: "分析员",
    Role.SUPERVISOR: "督查员",
    Role.SYSTEM: "平台系统",
    Role.CITIZEN: "公众",
    Role.CLIENT: "接入系统",
}


@dataclass(frozen=True)
class Permission:
    """`name` is `<module>.<verb>`; `roles` are the roles that hold it (none: nobody, deny by default)."""

    name: str
    title: str
    roles: frozenset[Role]

    def __init__(self, name: str, title: str, roles: tuple[Role, ...] | frozenset[Role] = ()) -> None:
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "title", title)
        object.__setattr__(self, "roles", frozenset(roles))
