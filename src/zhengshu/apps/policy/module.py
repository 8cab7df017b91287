"""The policy library and policy question answering as the platform sees them."""

from zhengshu.apps.policy import api, cli, pages
from zhengshu.apps.policy import permissions as perms
from zhengshu.modules import Module, NavItem, Platform


def _jobs(platform: Platform) -> None:
    from zhengshu.apps.policy import service
    from zhengshu.kernel.actor import system_actor

    def compute_vectors(limit: int = 256) -> None:
        """A batch of passage vectors; enqueues the next batch while some remain."""
        result = service.compute_vectors(platform.uow(), system_actor("policy.vectors"), limit=limit)
        if result.remaining and result.computed:
            platform.jobs.enqueue("policy.vectors", limit)

    platform.jobs.register("policy.vectors", compute_vectors)


MODULE = Module(
    name="policy",
    title="政策文件与问答",
    api=api.router,
    pages=pages.router,
    cli=(cli.app,),
    permissions=perms.ALL,
    nav=(NavItem("政策问答", "/policy"),),
    templates_package="zhengshu.apps.policy",
    jobs=_jobs,
)
