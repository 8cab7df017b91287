"""`zhengshu calendar ...` on the test databases: errors become one Chinese line and an exit code."""

from __future__ import annotations

from collections.abc import Callable

import pytest


@pytest.fixture
def run(run_cli: Callable[..., tuple[int, str, str]]) -> Callable[..., tuple[int, str, str]]:
    """`zhengshu.cli.main` against this test's database (the root conftest's `run_cli`)."""
    return run_cli


def test_seed_then_deadline(run) -> None:
    code, out, _ = run("calendar", "seed")
    assert code == 0 and "写入 2020、2021、2022、2023、2024、2025、2026 年，共 256 天" in out
    code, out, _ = run("calendar", "seed")
    assert code == 0 and "无需写入；已录入 2020–2026 年" in out
    code, out, _ = run("calendar", "deadline", "2026-09-28", "5")
    assert code == 0 and "2026-09-28 起 5 个工作日：2026-10-10（周六，12 个自然日后）" in out


def test_days_set_remove(run) -> None:
    run("calendar", "seed")
    code, out, _ = run("calendar", "set", "2027-01-01", "holiday", "元旦")
    assert code == 0 and "已设置 2027-01-01（周五）为节假日：元旦" in out
    code, out, _ = run("calendar", "days", "2027")
    assert code == 0 and "2027-01-01  周五  节假日  元旦" in out
    code, out, _ = run("calendar", "remove", "2027-01-01")
    assert code == 0 and "已删除 2027-01-01" in out
    code, out, _ = run("calendar", "days", "2027")
    assert "2027 年尚未录入节假日安排（已录入 2020–2026 年）" in out


@pytest.mark.parametrize(("args", "exit_code", "says"), [
    (("calendar", "deadline", "2026/09/28", "5"), 2, "日期格式应为 YYYY-MM-DD"),
    (("calendar", "deadline", "2026-12-30", "10"), 2, "尚未录入 2027 年"),
    (("calendar", "remove", "2026-03-03"), 3, "没有 2026-03-03"),
])
def test_errors_are_one_line(run, args: tuple[str, ...], exit_code: int, says: str) -> None:
    run("calendar", "seed")
    code, _, err = run(*args)
    assert code == exit_code and says in err and "Traceback" not in err
