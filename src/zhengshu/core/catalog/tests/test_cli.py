"""`zhengshu catalog list | show | export | reindex` on the test databases, through the root command's error
mapping (a bad value or an unknown code is one Chinese line and an exit code)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from zhengshu import cli
from zhengshu.settings import Settings

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture
def zhengshu(settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Run:
    """`zhengshu <args>` against this test's database: (exit code, stdout, stderr)."""
    assert settings.database_url
    for name, value in (("DATA_DIR", str(settings.data_dir)), ("DATABASE_URL", settings.database_url),
                        ("PUBLIC_URL", "https://data.qhd.gov.cn")):
        monkeypatch.setenv(f"ZHENGSHU_{name}", value)

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["zhengshu", "catalog", *args])
        with pytest.raises(SystemExit) as exited:
            cli.main()
        out, err = capsys.readouterr()
        return int(exited.value.code or 0), out, err

    return run


def test_list_searches_and_filters(catalogue: dict[str, str], zhengshu: Run) -> None:
    code, out, _ = zhengshu("list", "--query", "人口")
    lines = out.splitlines()
    assert code == 0 and lines[0] == f"{catalogue['population']}  已发布  户籍人口基本信息  市公安局"
    assert lines[-1] == "共 4 项资源（检索词：人口）"  # the operator sees drafts too
    code, out, _ = zhengshu("list", "--query", "人口", "--status", "registered", "--json")
    page = json.loads(out)
    assert code == 0 and [e["code"] for e in page["entries"]] == [catalogue["draft"]]
    assert page["facets"]["status"][0] == {"value": "registered", "label": "已注册", "count": 1}
    code, out, _ = zhengshu("list", "--limit", "2")
    assert code == 0 and out.splitlines()[-1] == "共 5 项资源，列出前 2 项"


def test_show_an_entry(catalogue: dict[str, str], zhengshu: Run) -> None:
    code, out, _ = zhengshu("show", catalogue["licences"])
    assert code == 0 and "资源名称：企业营业执照登记信息" in out and "格式：电子表格 xlsx" in out
    assert "  统一社会信用代码  字符型(50)  一般数据  非个人信息" in out
    code, out, _ = zhengshu("show", catalogue["licences"], "--json")
    assert json.loads(out)["entry"]["provider_name"] == "市市场监管局"


def test_export_as_json_and_dcat(catalogue: dict[str, str], zhengshu: Run, tmp_path: Path) -> None:
    target = tmp_path / "catalog.jsonld"
    code, _, err = zhengshu("export", "--format", "dcat", "--output", str(target))
    assert code == 0 and f"已导出 4 项资源到 {target}" in err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert doc["@type"] == "dcat:Catalog" and doc["@id"] == "https://data.qhd.gov.cn/catalog"
    assert catalogue["draft"] not in {d["dct:identifier"] for d in doc["dcat:dataset"]}
    code, out, _ = zhengshu("export")
    assert code == 0 and json.loads(out)["count"] == 5


def test_reindex_says_how_large_the_index_is(catalogue: dict[str, str], zhengshu: Run) -> None:
    code, out, _ = zhengshu("reindex")
    assert code == 0 and out.startswith("检索索引：5 项资源，") and "个词" in out


@pytest.mark.parametrize(("args", "exit_code", "says"), [
    (("show", "109999-0001"), 3, "未找到"),
    (("list", "--status", "lost"), 2, "状态"),
    (("export", "--format", "xml"), 2, "xml"),
])
def test_errors_are_one_line_and_an_exit_code(catalogue: dict[str, str], zhengshu: Run, args: tuple[str, ...],
                                              exit_code: int, says: str) -> None:
    code, _, err = zhengshu(*args)
    assert code == exit_code and says in err and "Traceback" not in err
