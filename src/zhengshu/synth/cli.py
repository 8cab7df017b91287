"""`zhengshu synth city`: write a synthetic city to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from zhengshu.kernel.errors import InvalidInput
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig, DirtRates
from zhengshu.web.forms import parse_form

console = Console(highlight=False)
app = typer.Typer(name="synth", help="合成城市：生成带真值的模拟部门数据", no_args_is_help=True)


def parse_rates(pairs: list[str]) -> DirtRates:
    """`typo=0.05 missing=0.1` → DirtRates, every name and value checked."""
    values: dict[str, float] = {}
    for pair in pairs:
        name, _, text = pair.partition("=")
        if name not in DirtRates.model_fields:
            known = "、".join(DirtRates.model_fields)
            raise InvalidInput(f"未知的错误类型 {name!r}（可用：{known}）", field="rate")
        try:
            values[name] = float(text)
        except ValueError:
            raise InvalidInput(f"错误率 {pair!r} 的值须为 0 到 1 之间的小数", field="rate") from None
    return parse_form(DirtRates, **values)


@app.command("city")
def city(
    persons: Annotated[int, typer.Option(help="人口数")] = 20_000,
    seed: Annotated[int, typer.Option(help="随机种子：相同的种子生成相同的城市")] = 0,
    out: Annotated[Path, typer.Option(help="输出目录")] = Path("var/city"),
    rate: Annotated[list[str] | None, typer.Option(help="错误率，如 --rate typo=0.05（可多次）")] = None,
    overwrite: Annotated[bool, typer.Option(help="覆盖已有的输出目录")] = False,
) -> None:
    """生成合成城市：truth/（真值）、sources/（各部门数据）、links/（每行的真值与注入的错误）。"""
    config = parse_form(CityConfig, persons=persons, seed=seed, rates=parse_rates(rate or []))
    with console.status("正在生成……") as status:
        report = generate_city(config, out, overwrite=overwrite, progress=lambda s: status.update(f"正在生成：{s}"))
    console.print(f"已生成合成城市：{report.out}")
    console.print(f"人口 {report.persons:,} 人，法人 {report.entities:,} 个，"
                  f"{len(report.files)} 个部门文件共 {report.source_rows:,} 行")
