"""`zhengshu audit verify | export | checkpoint` against the test databases."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhengshu.core.audit.cli import app
from zhengshu.modules import Platform
from zhengshu.settings import Settings


@pytest.fixture
def environment(settings: Settings) -> dict[str, str]:
    return {
        "ZHENGSHU_DATABASE_URL": settings.resolved_database_url,
        "ZHENGSHU_DATA_DIR": str(settings.data_dir),
        "ZHENGSHU_AUDIT_CHECKPOINT_EVERY": str(settings.audit_checkpoint_every),
    }


@pytest.fixture
def run(environment: dict[str, str]):
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), env=environment)


def test_verify_reports_an_intact_chain(platform: Platform, append, run) -> None:
    append(12)
    result = run("verify")
    assert result.exit_code == 0, result.output
    assert "审计链完整：已校验 12 条记录、2 个签名检查点" in result.stdout


def test_verify_names_the_first_bad_record(platform: Platform, append, sql, run) -> None:
    append(12)
    sql("UPDATE audit_records SET target = 'user:victim' WHERE seq = 5")
    result = run("verify")
    assert result.exit_code == 1
    assert "第 5 条记录" in result.stderr and "record content does not match its hash" in result.stderr


def test_export_writes_the_filtered_records_and_is_recorded(platform: Platform, append, run,
                                                            tmp_path: Path) -> None:
    append(3)
    out = tmp_path / "审计.csv"
    result = run("export", "--out", str(out), "--action", "test.*", "--from", "2026-01-01")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeff序号,")
    rows = list(csv.reader(text.lstrip("\ufeff").splitlines()))
    assert [r[6] for r in rows[1:]] == ["test.something_happened"] * 3
    assert run("verify").stdout.startswith("审计链完整：已校验 4 条记录")  # the export was recorded


def test_checkpoint_signs_now(platform: Platform, append, run) -> None:
    append(2)
    result = run("checkpoint")
    assert result.exit_code == 0, result.output
    assert "已签发检查点：序号 3" in result.stdout
    assert "2 个签名检查点" in run("verify").stdout


def test_a_bad_option_is_one_line_without_traceback(environment: dict[str, str], platform: Platform) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "zhengshu", "audit", "export", "--out", os.devnull, "--from", "昨天"],
        env={**os.environ, **environment}, capture_output=True, text=True, timeout=60,
    )
    assert completed.returncode == 2
    assert "时间格式应为" in completed.stderr and "Traceback" not in completed.stderr


# The five ways of tampering by hand (the "done when"), each caught by the command itself.
# 12 records, signed checkpoints at 1 and 10 (the settings of the tests sign every 10).
TAMPERINGS = {
    "changed": (["UPDATE audit_records SET outcome = 'failure' WHERE seq = 4"], 4),
    "deleted": (["DELETE FROM audit_records WHERE seq = 6"], 6),
    "inserted": (["UPDATE audit_records SET seq = seq + 100 WHERE seq > 7",
                  "UPDATE audit_records SET seq = seq - 99 WHERE seq > 100",
                  "INSERT INTO audit_records (seq, occurred_at, actor, action, details, prev_hash, hash) "
                  "SELECT 8, occurred_at, actor, 'identity.user_created', details, hash, hash "
                  "FROM audit_records WHERE seq = 7"], 8),
    "reordered": (["UPDATE audit_records SET seq = -1 WHERE seq = 3",
                   "UPDATE audit_records SET seq = 3 WHERE seq = 2",
                   "UPDATE audit_records SET seq = 2 WHERE seq = -1"], 2),
    "truncated": (["DELETE FROM audit_records WHERE seq > 9",
                   "UPDATE audit_chain_head SET seq = 9, hash = (SELECT hash FROM audit_records WHERE seq = 9)"],
                  10),
}


@pytest.mark.parametrize("way", TAMPERINGS)
def test_verify_catches_each_way_of_tampering(platform: Platform, append, sql, run, way: str) -> None:
    append(12)
    assert run("verify").exit_code == 0
    statements, first_bad = TAMPERINGS[way]
    for statement in statements:
        sql(statement)
    result = run("verify")
    assert result.exit_code == 1, result.output
    assert f"第 {first_bad} 条记录" in result.stderr, result.stderr
