"""Permissions of the sharing module. Department roles hold them only for their own department when the
check names one: a data officer requests for their department, an approver reviews requests for their
department's data; the data authority's platform admins check compliance and coordinate disputes. A
department's system (an API client) asks the exchange for data under the grants it holds."""

from zhengshu.kernel.permissions import Permission, Role

STAFF = (Role.PLATFORM_ADMIN, Role.DATA_OFFICER, Role.APPROVER, Role.ANALYST)

VIEW = Permission("sharing.view", "查看共享申请、授权与数据需求", (*STAFF, Role.SYSTEM))
REQUEST = Permission("sharing.request", "提出共享申请与异议（需求部门数据官）", (Role.DATA_OFFICER,))
REVIEW_COMPLIANCE = Permission("sharing.review_compliance", "共享申请符合性审查（数据主管部门）",
                               (Role.PLATFORM_ADMIN,))
REVIEW_PROVIDER = Permission("sharing.review_provider", "共享申请提供方审核（提供部门审核人）", (Role.APPROVER,))
COORDINATE = Permission("sharing.coordinate", "共享争议协调（数据主管部门）", (Role.PLATFORM_ADMIN,))
REVOKE_GRANT = Permission("sharing.revoke_grant", "撤销共享授权", (Role.PLATFORM_ADMIN, Role.APPROVER))
RENEW_GRANT = Permission("sharing.renew_grant", "续期共享授权（提供部门审核人复核）", (Role.APPROVER,))
OVERSEE = Permission("sharing.oversee", "督办：全市超期申请与到期授权日报", (Role.PLATFORM_ADMIN, Role.SYSTEM))
POST_NEED = Permission("sharing.post_need", "发布与关闭数据需求", (Role.DATA_OFFICER,))
ANSWER_NEED = Permission("sharing.answer_need", "以目录资源响应数据需求", (Role.DATA_OFFICER,))
USE_GRANT = Permission("sharing.use_grant", "凭共享授权调用数据交换接口（部门接入系统）", (Role.CLIENT,))

ALL = (VIEW, REQUEST, REVIEW_COMPLIANCE, REVIEW_PROVIDER, COORDINATE, REVOKE_GRANT, RENEW_GRANT, OVERSEE,
       POST_NEED, ANSWER_NEED, USE_GRANT)
