"""Settings: typed, validated at start, one clear message for a bad value, no insecure production start."""

import subprocess
import sys

import pytest

from zhengshu.kernel.errors import ConfigurationError
from zhengshu.settings import Environment, load_settings


def test_defaults_are_the_embedded_database_in_the_data_directory(tmp_path) -> None:
    settings = load_settings(data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{(tmp_path / 'zhengshu.db').resolve()}"
    assert settings.environment is Environment.DEVELOPMENT
    assert (settings.host, settings.port) == ("127.0.0.1", 8000)


def test_a_bad_value_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZHENGSHU_PORT", "eighty")
    with pytest.raises(ConfigurationError) as caught:
        load_settings()
    assert "ZHENGSHU_PORT" in caught.value.message


def test_production_refuses_to_start_without_its_secrets(tmp_path) -> None:
    with pytest.raises(ConfigurationError) as caught:
        load_settings(environment="production", data_dir=tmp_path)
    for name in ("ZHENGSHU_SECRET_KEY", "ZHENGSHU_AUDIT_SIGNING_KEY", "ZHENGSHU_DATABASE_URL"):
        assert name in caught.value.message


def test_the_audit_key_halves_come_together(tmp_path) -> None:
    with pytest.raises(ConfigurationError):
        load_settings(data_dir=tmp_path, audit_signing_key="1" * 64)


def test_the_command_line_reports_a_bad_setting_in_one_line(tmp_path) -> None:
    env = {"ZHENGSHU_DATA_DIR": str(tmp_path), "ZHENGSHU_PORT": "0", "PATH": ""}
    result = subprocess.run([sys.executable, "-m", "zhengshu", "init"], env=env, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 7
    assert "ZHENGSHU_PORT" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1
