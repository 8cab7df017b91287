"""Commands of the sharing module: `zhengshu sharing digest`, the daily digest (督办日报) a scheduler runs once a
day: every overdue request and every grant due for re-certification, as the platform itself."""

from __future__ import annotations

import typer
from rich.console import Console

from zhengshu.core.sharing import service
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
app = typer.Typer(name="sharing", help="数据共享：督办日报", no_args_is_help=True)


@app.command()
def digest() -> None:
    """督办日报：列出超期未办的共享申请和即将到期待复核的授权。"""
    with Platform.for_command() as platform:
        result = service.daily_digest(platform.uow(), system_actor("zhengshu sharing digest"))
    console.print(f"数据共享督办日报 {result.on.isoformat()}：超期申请 {len(result.overdue)} 件，"
                  f"待复核授权 {len(result.recertification)} 项。")
    for r in result.overdue:
        console.print(f"超期  #{r.id}  {r.status.label}  期限 {r.due_on}  {r.consumer_name} → {r.provider_name}  "
                      f"{r.resource_name}（{r.resource_code}）")
    for g in result.recertification:
        console.print(f"复核  授权#{g.grant.id}  {g.grant.expires_on} 到期  {g.provider_name} → {g.consumer_name}  "
                      f"{g.resource_name}（{g.grant.resource_code}）")
