"""Permissions of fusion (融合). Running a fusion and deciding doubtful clusters belong to the data authority
(platform admins) and the platform itself; analysts read the fusion report; a registry record with each
value's lineage (what a portrait shows) is for the staff who may see people's and entities' data."""

from zhengshu.kernel.permissions import Permission, Role

RUN = Permission("fusion.run", "运行基础库融合（实体识别、一数一源、发布基础库）", (Role.PLATFORM_ADMIN, Role.SYSTEM))
VIEW = Permission("fusion.view", "查看融合报告（运行记录、链接统计、待复核的簇）",
                  (Role.PLATFORM_ADMIN, Role.ANALYST, Role.SYSTEM))
REVIEW = Permission("fusion.review", "复核存疑的簇（确认或拆分）", (Role.PLATFORM_ADMIN, Role.SYSTEM))
RECORD = Permission("fusion.record", "查看基础库记录及每个值的来源（画像）", (Role.PLATFORM_ADMIN, Role.SYSTEM))

ALL = (RUN, VIEW, REVIEW, RECORD)
