"""Commands of the legal-entity base registry, run as the platform: `zhengshu fuse-entities`."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform
from zhengshu.registries.legal_entity import service

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
fuse = typer.Typer(name="fuse-entities", help="融合法人基础库：实体识别、一数一源黄金记录", invoke_without_command=True)


@fuse.callback()
def run() -> None:
    """把各部门的法人记录链接到法人，按一数一源生成黄金记录，写入法人基础库的新版本。"""
    with Platform.for_command() as platform:
        _fuse(platform)


def _fuse(platform: Platform) -> None:
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("法人基础库", total=None)
        outcome = service.fuse_entities(platform.uow(), system_actor("zhengshu fuse-entities"), store,
                                        progress=lambda text: bar.update(task, description=text))
    console.print(f"法人基础库第 {outcome.version} 版：{outcome.rows:,} 行来自 {len(outcome.sources)} 个数据源，"
                  f"{outcome.entities:,} 个法人，{outcome.conflicts:,} 处冲突")
    for link, count in sorted(outcome.links.items()):
        console.print(f"  {link}：{count:,} 行")
