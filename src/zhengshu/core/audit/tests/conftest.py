"""Fixtures of the audit tests: a test event and a way to append many of them, one transaction each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from zhengshu.kernel.actor import Actor
from zhengshu.kernel.events import DomainEvent
from zhengshu.modules import Platform


@dataclass(frozen=True, kw_only=True)
class SomethingHappened(DomainEvent):
    action = "test.something_happened"
    number: int = 0
    note: str = ""


Append = Callable[..., None]


@pytest.fixture
def append(platform: Platform, admin: Actor) -> Append:
    """`append(n, actor=..., target=..., note=...)`: emit n test events, each in its own unit of work."""

    def _append(count: int = 1, *, actor: Actor | None = None, target: str = "thing:{i}",
                note: str = "") -> None:
        for i in range(count):
            event = SomethingHappened(actor=actor or admin, target=target.format(i=i), number=i, note=note)
            with platform.uow() as uow:
                uow.emit(event)
                uow.commit()

    return _append


