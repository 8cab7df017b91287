"""The legal-entity base registry as the platform sees it: the fusion command, the portrait pages, the
法人基础库 navigation item for staff who may view portraits."""

from zhengshu.modules import Module, NavItem
from zhengshu.registries.legal_entity import cli, pages
from zhengshu.registries.legal_entity import permissions as perms

MODULE = Module(
    name="legal_entity",
    title="法人基础库",
    pages=pages.router,
    cli=(cli.fuse,),
    permissions=perms.ALL,
    nav=(NavItem("法人基础库", "/legal-entities", perms.VIEW_PORTRAIT),),
    templates_package="zhengshu.registries.legal_entity",
)
