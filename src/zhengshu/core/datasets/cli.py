"""Commands of the dataset store, for operators, run as the platform: `zhengshu datasets load`,
`zhengshu datasets list`, `zhengshu datasets publish`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from zhengshu.core.datasets import service
from zhengshu.core.datasets.store import DatasetStore, read_source_file
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.modules import Platform

# Names typed by users are printed as they are (no rich markup read into them), lines unwrapped.
console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
datasets = typer.Typer(name="datasets", help="数据集（版本化的 Parquet 数据）", no_args_is_help=True)


@datasets.command("load")
def load(
    code: Annotated[str, typer.Argument(help="数据集代码，如 130300003-hukou")],
    file: Annotated[Path, typer.Argument(help=".parquet 或 .csv 文件（CSV 的每一列都按文本读入）")],
    name: Annotated[str | None, typer.Option(help="数据集名称（新建数据集时必填）")] = None,
    owner: Annotated[str | None, typer.Option(help="所属部门代码（新建数据集时必填），如 130300003")] = None,
    publish: Annotated[bool, typer.Option("--publish/--no-publish", help="写入后是否立即发布为当前版本")] = True,
) -> None:
    """把文件写入为数据集的新版本（内容与已有版本相同时不新建），默认并发布。"""
    if (name is None) != (owner is None):
        raise InvalidInput("新建数据集需要同时给出 --name 与 --owner。", field="owner" if owner is None else "name")
    frame = read_source_file(file)
    actor = system_actor("zhengshu datasets load")
    with Platform.for_command() as platform:
        uow = platform.uow()
        if name is not None and owner is not None:
            service.ensure_dataset(uow, actor, code, name, owner)
        store = DatasetStore.for_data_dir(platform.settings.data_dir)
        version = service.write_version(uow, actor, store, code, frame, publish=publish)
    what = "内容与已有版本相同，未新建版本：" if version.reused else "已写入"
    state = "当前版本" if version.current else "未发布"
    console.print(f"{what}{version.dataset_code} 第 {version.version} 版（{version.row_count:,} 行，{state}）")
    console.print(f"SM3 {version.content_hash}")


@datasets.command("list")
def list_datasets() -> None:
    """列出全部数据集。"""
    with Platform.for_command() as platform:
        found = service.list_datasets(platform.uow(), system_actor("zhengshu datasets list"))
    table = Table()
    for column in ("代码", "名称", "所属部门", "当前版本", "行数"):
        table.add_column(column)
    for item in found:
        table.add_row(item.code, item.name, item.owner_code,
                      "—" if item.current_version is None else str(item.current_version),
                      "—" if item.current_row_count is None else f"{item.current_row_count:,}")
    console.print(table)


@datasets.command("publish")
def publish(
    code: Annotated[str, typer.Argument(help="数据集代码")],
    version: Annotated[int, typer.Argument(help="要发布的版本号（也可以是较早的版本，用于回退）")],
) -> None:
    """把一个就绪的版本发布为当前版本。"""
    with Platform.for_command() as platform:
        published = service.publish_version(platform.uow(), system_actor("zhengshu datasets publish"), code,
                                            version)
    console.print(f"{published.dataset_code} 的当前版本：第 {published.version} 版（{published.row_count:,} 行）")


@datasets.command("sweep")
def sweep(minutes: Annotated[int, typer.Option(help="只清理早于这么多分钟的未完成写入")] = 60) -> None:
    """清理中断的写入：标记未完成的版本为失败并删除临时目录（进行中的写入不受影响）。"""
    from datetime import timedelta

    with Platform.for_command() as platform:
        store = DatasetStore.for_data_dir(platform.settings.data_dir)
        result = service.sweep_abandoned(platform.uow(), system_actor("zhengshu datasets sweep"), store,
                                         timedelta(minutes=max(minutes, 1)))
    console.print(f"未完成的版本：{'、'.join(result.versions) or '无'}")
    console.print(f"临时目录：{'、'.join(result.folders) or '无'}")
