"""Commands of ingestion, for operators, run as the platform: `zhengshu ingest preview SOURCE` and
`zhengshu ingest load [SOURCE] --resource CODE`."""

from __future__ import annotations

from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.ingest import service
from zhengshu.core.ingest.domain import parse_mapping_pairs
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


@ingest.command("load")
def load(
    source: Annotated[str | None, typer.Argument(help="数据源（同 preview）；省略时用资源已登记的数据源")] = None,
    resource: Annotated[str, typer.Option("--resource", help="资源代码，如 101001-0001")] = "",
    policy: Annotated[str | None, typer.Option(
        help="quarantine（加载有效行，隔离问题行，默认）或 all_or_nothing")] = None,
    mapping: Annotated[list[str] | None, typer.Option("--map", help="源列=信息项，可重复；默认按列名建议")] = None,
    save: Annotated[bool, typer.Option("--save/--no-save", help="把数据源、映射与策略登记为资源的数据源")] = False,
    sheet: Annotated[str | None, typer.Option(help="XLSX：工作表名称")] = None,
    encoding: Annotated[str | None, typer.Option(help="CSV：字符编码（默认自动识别）")] = None,
    table: Annotated[str | None, typer.Option(help="数据库：表名")] = None,
    query: Annotated[str | None, typer.Option(help="数据库：一条 SELECT 查询语句")] = None,
) -> None:
    """归集加载：读取 → 映射 → 标准化 → 校验 → 写入资源的新版本并发布（问题行连同原因另存）。"""
    if not resource.strip():
        raise InvalidInput("请用 --resource 指明资源代码。", field="resource")
    spec = source_spec(source, sheet=sheet, encoding=encoding, table=table, query=query) if source else None
    pairs = parse_mapping_pairs(mapping or [])
    actor = system_actor("zhengshu ingest load")
    with Platform.for_command() as platform, Progress(
            TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[rows]:,} 行"),
            TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("读取", total=None, rows=0)
        store = DatasetStore.for_data_dir(platform.settings.data_dir)
        if save and spec is not None:
            service.save_source(platform.uow(), actor, resource, spec, pairs, policy)
        result = service.load_source(platform.uow(), actor, store, resource, spec, mapping=pairs or None,
                                     policy=policy, progress=lambda stage, rows: bar.update(task, description=stage,
                                                                                           rows=rows))
    console.print(f"加载 {result.load_id}：{result.status_title}（读入 {result.rows_read:,} 行，加载 "
                  f"{result.rows_loaded:,} 行，问题行 {result.rows_rejected:,} 行）")
    if result.version is not None:
        same = "（内容未变，沿用）" if result.reused else ""
        console.print(f"数据集 {result.dataset_code} 第 {result.version} 版{same}")
    for column, changed in result.standardised.items():
        if changed:
            console.print(f"标准化：{column} 改写 {changed:,} 个值")
    for problem in result.problems:
        console.print(f"问题：{problem['problem']}（{problem['rows']:,} 行）")
    if result.rejected_path:
        console.print(f"问题行及原因：{platform.settings.data_dir / result.rejected_path}")
    if result.message:
        console.print(result.message)
    if result.status != "loaded":
        raise typer.Exit(5)
