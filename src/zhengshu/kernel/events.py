"""Domain events: every write emits one, past tense, inside the transaction that made the change.

Handlers subscribe per event class; a handler subscribed to `DomainEvent` sees every event (the audit
recorder does). Handlers run inside the same transaction, so if one fails the whole write rolls back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened. Subclasses name it in the past tense and set `action` (`identity.user_created`)."""

    action: ClassVar[str] = "event"
    actor: Actor
    target: str = ""  # what it happened to, e.g. "user:zhangsan", "department:130300-GA"
    outcome: str = "success"
    occurred_at: datetime = field(default_factory=clock.now)

    def details(self) -> dict[str, Any]:
        """Fields worth keeping in the audit record besides actor, target and outcome."""
        skip = {"actor", "target", "outcome", "occurred_at"}
        return {k: v for k, v in self.__dict__.items() if k not in skip}


Handler = Callable[[Any, DomainEvent], None]  # (session, event) -> None


class EventBus:
    """Dispatches events to handlers registered per class (and its subclasses)."""

    def __init__(self) -> None:
        self._handlers: list[tuple[type[DomainEvent], Handler]] = []

    def subscribe(self, event_type: type[DomainEvent], handler: Handler) -> None:
        self._handlers.append((event_type, handler))

    def subscribe_all(self, pairs: Iterable[tuple[type[DomainEvent], Handler]]) -> None:
        for event_type, handler in pairs:
            self.subscribe(event_type, handler)

    def publish(self, session: Any, event: DomainEvent) -> None:
        for event_type, handler in self._handlers:
            if isinstance(event, event_type):
                handler(session, event)
