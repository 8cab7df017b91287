"""Commands of ingestion, for operators, run as the platform: `zhengshu ingest preview SOURCE`.

`ingest` is a group so that loading (`zhengshu ingest load SOURCE --resource CODE`) can join it later.
"""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from zhengshu.core.ingest import service
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.modules import Platform

console = Console(markup=False, emoji=False, highlight=False, soft_wrap=True)
ingest = typer.Typer(name="ingest", help="归集：读取部门的数据文件、数据库或接口", no_args_is_help=True)

DETECTED_TITLES = {"encoding": "编码", "delimiter": "分隔符", "header_row": "表头行", "sheet": "工作表",
                   "sheets": "全部工作表", "records_path": "记录位置", "dialect": "数据库类型", "read": "读取",
                   "paging": "分页方式"}


def source_spec(location: str, **options: object) -> SourceSpec:
    """The source description for what was typed, its syntax errors as one clear InvalidInput."""
    try:
        return SourceSpec.for_location(location, **options)
    except (ValidationError, ValueError) as exc:
        errors = exc.errors() if isinstance(exc, ValidationError) else [{"msg": str(exc), "loc": ()}]
        first = errors[0]
        message = str(first["msg"]).removeprefix("Value error, ")
        field = ".".join(str(part) for part in first.get("loc", ())) or None
        raise InvalidInput(f"数据源描述有误：{message}", field=field) from None


@ingest.command("preview")
def preview(
    source: Annotated[str, typer.Argument(help="文件路径（.csv .xlsx .json .jsonl .sqlite）、http(s) 接口地址，"
                                               "或数据库地址（SQLAlchemy URL）")],
    sheet: Annotated[str | None, typer.Option(help="XLSX：工作表名称（默认第一个有表头的工作表）")] = None,
    encoding: Annotated[str | None, typer.Option(help="CSV：字符编码（默认自动识别 UTF-8 / GBK）")] = None,
    delimiter: Annotated[str | None, typer.Option(help="CSV：分隔符（默认自动识别）")] = None,
    header_row: Annotated[int | None, typer.Option(help="表头所在行号（默认自动识别）")] = None,
    table: Annotated[str | None, typer.Option(help="数据库：表名")] = None,
    query: Annotated[str | None, typer.Option(help="数据库：一条 SELECT 查询语句")] = None,
    records_path: Annotated[str | None, typer.Option(help="JSON/接口：记录数组所在的键，如 data")] = None,
    rows: Annotated[int, typer.Option(help="显示的行数")] = 20,
) -> None:
    """预览数据源：识别出的编码、分隔符、工作表与表头，以及前若干行（全部按文本读取）。"""
    spec = source_spec(source, sheet=sheet, encoding=encoding, delimiter=delimiter, header_row=header_row,
                       table=table, query=query, records_path=records_path)
    with Platform.for_command() as platform:
        found = service.preview_source(platform.uow(), system_actor("zhengshu ingest preview"), spec, rows)
    console.print(f"数据源：{found.source}（{found.kind}）")
    for key, value in found.detected.items():
        console.print(f"{DETECTED_TITLES.get(key, key)}：{value}")
    console.print(f"列（{len(found.columns)}）：{'、'.join(found.columns)}")
    table_view = Table()
    table_view.add_column("行号", justify="right")
    for column in found.columns:
        table_view.add_column(column)
    for number, values in zip(found.row_numbers, found.rows, strict=True):
        table_view.add_row(str(number), *("" if v is None else v for v in values))
    console.print(table_view)
    for bad in found.rejected:
        console.print(f"第 {bad['row']} 行未读入：{bad['problem']}：{bad['text']}")
