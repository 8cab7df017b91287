"""Permissions of open data. Reading the portal and the open API needs none (the public); these are the staff's.

A department's data officer proposes opening its own published entries; the data authority (platform admins)
approves or rejects and may withdraw; a provider's approver or data officer reviews applications for its
有条件开放 datasets; the data authority and analysts read the usage statistics.
"""

from zhengshu.kernel.permissions import Permission, Role

PROPOSE = Permission("opendata.propose", "提出开放申请（本部门已发布的资源）",
                     (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.SYSTEM))
APPROVE = Permission("opendata.approve", "审批开放、撤回已开放的数据集（数据主管部门）",
                     (Role.PLATFORM_ADMIN, Role.SYSTEM))
REVIEW = Permission("opendata.review", "审核有条件开放数据集的使用申请（提供部门）",
                    (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.APPROVER, Role.SYSTEM))
STATISTICS = Permission("opendata.statistics", "查看开放数据使用统计",
                        (Role.PLATFORM_ADMIN, Role.ANALYST, Role.SYSTEM))

ALL = (PROPOSE, APPROVE, REVIEW, STATISTICS)
