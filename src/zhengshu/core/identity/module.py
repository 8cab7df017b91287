"""The identity module as the platform sees it."""

from zhengshu.core.identity import api, cli, pages
from zhengshu.core.identity import permissions as perms
from zhengshu.core.identity.authentication import authenticate
from zhengshu.modules import Module, NavItem

MODULE = Module(
    name="identity",
    title="身份与权限",
    api=api.router,
    pages=pages.router,
    cli=(cli.users, cli.clients),
    permissions=perms.ALL,
    nav=(
        NavItem("行政区划与部门", "/identity/organisations", perms.VIEW_ORGANISATIONS),
        NavItem("用户管理", "/identity/users", perms.MANAGE_USERS),
        NavItem("接入系统", "/identity/clients", perms.MANAGE_CLIENTS),
    ),
    templates_package="zhengshu.core.identity",
    authenticate=authenticate,
)
