"""Permissions of the legal-entity base registry: running the fusion (the platform and its admins), and
viewing portraits (法人画像、人员画像) — personal and credit data together, so only the data authority's
staff and analysts who work on market supervision, never a department's system."""

from zhengshu.kernel.permissions import Permission, Role

FUSE = Permission("legal_entity.fuse", "运行法人基础库融合", (Role.PLATFORM_ADMIN, Role.SYSTEM))
VIEW_PORTRAIT = Permission("legal_entity.view_portrait", "查看法人画像与人员画像及其来源记录",
                           (Role.PLATFORM_ADMIN, Role.ANALYST, Role.SYSTEM))

ALL = (FUSE, VIEW_PORTRAIT)
