"""Commands of the identity module: `zhengshu users create`, `zhengshu clients create`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

from zhengshu.core.identity import service
from zhengshu.core.identity.schemas import ClientCreate, UserCreate
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform
from zhengshu.web.forms import parse_form

# Names and codes typed by users are printed as they are: no rich markup or emoji codes read into them
# (a name like "[/x]" would otherwise crash the command after its work was done), and no wrapping of the
# long key and secret lines.
console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
users = typer.Typer(name="users", help="用户管理", no_args_is_help=True)
clients = typer.Typer(name="clients", help="部门接入系统管理", no_args_is_help=True)


@users.command("create")
def create_user(
    username: Annotated[str, typer.Option(help="登录名")],
    name: Annotated[str, typer.Option(help="姓名")],
    department: Annotated[str, typer.Option(help="所属部门代码，如 130300003（市公安局）")],
    role: Annotated[list[str], typer.Option(help="角色：platform_admin、data_officer、approver、analyst")],
    password: Annotated[str, typer.Option(prompt="初始密码", hide_input=True, confirmation_prompt=True)],
) -> None:
    """创建用户。"""
    data = parse_form(UserCreate, username=username, display_name=name, organisation_code=department,
                      roles=role, password=password)
    with Platform.for_command() as platform:
        user = service.create_user(platform.uow(), system_actor("zhengshu users create"), data)
    console.print(f"已创建用户 {user.username}（{user.display_name}，{user.organisation_name}，"
                  f"{'、'.join(user.role_titles)}）")


@clients.command("create")
def create_client(
    name: Annotated[str, typer.Option(help="接入系统名称")],
    department: Annotated[str, typer.Option(help="所属部门代码")],
) -> None:
    """注册部门接入系统，打印其标识与密钥（密钥只显示这一次）。"""
    data = parse_form(ClientCreate, name=name, organisation_code=department)
    with Platform.for_command() as platform:
        created = service.create_client(platform.uow(), system_actor("zhengshu clients create"), data)
    console.print(f"已注册接入系统：{created.client.name}（{created.client.organisation_name}）")
    console.print(f"client_key    = {created.client.client_key}")
    console.print(f"client_secret = {created.client_secret}")
    console.print("密钥只显示这一次，请妥善保存。")
