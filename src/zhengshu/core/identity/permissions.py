"""Permissions of the identity module."""

from zhengshu.kernel.permissions import Permission, Role

ALL_STAFF = (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.APPROVER, Role.ANALYST, Role.SUPERVISOR)

VIEW_ORGANISATIONS = Permission("identity.view_organisations", "查看行政区划与部门", (*ALL_STAFF, Role.SYSTEM))
MANAGE_ORGANISATIONS = Permission("identity.manage_organisations", "维护行政区划与部门",
                                  (Role.PLATFORM_ADMIN, Role.SYSTEM))
MANAGE_USERS = Permission("identity.manage_users", "管理用户与角色", (Role.PLATFORM_ADMIN, Role.SYSTEM))
MANAGE_CLIENTS = Permission("identity.manage_clients", "管理部门接入系统",
                            (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))

ALL = (VIEW_ORGANISATIONS, MANAGE_ORGANISATIONS, MANAGE_USERS, MANAGE_CLIENTS)
