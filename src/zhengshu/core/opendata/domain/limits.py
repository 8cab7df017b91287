"""The open API's rate limit (限流): a sliding one-minute window per caller (a developer key, or the address of
an anonymous caller), kept in the process.

Written by hand because it is twenty lines: `slowapi`/`limits` would bring their own storage and decorators
for the same window. Kept in memory on purpose: a counter in the database per call would cost more than the
call. With several web workers each holds its own window, so the effective limit is the setting times the
workers — documented in docs/modules/opendata.md.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from zhengshu.kernel.errors import QuotaExceeded

WINDOW = 60.0
MAX_CALLERS = 100_000  # callers remembered; the oldest-seen are forgotten first past this


class RateLimiter:
    def __init__(self, clock=time.monotonic) -> None:
        self._calls: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._clock = clock

    def hit(self, caller: str, per_minute: int) -> int:
        """Count one call; QuotaExceeded (429) past `per_minute` in the last minute. Returns calls left."""
        now = self._clock()
        with self._lock:
            calls = self._calls.pop(caller, None) or deque()
            self._calls[caller] = calls  # most recently seen last
            while calls and calls[0] <= now - WINDOW:
                calls.popleft()
            if len(calls) >= per_minute:
                wait = max(int(calls[0] + WINDOW - now) + 1, 1)
                raise QuotaExceeded(f"请求过于频繁：每分钟最多 {per_minute} 次，请 {wait} 秒后再试；"
                                    "注册开发者并使用密钥可获得更高的限额。",
                                    details={"retry_after": wait, "limit": per_minute})
            calls.append(now)
            if len(self._calls) > MAX_CALLERS:
                del self._calls[next(iter(self._calls))]
            return per_minute - len(calls)
