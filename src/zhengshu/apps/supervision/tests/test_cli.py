"""`zhengshu supervision import | plans | export` on the test databases: the seed plan's task count, the
problems named, and errors as one Chinese line with an exit code."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from zhengshu.apps.supervision.tests.conftest import SEED_PLAN

pytestmark = pytest.mark.usefixtures("seeded")  # the department tree


def test_import_the_seed_plan_then_export(run_cli, tmp_path: Path) -> None:
    code, out, _ = run_cli("supervision", "import", str(SEED_PLAN))
    assert code == 0 and "已导入《秦皇岛市加强数字政府建设实施方案》：10 个部分，共 42 项任务" in out
    assert "需要处理的问题" not in out
    code, out, _ = run_cli("supervision", "plans")
    assert code == 0 and "42 项任务  每月报送" in out
    plan_id = out.split()[0]
    target = tmp_path / "台账.xlsx"
    code, out, _ = run_cli("supervision", "export", plan_id, str(target))
    assert code == 0 and load_workbook(target, read_only=True)["任务"].max_row == 43


def test_unknown_names_are_listed_and_the_rest_imported(run_cli, tmp_path: Path) -> None:
    plan = tmp_path / "plan.txt"
    plan.write_text("二、主要任务\n（一）基础\n1.甲。（牵头单位：市大数据中心、市公安局）\n", encoding="utf-8")
    code, out, _ = run_cli("supervision", "import", str(plan), "--cycle", "weekly")
    assert code == 0 and "共 1 项任务，1 条任务分工" in out
    assert "任务（一）1“甲”：部门树中没有“市大数据中心”" in out


@pytest.mark.parametrize(("args", "says"), [
    (("supervision", "import", "/nonexistent/plan.txt"), "无法读取"),
    (("supervision", "import", str(SEED_PLAN), "--cycle", "daily"), "报送周期"),
])
def test_errors_are_one_line(run_cli, args: tuple[str, ...], says: str) -> None:
    code, _, err = run_cli(*args)
    assert code == 2 and says in err and "Traceback" not in err
