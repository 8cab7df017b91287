"""The `zhengshu` command: the root of every module's commands.

Errors become one clear line and an exit code, mapped here and nowhere else; a user never sees a traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from zhengshu.kernel import errors
from zhengshu.kernel.actor import system_actor
from zhengshu.migrations import upgrade_schema
from zhengshu.modules import Platform, load_modules

console = Console()
# Messages may quote what a user typed: printed as text (no rich markup), on one line (no wrapping).
err_console = Console(stderr=True, soft_wrap=True, highlight=False)

EXIT_CODES = {
    errors.InvalidInput: 2,
    errors.NotFound: 3,
    errors.NotAuthenticated: 4,
    errors.Conflict: 5,
    errors.IntegrityError: 6,
    errors.ConfigurationError: 7,
    errors.UpstreamFailed: 8,
}

app = typer.Typer(
    name="zhengshu",
    help="政数 Zhengshu：秦皇岛市一体化政务大数据平台",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

HostOption = Annotated[str | None, typer.Option("--host", help="绑定地址 (默认 ZHENGSHU_HOST)")]
PortOption = Annotated[int | None, typer.Option("--port", help="端口 (默认 ZHENGSHU_PORT)")]


@contextmanager
def _initialised_platform() -> Iterator[Platform]:
    with Platform.for_command() as platform:
        upgrade_schema(platform.database.engine)
        yield platform


@app.command()
def init() -> None:
    """创建或升级数据库结构，并写入本市行政区划与部门。"""
    from zhengshu.core.calendar import service as calendar
    from zhengshu.core.identity import service as identity

    actor = system_actor("zhengshu init")
    with _initialised_platform() as platform:
        seeded = identity.seed_city(platform.uow(), actor)
        calendar.seed_calendar(platform.uow(), actor)
        url = platform.database.engine.url.render_as_string(hide_password=True)
    console.print(f"数据库已就绪：{url}")
    console.print(f"行政区划与部门：{seeded} 个")


@app.command()
def demo(
    host: HostOption = None,
    port: PortOption = None,
    persons: Annotated[int, typer.Option(help="演示用合成城市的人口数")] = 20_000,
) -> None:
    """演示：初始化数据库、写入本市部门与演示账号、生成合成城市（首次），并启动网页服务。"""
    from zhengshu.core.calendar import service as calendar
    from zhengshu.core.identity import service as identity

    actor = system_actor("zhengshu demo")
    with _initialised_platform() as platform:
        _demo_city(platform, persons)
        identity.seed_city(platform.uow(), actor)
        calendar.seed_calendar(platform.uow(), actor)
        _demo_catalogue(platform)
        _demo_supervision(platform)
        _demo_policy(platform)
        accounts = identity.reset_demo_accounts(platform.uow(), actor)
        table = Table(title="演示账号（每次启动演示时重置密码）")
        for column in ("用户名", "密码", "角色", "部门"):
            table.add_column(column)
        for account in accounts:
            table.add_row(account.username, account.password, account.role_title, account.department_name)
        console.print(table)
        _serve(platform, host, port)


def _demo_city(platform: Platform, persons: int) -> None:
    """The demo's synthetic city in <data_dir>/city, made once (the same seed always gives the same city)."""
    from zhengshu.synth.city import generate_city
    from zhengshu.synth.config import CityConfig

    out = platform.settings.data_dir / "city"
    if (out / "manifest.json").exists():
        console.print(f"合成城市：{out}（已存在）")
        return
    with console.status(f"正在生成 {persons:,} 人的合成城市……"):
        report = generate_city(CityConfig(persons=persons, seed=2026), out, overwrite=True)
    console.print(f"合成城市：{out}（{report.persons:,} 人，{report.entities:,} 个法人，"
                  f"{len(report.files)} 个部门文件）")


def _demo_supervision(platform: Platform) -> None:
    """The synthetic city's implementation plan under electronic supervision (done once)."""
    from zhengshu.demo import supervise_plan

    done = supervise_plan(platform, platform.settings.data_dir / "city")
    if done:
        console.print(f"电子督查：导入合成实施方案 {done.tasks} 项任务，{done.reports} 条进展报送，"
                      f"{done.overdue} 项任务逾期未完成")


