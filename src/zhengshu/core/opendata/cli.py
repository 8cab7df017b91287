"""Commands of open data: `zhengshu opendata list | refresh | stats`, run by an operator as the platform."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from zhengshu.core.opendata import service
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
app = typer.Typer(name="opendata", help="数据开放：开放事项、复核、使用统计", no_args_is_help=True)
OPERATOR = system_actor("数据开放（命令行）")


def refresh_as_platform(platform: Platform) -> dict[str, str]:
    """Re-check every open dataset whose source has a new version (withdrawn if it fails the gate)."""
    return service.refresh_all(platform.uow(), OPERATOR, service.Context.from_settings(platform.settings))


@app.command("list")
def list_openings(status: str = typer.Option("", help="proposed | refused | rejected | open | withdrawn")) -> None:
    """开放事项一览."""
    with Platform.for_command() as platform:
        for s in service.list_openings(platform.uow(), OPERATOR, status or None):
            console.print(f"{s.code}  {s.status.label}  {s.title}  {s.provider_name}  {s.row_count or 0} 行")


@app.command("refresh")
def refresh() -> None:
    """复核：源数据集有新版本的开放数据集重新经过隐私检查；不通过的撤回。"""
    with Platform.for_command() as platform:
        for code, outcome in refresh_as_platform(platform).items():
            console.print(f"{code}  {outcome}")


@app.command("stats")
def stats(days: int = typer.Option(30, help="最近多少天")) -> None:
    """使用统计（JSON）."""
    with Platform.for_command() as platform:
        found = service.usage_statistics(platform.uow(), OPERATOR, days)
        console.print(json.dumps(found.model_dump(mode="json"), ensure_ascii=False, indent=2))
