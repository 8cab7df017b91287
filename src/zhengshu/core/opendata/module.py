"""Open data as the platform sees it: the public portal and open API, the staff's statistics page, and the
nightly refresh that re-checks every open dataset whose source has a new version."""

from zhengshu.core.opendata import api, cli, pages, service
from zhengshu.core.opendata import permissions as perms
from zhengshu.modules import Module, NavItem, Platform

REFRESH_JOB = "opendata.refresh"


def _jobs(platform: Platform) -> None:
    def refresh() -> None:
        cli.refresh_as_platform(platform)

    platform.jobs.register(REFRESH_JOB, refresh, daily_at=(19, 30))  # 03:30 in the city


MODULE = Module(
    name="opendata",
    title="数据开放",
    api=api.router,
    pages=pages.router,
    cli=(cli.app,),
    permissions=perms.ALL,
    nav=(NavItem("数据开放", "/opendata", perms.PROPOSE),
         NavItem("开放统计", "/opendata/statistics", perms.STATISTICS)),
    templates_package="zhengshu.core.opendata",
    cards=service.home_cards,
    jobs=_jobs,
)
