"""Commands of the catalogue: `zhengshu catalog list | show | export | reindex`.

Run by an operator on the server, as the platform itself (system actor: every entry, drafts included). Errors
reach the root command, which turns them into one line and an exit code.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from zhengshu.core.catalog import service
from zhengshu.core.catalog.schemas import EntryFilter
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
app = typer.Typer(name="catalog", help="资源目录：检索、查看、导出（JSON 与 DCAT-AP）", no_args_is_help=True)


class ExportFormat(StrEnum):
    JSON = "json"
    DCAT = "dcat"


def _print_json(data: Any) -> None:
    console.print(json.dumps(data, ensure_ascii=False, indent=2))


@app.command("list")
def list_entries(
    query: Annotated[str, typer.Option("--query", "-q", help="检索词（中文分词，按相关度排序）")] = "",
    status: Annotated[str, typer.Option(help="状态：registered | mounted | published | retired")] = "",
    directory: Annotated[str, typer.Option(help="资源属性分类：base | theme | department")] = "",
    provider: Annotated[str, typer.Option(help="提供部门代码")] = "",
    limit: Annotated[int, typer.Option(min=1, max=service.MAX_PAGE, help="最多列出几项")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（含各维度计数）")] = False,
) -> None:
    """列出或检索资源目录。"""
    filt = EntryFilter(text=query, status=status, directory=directory, provider=provider)
    with Platform.for_command() as platform:
        page = service.list_entries(platform.uow(), system_actor("zhengshu catalog list"), filt, 1, limit)
    if as_json:
        _print_json(page.model_dump(mode="json"))
        return
    for e in page.entries:
        console.print(f"{e.code}  {e.status.label}  {e.name}  {e.provider_name}")
    shown = f"，列出前 {len(page.entries)} 项" if len(page.entries) < page.total else ""
    words = f"（检索词：{' '.join(page.search.words) or '无'}）" if page.search else ""
    console.print(f"共 {page.total} 项资源{shown}{words}")


@app.command()
def show(
    code: Annotated[str, typer.Argument(help="信息资源代码，如 101001-0001")],
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（含生命周期与版本）")] = False,
) -> None:
    """查看一项资源的元数据与信息项。"""
    with Platform.for_command() as platform:
        detail = service.get_entry(platform.uow(), system_actor("zhengshu catalog show"), code)
    if as_json:
        _print_json(detail.model_dump(mode="json"))
        return
    e = detail.entry
    c = e.classification
    for label, value in (
        ("资源代码", e.code), ("资源名称", e.name), ("状态", f"{e.status.label}（第 {e.version} 版）"),
        ("资源分类", f"{c.directory.label} {c.section} {c.section_title}".rstrip()),
        ("提供部门", f"{e.provider_name}（{e.provider_code}）"), ("摘要", e.abstract),
        ("格式", f"{e.format.type.label} {e.format.detail}".rstrip() if e.format else ""),
        ("共享", e.sharing.type.label if e.sharing else ""), ("开放", e.opening.type.label if e.opening else ""),
        ("更新周期", e.update_cycle.label if e.update_cycle else ""),
        ("挂接", f"{e.mount.kind.label}：{e.mount.reference}" if e.mount else ""),
        ("发布日期", str(e.published_on or "")), ("数据责任人", f"{e.owner} {e.contact}".strip()),
    ):
        console.print(f"{label}：{value or '—'}")
    console.print(f"信息项（{len(e.items)}）：")
    for i in e.items:
        length = f"({i.length})" if i.length else ""
        console.print(f"  {i.name}  {i.data_type.label}{length}  {i.level.label}  {i.personal_info.label}"
                      f"{'  关键字段' if i.is_key else ''}")


@app.command()
def export(
    fmt: Annotated[ExportFormat, typer.Option("--format", help="json：全部资源的完整元数据；dcat：已发布资源的 "
                                              "DCAT-AP JSON-LD")] = ExportFormat.JSON,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="写入的文件（默认输出到屏幕）")] = None,
) -> None:
    """导出资源目录。"""
    actor = system_actor("zhengshu catalog export")
    with Platform.for_command() as platform:
        if fmt is ExportFormat.DCAT:
            settings = platform.settings
            base_url = settings.public_url or f"http://{settings.host}:{settings.port}"
            data = service.export_dcat(platform.uow(), actor, base_url)
            count = len(data["dcat:dataset"])
        else:
            exported = service.export_entries(platform.uow(), actor)
            data, count = exported.model_dump(mode="json"), exported.count
    if output is None:
        _print_json(data)
        return
    output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"已导出 {count} 项资源到 {output}", err=True)


@app.command()
def reindex() -> None:
    """从数据库重建检索索引并报告其规模（网页服务在目录变更后会自动重建自己的索引）。"""
    with Platform.for_command() as platform:
        stats = service.search_index_stats(platform.uow(), system_actor("zhengshu catalog reindex"))
    console.print(f"检索索引：{stats.entries} 项资源，{stats.words} 个词")
