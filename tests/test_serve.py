"""`zhengshu serve --workers 2` beside a command line: every write from every process lands in one unbroken
audit chain (the issue's concurrency requirement, end to end, on both databases)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from tests.ports import free_port
from zhengshu.core.audit import service as audit
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import ClientCreate
from zhengshu.kernel.actor import Actor, system_actor
from zhengshu.migrations import upgrade_schema
from zhengshu.modules import Platform
from zhengshu.settings import Settings

REQUESTS = 40


def _environment(settings: Settings, platform: Platform) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith("ZHENGSHU_")},
        "ZHENGSHU_DATA_DIR": str(settings.data_dir),
        "ZHENGSHU_DATABASE_URL": settings.resolved_database_url,
        "ZHENGSHU_SECRET_KEY": platform.secret_key,
        "ZHENGSHU_AUDIT_SIGNING_KEY": platform.audit_key.private_key_hex,
        "ZHENGSHU_AUDIT_PUBLIC_KEY": platform.audit_key.public_key_hex,
        "ZHENGSHU_AUDIT_CHECKPOINT_EVERY": "7",
    }


@pytest.fixture
def server(settings: Settings, platform: Platform, tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    upgrade_schema(platform.database.engine)
    port = free_port()
    env = _environment(settings, platform)
    log = tmp_path / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "zhengshu", "serve", "--workers", "2", "--host", "127.0.0.1", "--port",
             str(port)], env=env, stdout=output, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the server did not start: {log.read_text()}")
        time.sleep(0.2)
    yield base, env
    process.terminate()
    process.wait(timeout=20)


def test_two_workers_and_a_command_line_append_one_chain(server, platform: Platform, admin: Actor) -> None:
    base, env = server
    identity.seed_city(platform.uow(), system_actor("test"))
    created = identity.create_client(platform.uow(), system_actor("test"),
                                     ClientCreate(name="户籍系统", organisation_code="130300003"))
    key, secret = created.client.client_key, created.client_secret
    before = audit.verify_chain(platform.uow(), admin, platform.audit_key.public_key_hex).records_checked

    def call(i: int) -> int:  # half right secrets, half wrong: each writes one audit record
        body = {"client_key": key, "client_secret": secret if i % 2 else "wrong"}
        return httpx.post(f"{base}/api/v1/identity/token", json=body, timeout=30).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = pool.map(call, range(REQUESTS))
        checkpoints = [subprocess.run([sys.executable, "-m", "zhengshu", "audit", "checkpoint"], env=env,
                                      capture_output=True, text=True, timeout=60) for _ in range(2)]
        statuses = list(statuses)
    assert sorted(set(statuses)) == [200, 401]
    assert all(done.returncode == 0 for done in checkpoints), [c.stderr for c in checkpoints]

    result = audit.verify_chain(platform.uow(), admin, platform.audit_key.public_key_hex)
    assert result.ok, result.summary
    assert result.records_checked == before + REQUESTS + len(checkpoints)
    assert result.checkpoints_checked >= REQUESTS // 7