def _demo_catalogue(platform: Platform) -> None:
    """The city's department tables as datasets and published catalogue entries (done once)."""
    from zhengshu.demo import publish_city

    with console.status("正在把合成城市的部门数据编入资源目录……") as status:
        count = publish_city(platform, platform.settings.data_dir / "city",
                             progress=lambda s: status.update(f"正在编目：{s}"))
    if count:
        console.print(f"资源目录：新发布 {count} 个资源")
        from zhengshu.demo import share_and_read

        traffic = share_and_read(platform)
        console.print(f"数据共享：{traffic.grants} 项共享授权；经交换网关读取 {traffic.records} 条、核验 "
                      f"{traffic.checks} 次、拒绝 {traffic.refused} 次（均已脱敏、已审计）")
    from zhengshu.demo import demo_people, fuse_registries, open_city

    try:
        with console.status("正在融合基础库……") as status:
            runs = fuse_registries(platform, progress=lambda s: status.update(f"正在融合：{s}"))
        for run in runs:
            console.print(f"基础库 {run.registry}：第 {run.id} 次融合（{run.mode_title}），"
                          f"{run.counts['records']:,} 条记录，重新链接 {run.counts['relinked']:,} 行")
    except errors.ZhengshuError as exc:  # the demo goes on; the fusion report shows the failed run
        err_console.print("基础库融合失败：" + escape(exc.message))

    with console.status("正在开放生态环境、文化旅游、公共服务等领域的数据……"):
        opened = open_city(platform, platform.settings.data_dir / "city")
    if opened:
        console.print(f"数据开放：新开放 {opened} 个数据集（公众访问 /open）")

    for person in demo_people(platform, 1):
        console.print(f"谁查询了我的数据：在 /my/login 用公民身份号码 {person['公民身份号码']} 登录（演示）")


def _demo_policy(platform: Platform) -> None:
    """The policy library: national laws and the ZHENGSHU_POLICY_FOLDER documents (imported once)."""
    from zhengshu.demo import load_policy_library

    with console.status("正在导入政策文件库……") as status:
        imported, failed = load_policy_library(platform, progress=lambda s: status.update(f"政策文件库：{s}"))
    console.print(f"政策文件库：新导入 {imported} 份{f'，{failed} 份无法读取' if failed else ''}；"
                  "语义检索向量在后台计算（完成前问答仅用关键词检索），问答页 /policy")
    import threading

    from zhengshu.apps.policy.service import prepare_search

    # the search index is built while the server starts, so the first question does not wait for it
    threading.Thread(target=prepare_search, args=(platform.uow(), system_actor("zhengshu demo")),
                     daemon=True).start()


@app.command()
def serve(
    host: HostOption = None,
    port: PortOption = None,
    workers: Annotated[int, typer.Option(help="工作进程数")] = 1,
) -> None:
    """启动网页与接口服务。"""
    with Platform.for_command() as platform:
        _serve(platform, host, port, workers)


def _serve(platform: Platform, host: str | None, port: int | None, workers: int = 1) -> None:
    import uvicorn

    settings = platform.settings
    host, port = host or settings.host, port or settings.port
    console.print(f"政数已启动：http://{host}:{port}  （接口文档 http://{host}:{port}/api/docs，Ctrl+C 退出）")
    platform.jobs.start_worker()  # background jobs in this process (`zhengshu jobs worker` runs more elsewhere)
    try:
        if workers > 1:
            uvicorn.run("zhengshu.app:app_from_environment", factory=True, host=host, port=port,
                        workers=workers, log_level="warning")
        else:
            from zhengshu.app import create_app

            uvicorn.run(create_app(platform), host=host, port=port, log_level="warning")
    finally:
        platform.jobs.stop_worker()


jobs = typer.Typer(name="jobs", help="后台任务（归集加载、定时归集）", no_args_is_help=True)
app.add_typer(jobs)


@jobs.command("worker")
def jobs_worker(threads: Annotated[int, typer.Option(help="工作线程数")] = 2) -> None:
    """运行后台任务，直到 Ctrl+C（网页服务本身也带一个工作线程）。"""
    with Platform.for_command() as platform:
        console.print(f"后台任务已启动（{threads} 个线程），Ctrl+C 退出")
        consumer = platform.jobs.huey.create_consumer(workers=threads, worker_type="thread")
        consumer.run()


for _module in load_modules():
    for _group in _module.cli:
        app.add_typer(_group)


def main() -> None:
    """Run the CLI, turning every expected failure into one line and an exit code."""
    try:
        app()
    except errors.ZhengshuError as exc:
        err_console.print("[red]错误：[/red]" + escape(exc.message))
        code = next((c for kind, c in EXIT_CODES.items() if isinstance(exc, kind)), 1)
        sys.exit(code)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        err_console.print("[red]错误：[/red]数据库不可用或尚未初始化（请先运行 zhengshu init）：" + escape(reason))
        sys.exit(EXIT_CODES[errors.ConfigurationError])
