"""Commands of the supervision module: `zhengshu supervision import FILE | plans | export`.

Run by an operator on the server, as the platform itself (system actor). Errors reach the root command,
which turns them into one line and an exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from zhengshu.apps.supervision import service
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.modules import Platform

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
app = typer.Typer(name="supervision", help="电子督查：导入实施方案、任务分工、进展报送与督查台账", no_args_is_help=True)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"无法读取 {path}：{exc.strerror}", field="file") from exc


@app.command("import")
def import_plan(
    file: Annotated[Path, typer.Argument(help="实施方案文件（TXT、DOCX 或 HTML）")],
    cycle: Annotated[str, typer.Option(help="报送周期：weekly、monthly 或 quarterly")] = "monthly",
    replace: Annotated[bool, typer.Option("--replace", help="替换尚无进展报送的同名方案")] = False,
) -> None:
    """导入实施方案：提取“主要任务”中的编号任务及其牵头单位、责任单位，并分派到各部门。"""
    content = _read(file)
    with Platform.for_command() as platform:
        result = service.import_plan(platform.uow(), system_actor("zhengshu supervision import"), file.name,
                                     content, cycle, replace)
    console.print(f"已导入《{result.title}》：{result.sections} 个部分，共 {result.tasks} 项任务，"
                  f"{result.assignments} 条任务分工（方案编号 {result.plan_id}）。")
    if result.problems:
        console.print(f"需要处理的问题 {len(result.problems)} 个（其余内容已导入）：")
        for problem in result.problems:
            console.print(f"  - {problem}")


@app.command()
def plans() -> None:
    """列出已导入的实施方案。"""
    with Platform.for_command() as platform:
        found = service.list_plans(platform.uow(), system_actor("zhengshu supervision plans"))
    if not found:
        console.print("尚未导入实施方案。")
    for plan in found:
        console.print(f"{plan.id}  {plan.title}  {plan.tasks} 项任务  {plan.cycle_title}报送")


@app.command()
def export(
    plan_id: Annotated[int, typer.Argument(help="方案编号")],
    out: Annotated[Path, typer.Argument(help="输出的 XLSX 文件")],
) -> None:
    """导出督查台账（XLSX）：任务、部门、分部分统计与全部进展报送。"""
    with Platform.for_command() as platform:
        _, content = service.plan_workbook(platform.uow(), system_actor("zhengshu supervision export"), plan_id)
    try:
        out.write_bytes(content)
    except OSError as exc:
        raise InvalidInput(f"无法写入 {out}：{exc.strerror}", field="out") from exc
    console.print(f"督查台账已写入 {out}")
