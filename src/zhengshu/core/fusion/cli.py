"""The `zhengshu fuse` command group. It has no command of its own: each registry adds its subcommand with
`registry_command` from its own `cli.py` (`zhengshu fuse persons`, `zhengshu fuse entities`), so a new
registry never edits another's command. Each runs as the platform with a progress bar and prints a summary."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.fusion import service
from zhengshu.core.fusion.schemas import RunView
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
fuse = typer.Typer(name="fuse", help="基础库融合：实体识别、一数一源、发布基础库", no_args_is_help=True)


def print_summary(run: RunView, title: str) -> None:
    c = run.counts
    console.print(f"{title}：第 {run.id} 次融合（{run.mode_title}）{run.status_title}，{c['records']:,} 条记录，"
                  f"{c['rows']:,} 行来源数据；本次重新链接 {c['relinked']:,} 行（新增 {c['added']:,}、删除 "
                  f"{c['removed']:,}、涉及原有记录 {c['touched']:,}），新编号 {c['new_ids']:,} 个，"
                  f"与权威来源不一致 {c['conflicts']:,} 处（已转纠错任务）")
    table = Table("来源", "版本", "行数", "读取", "链接方式")
    for s in run.sources:
        table.add_row(s.source, str(s.version), f"{s.rows:,}", "读取新版本" if s.read else "未变，沿用",
                      "、".join(f"{k} {v:,}" for k, v in s.links.items()))
    console.print(table)


DropMissing = Annotated[bool, typer.Option(
    "--drop-missing", help="上次融合所用的来源已下架或未挂接时，去掉它的数据后继续（默认：报错，保留上次的结果）")]


def registry_command(name: str, registry: str, help_text: str) -> Callable[[], None]:
    """Add `zhengshu fuse <name>`: fuse the declared registry `registry`."""

    @fuse.command(name, help=help_text)
    def command(drop_missing: DropMissing = False) -> None:
        actor = system_actor(f"zhengshu fuse {name}")
        with Platform.for_command() as platform:
            spec = service.registry_spec(platform.uow(), actor, registry)
            store = DatasetStore.for_data_dir(platform.settings.data_dir)
            with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                          TimeElapsedColumn(), console=console) as bar:
                task = bar.add_task(f"融合{spec.title}", total=1)

                def progress(stage: str, done: int, total: int) -> None:
                    bar.update(task, description=stage, completed=done, total=max(total, 1))

                run = service.run_fusion(platform.uow(), actor, store, spec, progress, drop_missing=drop_missing)
        print_summary(run, spec.title)

    return command
