"""Commands of the audit module: `zhengshu audit verify | export | checkpoint`.

Run by an operator on the server, as the platform itself (system actor). Errors other than a broken chain
reach the root command, which turns them into one line and an exit code.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from zhengshu.core.audit import service
from zhengshu.core.audit.domain import make_filter
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

app = typer.Typer(name="audit", help="审计日志：校验、导出、签发检查点", no_args_is_help=True)


@app.command()
def verify() -> None:
    """校验整条审计链与全部签名检查点；完整时退出码 0，发现问题时退出码 1 并指出第一条有问题的记录。"""
    with Platform.for_command() as platform:
        result = service.verify_chain(platform.uow(), system_actor("zhengshu audit verify"),
                                      platform.audit_key.public_key_hex)
    if not result.ok:
        typer.echo(result.summary, err=True)
        raise typer.Exit(1)
    typer.echo(result.summary)


@app.command()
def export(
    out: Annotated[Path, typer.Option("--out", help="写入的 CSV 文件（UTF-8 带 BOM，Excel 可直接打开）")],
    since: Annotated[str | None, typer.Option("--from", help="开始时间（北京时间），如 2026-11-01")] = None,
    until: Annotated[str | None, typer.Option("--to", help="结束时间（北京时间，含当天）")] = None,
    actor: Annotated[str | None, typer.Option(help="操作人：标识（user:zhangsan）、账号或姓名")] = None,
    department: Annotated[str | None, typer.Option(help="部门代码")] = None,
    action: Annotated[str | None, typer.Option(help="操作；identity.* 表示前缀")] = None,
) -> None:
    """导出审计记录为 CSV（导出本身记入审计日志）。"""
    record_filter = make_filter(actor, department, action, since, until)
    with Platform.for_command() as platform:
        chunks = service.export_csv(platform.uow(), system_actor("zhengshu audit export"), record_filter)
        with out.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(chunks)
    typer.echo(f"已导出审计记录到 {out}")


@app.command()
def checkpoint() -> None:
    """立即用平台 SM2 密钥签发一个审计检查点。"""
    with Platform.for_command() as platform:
        signed = service.create_checkpoint(platform.uow(), system_actor("zhengshu audit checkpoint"))
    typer.echo(f"已签发检查点：序号 {signed.seq}，哈希 {signed.hash}")
    typer.echo(f"签名时间 {signed.signed_at.isoformat()}，公钥 {signed.public_key}")
