"""`preview_source` and `zhengshu ingest preview`: the first rows as text and what was detected, for those who
may preview, on both databases."""

from __future__ import annotations

import pytest
from conftest import make_actor
from typer.testing import CliRunner

from zhengshu import cli
from zhengshu.core.ingest import service
from zhengshu.core.ingest.domain import SourceProblem
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.permissions import Role
from zhengshu.modules import Platform
from zhengshu.settings import Settings

runner = CliRunner()


@pytest.fixture
def gbk_csv(tmp_path):
    file = tmp_path / "户籍.csv"
    lines = ["身份证号,姓名,电话"] + [f"1303021990010{i:04d}X,张{i},0138{i:07d}" for i in range(1, 51)]
    lines.insert(3, "坏行,只有两列")
    file.write_bytes("\r\n".join(lines).encode("gbk"))
    return file


def test_a_preview_shows_detected_settings_columns_and_first_rows(platform: Platform, gbk_csv) -> None:
    found = service.preview_source(platform.uow(), system_actor(), SourceSpec.for_location(str(gbk_csv)), rows=5)
    assert found.source == "户籍.csv" and found.kind == "csv"
    assert found.detected == {"encoding": "GB18030/GBK", "delimiter": "逗号 ,", "header_row": "1"}
    assert found.columns == ["身份证号", "姓名", "电话"]
    assert found.rows[0] == ["13030219900100001X", "张1", "01380000001"] and len(found.rows) == 5
    assert found.row_numbers == [2, 3, 5, 6, 7]
    assert found.rejected == [{"row": 4, "text": "坏行,只有两列", "problem": "字段数少于表头：本行 2 个字段，表头 3 列"
                               "（若是最后一行，文件可能不完整）"}]


@pytest.mark.parametrize("role", [Role.PLATFORM_ADMIN, Role.DATA_OFFICER])
def test_admins_and_data_officers_may_preview(platform: Platform, gbk_csv, role) -> None:
    spec = SourceSpec.for_location(str(gbk_csv))
    assert len(service.preview_source(platform.uow(), make_actor(role), spec, rows=1).rows) == 1


@pytest.mark.parametrize("role", [Role.ANALYST, Role.APPROVER, None])
def test_others_may_not_and_learn_nothing_of_the_source(platform: Platform, tmp_path, role) -> None:
    spec = SourceSpec.for_location(str(tmp_path / "missing.csv"))
    with pytest.raises(NotFound, match="未找到，或您无权访问"):
        service.preview_source(platform.uow(), make_actor(role), spec)


def test_the_number_of_rows_is_bounded(platform: Platform, gbk_csv) -> None:
    with pytest.raises(InvalidInput, match="预览行数"):
        service.preview_source(platform.uow(), system_actor(), SourceSpec.for_location(str(gbk_csv)), rows=0)


@pytest.fixture
def cli_env(settings: Settings, platform: Platform) -> dict[str, str]:
    assert settings.database_url
    return {"ZHENGSHU_DATA_DIR": str(settings.data_dir), "ZHENGSHU_DATABASE_URL": settings.database_url}


def test_the_command_prints_the_preview(cli_env, gbk_csv) -> None:
    result = runner.invoke(cli.app, ["ingest", "preview", str(gbk_csv), "--rows", "3"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "编码：GB18030/GBK" in result.output and "分隔符：逗号 ," in result.output
    assert "13030219900100001X" in result.output and "01380000001" in result.output
    assert "第 4 行未读入：字段数少于表头" in result.output


def test_the_command_takes_a_sheet_and_an_encoding(cli_env, tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes("名称;代码\n张三;007\n".encode("gbk"))
    result = runner.invoke(cli.app, ["ingest", "preview", str(file), "--encoding", "gbk"], env=cli_env)
    assert result.exit_code == 0, result.output
    assert "分隔符：分号 ;" in result.output and "007" in result.output


def test_the_command_reports_a_bad_source_as_an_error(cli_env, tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes(b"")
    result = runner.invoke(cli.app, ["ingest", "preview", str(file)], env=cli_env)
    assert isinstance(result.exception, SourceProblem) and "文件为空" in result.exception.message
    result = runner.invoke(cli.app, ["ingest", "preview", str(tmp_path / "t.doc")], env=cli_env)
    assert isinstance(result.exception, InvalidInput) and "无法从文件名判断数据源类型" in result.exception.message
    result = runner.invoke(cli.app, ["ingest", "preview", str(file), "--encoding", "nope"], env=cli_env)
    assert isinstance(result.exception, InvalidInput) and "未知的字符编码：nope" in result.exception.message
