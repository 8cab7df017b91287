"""Commands of the calendar module: `zhengshu calendar seed | deadline | days | set | remove`.

Run by an operator on the server, as the platform itself (system actor). Errors reach the root command,
which turns them into one line and an exit code.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from zhengshu.core.calendar import service
from zhengshu.core.calendar.domain import parse_day
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
app = typer.Typer(name="calendar", help="工作日历：节假日与调休、按工作日计算期限", no_args_is_help=True)


@app.command()
def seed() -> None:
    """写入平台自带的节假日与调休安排（只补上尚未录入的年份，已有年份不改动）。"""
    with Platform.for_command() as platform:
        result = service.seed_calendar(platform.uow(), system_actor("zhengshu calendar seed"))
    written = f"写入 {'、'.join(map(str, result.years))} 年，共 {result.days} 天" if result.days else "无需写入"
    console.print(f"工作日历：{written}；已录入 {_years(result.covered_years)}。")


@app.command()
def deadline(
    start: Annotated[str, typer.Argument(help="起算日（不计入），如 2026-09-28")],
    working_days: Annotated[int, typer.Argument(help="工作日数，如 5")],
) -> None:
    """计算期限：起算日之后第 N 个工作日。"""
    day = parse_day(start, field="start")
    with Platform.for_command() as platform:
        result = service.deadline(platform.uow(), system_actor("zhengshu calendar deadline"), day, working_days)
    console.print(f"{result.start.isoformat()} 起 {result.working_days} 个工作日：{result.deadline.isoformat()}"
                  f"（{result.weekday}，{result.calendar_days} 个自然日后）")


@app.command()
def days(year: Annotated[int | None, typer.Argument(help="年份，默认今年")] = None) -> None:
    """列出某年的节假日与调休上班日。"""
    with Platform.for_command() as platform:
        view = service.list_days(platform.uow(), system_actor("zhengshu calendar days"), year)
    if not view.covered:
        console.print(f"{view.year} 年尚未录入节假日安排（已录入 {_years(view.covered_years)}）。")
        return
    console.print(f"{view.year} 年：工作日 {view.working_days} 天，节假日 {view.holidays} 天，"
                  f"调休上班 {view.adjusted_workdays} 天")
    for d in view.days:
        console.print(f"{d.day.isoformat()}  {d.weekday}  {d.kind_title}  {d.name}")


@app.command("set")
def set_day(
    day: Annotated[str, typer.Argument(help="日期，如 2027-10-01")],
    kind: Annotated[str, typer.Argument(help="holiday（节假日）或 workday（调休上班）")],
    name: Annotated[str, typer.Argument(help="名称，如 国庆节")],
) -> None:
    """把某一天设为节假日或调休上班日（已有安排则改写）。"""
    with Platform.for_command() as platform:
        saved = service.set_day(platform.uow(), system_actor("zhengshu calendar set"), parse_day(day), kind, name)
    console.print(f"已设置 {saved.day.isoformat()}（{saved.weekday}）为{saved.kind_title}：{saved.name}")


@app.command()
def remove(day: Annotated[str, typer.Argument(help="日期，如 2027-10-01")]) -> None:
    """删除某一天的安排，该日恢复按周末规则计算。"""
    with Platform.for_command() as platform:
        removed = service.remove_day(platform.uow(), system_actor("zhengshu calendar remove"), parse_day(day))
    console.print(f"已删除 {removed.day.isoformat()} 的安排（{removed.kind_title}：{removed.name}）")


def _years(years: list[int]) -> str:
    return f"{years[0]}–{years[-1]} 年" if years else "无"
