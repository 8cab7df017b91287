"""`zhengshu datasets load | list | publish` on the test databases and data directory, as the platform."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhengshu import cli
from zhengshu.core.datasets import service
from zhengshu.core.datasets.domain import Filter, RecordQuery
from zhengshu.core.datasets.store import DatasetStore
from zhengshu.core.datasets.tests.conftest import HUKOU, MARKET, POLICE, SYSTEM, people
from zhengshu.kernel.errors import Conflict, InvalidInput, NotFound
from zhengshu.modules import Platform
from zhengshu.settings import Settings

runner = CliRunner()


@pytest.fixture
def cli_env(settings: Settings, seeded: Platform) -> dict[str, str]:
    assert settings.database_url
    return {"ZHENGSHU_DATA_DIR": str(settings.data_dir), "ZHENGSHU_DATABASE_URL": settings.database_url}


@pytest.fixture
def hukou_csv(tmp_path: Path) -> Path:
    """A GBK export, as departments send them."""
    file = tmp_path / "hukou.csv"
    file.write_bytes("身份证号,姓名,电话\r\n13030219900101001X,张三,013800138000\r\n130302199001010023,李四,0335\r\n"
                     .encode("gb18030"))
    return file


def load(cli_env: dict[str, str], *args: str):
    return runner.invoke(cli.app, ["datasets", "load", *args], env=cli_env)


def test_load_creates_writes_and_publishes(cli_env, seeded: Platform, store: DatasetStore, hukou_csv: Path) -> None:
    result = load(cli_env, HUKOU, str(hukou_csv), "--name", "常住人口户籍", "--owner", POLICE)
    assert result.exit_code == 0, result.output
    assert f"已写入{HUKOU} 第 1 版（2 行，当前版本）" in result.output
    page = service.read_records(seeded.uow(), SYSTEM, store, HUKOU,
                                RecordQuery(filters=(Filter("电话", "eq", "0335"),)))
    assert page.rows == [{"身份证号": "130302199001010023", "姓名": "李四", "电话": "0335"}]

    again = load(cli_env, HUKOU, str(hukou_csv))
    assert again.exit_code == 0 and "内容与已有版本相同，未新建版本" in again.output

    parquet = hukou_csv.with_suffix(".parquet")
    people(4).write_parquet(parquet)
    assert "第 2 版（4 行，未发布）" in load(cli_env, HUKOU, str(parquet), "--no-publish").output
    listed = runner.invoke(cli.app, ["datasets", "list"], env=cli_env)
    assert HUKOU in listed.output and "常住人口户籍" in listed.output
    published = runner.invoke(cli.app, ["datasets", "publish", HUKOU, "2"], env=cli_env)
    assert published.exit_code == 0 and "当前版本：第 2 版（4 行）" in published.output


@pytest.mark.parametrize(("args", "error"), [
    (["--name", "户籍"], InvalidInput),
    ([], NotFound),
    (["--name", "户籍", "--owner", "999"], InvalidInput),
])
def test_load_refuses_bad_input(cli_env, hukou_csv: Path, args: list[str], error: type) -> None:
    result = load(cli_env, HUKOU, str(hukou_csv), *args)
    assert isinstance(result.exception, error), result.output


def test_load_keeps_an_existing_dataset_s_owner(cli_env, hukou_csv: Path) -> None:
    assert load(cli_env, HUKOU, str(hukou_csv), "--name", "户籍", "--owner", POLICE).exit_code == 0
    result = load(cli_env, HUKOU, str(hukou_csv), "--name", "户籍", "--owner", MARKET)
    assert isinstance(result.exception, Conflict)
