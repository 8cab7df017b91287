"""`zhengshu users create`, `zhengshu clients create` and `zhengshu init`, on the test databases and on a
fresh data directory; errors become one Chinese line and an exit code, never a traceback."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhengshu import cli
from zhengshu.core.identity import service
from zhengshu.core.identity.credentials import TokenSigner
from zhengshu.core.identity.schemas import TokenRequest
from zhengshu.kernel.actor import PUBLIC
from zhengshu.kernel.errors import InvalidInput
from zhengshu.modules import Platform
from zhengshu.settings import Settings

POLICE = "130300003"
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/x"
runner = CliRunner()


@pytest.fixture
def cli_env(settings: Settings, seeded: Platform) -> dict[str, str]:
    """The environment that points the command line at this test's (seeded) database."""
    assert settings.database_url
    return {"ZHENGSHU_DATA_DIR": str(settings.data_dir), "ZHENGSHU_DATABASE_URL": settings.database_url}


def create_user_args(*extra: str, department: str = POLICE, username: str = "zhangsan",
                     name: str = "张三") -> list[str]:
    return ["users", "create", "--username", username, "--name", name, "--department", department,
            "--role", "data_officer", *extra]


@pytest.fixture
def run_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable:
    """Run `zhengshu.cli.main` (the real error mapping) in this process: (exit code, stdout, stderr)."""

    def run(args: list[str], env: dict[str, str]) -> tuple[int, str, str]:
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "argv", ["zhengshu", *args])
        with pytest.raises(SystemExit) as exited:
            cli.main()
        captured = capsys.readouterr()
        return int(exited.value.code or 0), captured.out, captured.err

    return run


# --- users and clients on the test databases ------------------------------------------------------------

def test_users_create(cli_env: dict[str, str], seeded: Platform, admin, audit_trail) -> None:
    result = runner.invoke(cli.app, create_user_args("--password", "Qhd-2024-Test"), env=cli_env)
    assert result.exit_code == 0, result.output
    assert "已创建用户 zhangsan（张三，市公安局，部门数据官）" in result.output
    [user] = service.list_users(seeded.uow(), admin)
    assert (user.username, user.organisation_code, user.roles) == ("zhangsan", POLICE, ["data_officer"])
    assert audit_trail()[-1][:3] == ("identity.user_created", "system:system", "user:zhangsan")
    signed = service.sign_in(seeded.uow(), PUBLIC, "zhangsan", "Qhd-2024-Test", seeded.settings)
    assert signed.actor.department_code == POLICE


def test_users_create_asks_for_the_password_twice(cli_env: dict[str, str], seeded: Platform, admin) -> None:
    mismatch = runner.invoke(cli.app, create_user_args(), env=cli_env,
                             input="Qhd-2024-Test\nQhd-2024-Tset\nQhd-2024-Test\nQhd-2024-Test\n")
    assert mismatch.exit_code == 0, mismatch.output
    assert "Qhd-2024-Test" not in mismatch.output  # hidden input
    service.sign_in(seeded.uow(), PUBLIC, "zhangsan", "Qhd-2024-Test", seeded.settings)


def test_names_are_printed_as_typed(cli_env: dict[str, str]) -> None:
    """Brackets and colons in a name are text, not terminal markup."""
    result = runner.invoke(cli.app, create_user_args("--password", "Qhd-2024-Test", name="[/b]张三:smile:"),
                           env=cli_env)
    assert result.exit_code == 0, result.output
    assert "[/b]张三:smile:" in result.output


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (create_user_args("--password", "Qhd-2024-Test", department="999999999"), "organisation_code"),
        (create_user_args("--password", "weak"), "password"),
        (create_user_args("--password", "Qhd-2024-Test", department="130300"), "roles"),
        (create_user_args("--password", "Qhd-2024-Test", username="Zhang San"), "username"),
        (["clients", "create", "--name", "人口系统", "--department", "999999999"], "organisation_code"),
        (["clients", "create", "--name", "人口系统", "--department", "130302"], "organisation_code"),
    ],
    ids=["unknown-department", "weak-password", "officer-in-city", "bad-username",
         "client-unknown-department", "client-in-district"],
)
def test_bad_input_is_refused(cli_env: dict[str, str], sql, args: list[str], field: str) -> None:
    result = runner.invoke(cli.app, args, env=cli_env)
    assert result.exit_code != 0
    assert isinstance(result.exception, InvalidInput), result.output
    assert result.exception.field == field
    assert sql("SELECT count(*) FROM identity_users") == [(0,)]
    assert sql("SELECT count(*) FROM identity_api_clients") == [(0,)]


