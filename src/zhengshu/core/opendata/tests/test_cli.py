"""`zhengshu opendata list | refresh | stats` on the test databases: a new source version that fails the gate
is withdrawn by the nightly refresh's command."""

from __future__ import annotations

import json
import sys

import polars as pl
import pytest

from zhengshu import cli
from zhengshu.core.datasets import service as datasets
from zhengshu.core.opendata.tests.conftest import ECO, air, officer, open_air
from zhengshu.settings import Settings


def run(settings: Settings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        *args: str) -> tuple[int, str]:
    monkeypatch.setenv("ZHENGSHU_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("ZHENGSHU_DATABASE_URL", str(settings.database_url))
    monkeypatch.setattr(sys, "argv", ["zhengshu", "opendata", *args])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    return int(exited.value.code or 0), capsys.readouterr().out


def test_list_refresh_and_stats(city, settings: Settings, monkeypatch, capsys) -> None:
    open_air(city)
    code, out = run(settings, monkeypatch, capsys, "list")
    assert code == 0 and out.splitlines() == ["air-quality-daily  已开放  空气质量日报（按站点）  市公安局  30 行"]
    assert run(settings, monkeypatch, capsys, "refresh")[1].strip() == "air-quality-daily  unchanged"
    leaked = air().with_columns(pl.lit("13800138000").alias("站点"))
    datasets.write_version(city.uow(), officer(ECO), city.ctx.store, "air-daily", leaked, publish=True)
    assert run(settings, monkeypatch, capsys, "refresh")[1].strip() == "air-quality-daily  withdrawn"
    code, out = run(settings, monkeypatch, capsys, "stats", "--days", "7")
    assert code == 0 and json.loads(out)["downloads"] == 0
    assert run(settings, monkeypatch, capsys, "stats", "--days", "0")[0] != 0  # a bad value: an exit code
