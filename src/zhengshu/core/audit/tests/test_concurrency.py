"""Several writers at once, in threads and in another process (a CLI beside the server), starting from an
empty chain (so they also race to create its head): one unbroken chain, seq without gaps; and a verifier
running meanwhile never reports a false break."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

from sqlalchemy import select

from zhengshu.core.audit import service
from zhengshu.core.audit.tables import records
from zhengshu.kernel.actor import Actor
from zhengshu.modules import Platform
from zhengshu.settings import Settings

OTHER_PROCESS = """
import sys
import time
from dataclasses import dataclass

from zhengshu.kernel.actor import Actor, ActorKind
from zhengshu.kernel.events import DomainEvent
from zhengshu.modules import Platform
from zhengshu.settings import load_settings


@dataclass(frozen=True, kw_only=True)
class Appended(DomainEvent):
    action = "test.appended_by_other_process"


platform = Platform.start(load_settings())
actor = Actor(kind=ActorKind.SYSTEM, id="other-process", name="命令行")
for i in range(int(sys.argv[1])):
    with platform.uow() as uow:
        uow.emit(Appended(actor=actor, target=f"n:{i}"))
        uow.commit()
    time.sleep(0.02)  # a CLI's pace: SQLite's lock is not fair, and without a pause one writer may keep it
platform.database.dispose()
"""

THREADS = 4
PROCESS_EVENTS = 30
MAX_SECONDS = 20  # the threads keep appending until the other process is done, within this


def test_threads_and_another_process_append_one_chain(platform: Platform, settings: Settings, admin: Actor,
                                                      append) -> None:
    environment = {
        **os.environ,
        "ZHENGSHU_DATABASE_URL": settings.resolved_database_url,
        "ZHENGSHU_DATA_DIR": str(settings.data_dir),  # the same keys as this platform
        "ZHENGSHU_AUDIT_CHECKPOINT_EVERY": str(settings.audit_checkpoint_every),
    }
    other = subprocess.Popen([sys.executable, "-c", OTHER_PROCESS, str(PROCESS_EVENTS)], env=environment,
                             stderr=subprocess.PIPE, text=True)
    failures: list[BaseException] = []
    counts = [0] * THREADS
    start = threading.Barrier(THREADS)

    def writer(index: int) -> None:
        try:
            start.wait()
            until = time.monotonic() + MAX_SECONDS
            while time.monotonic() < until and (counts[index] < 10 or other.poll() is None):
                append(1, target=f"thread-{index}:{{i}}")
                counts[index] += 1
        except BaseException as exc:  # reported by the test below
            failures.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    verdicts = []  # verifying while others append sees one consistent snapshot: never a false alarm
    while any(thread.is_alive() for thread in threads):
        verdicts.append(service.verify_chain(platform.uow(), admin, platform.audit_key.public_key_hex))
    for thread in threads:
        thread.join()
    _, errors = other.communicate(timeout=30)
    assert other.returncode == 0, errors
    assert failures == []
    assert verdicts and all(v.ok for v in verdicts), [v.summary for v in verdicts if not v.ok]

    with platform.database.reading() as session:
        rows = list(session.execute(select(records.c.seq, records.c.actor).order_by(records.c.seq)))
    total = sum(counts) + PROCESS_EVENTS
    assert [r.seq for r in rows] == list(range(1, total + 1))
    from_process = [r.seq for r in rows if r.actor == "system:other-process"]
    assert len(from_process) == PROCESS_EVENTS
    assert from_process[-1] - from_process[0] + 1 > PROCESS_EVENTS  # interleaved with the threads' records
    result = service.verify_chain(platform.uow(), admin, platform.audit_key.public_key_hex)
    assert (result.ok, result.records_checked) == (True, total), result.summary
    assert result.checkpoints_checked >= total // settings.audit_checkpoint_every
