"""Background jobs (后台任务) over huey: one queue per platform, tasks registered by name by the modules.

The queue lives where settings say (`ZHENGSHU_JOBS_URL`): by default a SQLite file in the data directory (the
embedded default, no server needed); `redis://…` for a deployment with several machines. The same task code
runs either way. A worker is a set of threads in the web server's process (`zhengshu serve` / `demo` start one)
or a process of its own (`zhengshu jobs worker`).

Huey's consumer is started here without its signal handlers (it would take SIGINT from the web server or the
test runner): its scheduler and worker threads are started and stopped directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey, TaskWrapper
from huey.consumer import Consumer

log = logging.getLogger(__name__)


def open_queue(url: str | None, data_dir: Path) -> Huey:
    """The queue: `redis://…` or, by default, `<data_dir>/jobs.db` (SQLite)."""
    if url and url.startswith(("redis://", "rediss://")):
        return RedisHuey("zhengshu", url=url, results=False)
    path = Path(url.removeprefix("sqlite:///")) if url else data_dir / "jobs.db"
    path.parent.mkdir(parents=True, exist_ok=True)
    return SqliteHuey("zhengshu", filename=str(path), results=False)


@dataclass
class Jobs:
    """The platform's queue and its tasks by name."""

    huey: Huey
    tasks: dict[str, TaskWrapper] = field(default_factory=dict)
    _consumer: Consumer | None = None

    def register(self, name: str, function: Callable[..., Any], *, daily_at: tuple[int, int] | None = None) -> None:
        """A task; with `daily_at` (hour, minute, in UTC) also run every day by the worker's scheduler."""
        if daily_at is None:
            self.tasks[name] = self.huey.task(name=name)(function)
        else:
            hour, minute = daily_at
            self.tasks[name] = self.huey.periodic_task(crontab(minute=str(minute), hour=str(hour)),
                                                       name=name)(function)

    def enqueue(self, name: str, *args: Any) -> None:
        self.tasks[name](*args)

    def start_worker(self, threads: int = 1) -> None:
        """Run tasks in this process, in `threads` threads, until `stop_worker`."""
        if self._consumer is not None:
            return
        consumer = self.huey.create_consumer(workers=threads, worker_type="thread", periodic=True,
                                             initial_delay=0.05, max_delay=1.0, check_worker_health=False)
        consumer.scheduler.start()
        for _, worker in consumer.worker_threads:
            worker.start()
        self._consumer = consumer
        log.info("job worker started with %s thread(s)", threads)

    def stop_worker(self) -> None:
        if self._consumer is not None:
            self._consumer.stop(graceful=True)
            self._consumer = None