def test_clients_create_prints_a_working_secret_once(cli_env: dict[str, str], seeded: Platform) -> None:
    result = runner.invoke(cli.app, ["clients", "create", "--name", "公安人口系统", "--department", POLICE],
                           env=cli_env)
    assert result.exit_code == 0, result.output
    assert "已注册接入系统：公安人口系统（市公安局）" in result.output
    key = re.search(r"^client_key\s+= (zs_[0-9a-f]+)$", result.output, re.M).group(1)
    secret = re.search(r"^client_secret = (\S+)$", result.output, re.M).group(1)
    signer = TokenSigner(seeded.secret_key, seeded.settings.token_ttl_seconds)
    request = TokenRequest(client_key=key, client_secret=secret)
    token = service.issue_token(seeded.uow(), PUBLIC, request, signer)
    assert service.actor_for_token(seeded.uow(), token.access_token, signer).department_code == POLICE


def test_main_maps_bad_input_to_exit_2_and_one_line(run_main, cli_env: dict[str, str]) -> None:
    args = create_user_args("--password", "Qhd-2024-Test", department="999999999")
    code, out, err = run_main(args, cli_env)
    assert code == 2
    assert err.strip() == "错误：部门代码不存在：999999999"
    assert "Traceback" not in err + out


def test_main_prints_messages_as_text(run_main, cli_env: dict[str, str]) -> None:
    code, _, err = run_main(create_user_args("--password", "Qhd-2024-Test", department="[/x]"), cli_env)
    assert code == 2
    assert err.strip() == "错误：部门代码不存在：[/x]"


# --- a fresh data directory, end to end in a real process -----------------------------------------------

def zhengshu(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in __import__("os").environ.items() if not k.startswith("ZHENGSHU_")}
    return subprocess.run([sys.executable, "-m", "zhengshu", *args], env={**clean, **env},
                          capture_output=True, text=True, timeout=120, check=False)


def test_init_on_a_fresh_data_directory_twice(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    env = {"ZHENGSHU_DATA_DIR": str(data_dir)}
    outputs = []
    for _ in range(2):
        done = zhengshu("init", env=env)
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        outputs.append(done.stdout)
    for output in outputs:
        assert "数据库已就绪：sqlite:///" in output and "行政区划与部门：68 个" in output
    assert (data_dir / "zhengshu.db").is_file()
    assert (data_dir / "keys" / "secret_key").stat().st_mode & 0o077 == 0  # the key is the owner's only

    import sqlite3

    with sqlite3.connect(data_dir / "zhengshu.db") as connection:
        organisations = connection.execute("SELECT count(*) FROM identity_organisations").fetchone()[0]
        seeded = connection.execute(
            "SELECT count(*) FROM audit_records WHERE action = 'identity.organisations_seeded'").fetchone()[0]
        revisions = sorted(r for (r,) in connection.execute("SELECT version_num FROM alembic_version"))
    connection.close()
    assert (organisations, seeded) == (68, 1)  # the second run changed nothing
    assert {"audit_0001", "calendar_0001"} <= set(revisions)  # one branch per module


@pytest.fixture(scope="module")
def unreachable(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    data_dir = tmp_path_factory.mktemp("unreachable")
    return zhengshu("init", env={"ZHENGSHU_DATA_DIR": str(data_dir), "ZHENGSHU_DATABASE_URL": UNREACHABLE})


def test_unreachable_database_is_exit_7_in_chinese(unreachable: subprocess.CompletedProcess[str]) -> None:
    assert unreachable.returncode == 7
    assert unreachable.stderr.startswith("错误：无法连接数据库 postgresql+psycopg://postgres@127.0.0.1:1/x")
    assert "Traceback" not in unreachable.stderr and "Traceback" not in unreachable.stdout


def test_unreachable_database_message_is_one_line(unreachable: subprocess.CompletedProcess[str]) -> None:
    assert len(unreachable.stderr.strip().splitlines()) == 1
