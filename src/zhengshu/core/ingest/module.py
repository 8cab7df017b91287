"""Ingestion as the platform sees it: its pages, commands, permissions, home-page card and background jobs
(a queued load; the nightly reload of sources whose update cycle has come round, at 02:00 Beijing time)."""

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.ingest import cli, pages, service
from zhengshu.core.ingest import permissions as perms
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Module, NavItem, Platform


def _jobs(platform: Platform) -> None:
    def load(load_id: str, resource_code: str, source: dict, policy: str) -> None:
        service.run_queued_load(platform.uow(), system_actor("归集后台任务"),
                                DatasetStore.for_data_dir(platform.settings.data_dir), load_id, resource_code, source,
                                policy)

    def reload_due() -> None:
        service.reload_due(platform.uow(), system_actor("定时归集"), platform.jobs)

    platform.jobs.register(service.LOAD_JOB, load)
    platform.jobs.register(service.RELOAD_JOB, reload_due, daily_at=(18, 0))  # 02:00 in Asia/Shanghai


MODULE = Module(
    name="ingest",
    title="数据归集",
    cli=(cli.ingest,),
    pages=pages.router,
    templates_package="zhengshu.core.ingest",
    permissions=perms.ALL,
    nav=(NavItem("数据纠错", "/ingest/corrections", perms.LOAD),),
    cards=service.home_cards,
    jobs=_jobs,
)
