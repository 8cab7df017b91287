"""Unit of work: one write transaction and the events it emits.

A service does `with uow: ...; uow.emit(SomethingHappened(...)); uow.commit()`. At commit the events are
published to their handlers inside the same transaction (the audit recorder appends its records there), then
the transaction commits. Leaving the block without commit rolls everything back, events included.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType

from sqlalchemy.orm import Session

from zhengshu.kernel.database import Database
from zhengshu.kernel.events import DomainEvent, EventBus


class UnitOfWork:
    def __init__(self, database: Database, bus: EventBus) -> None:
        self.database = database
        self.bus = bus
        self._session: Session | None = None
        self._pending: list[DomainEvent] = []
        self.published: list[DomainEvent] = []

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("UnitOfWork used outside its `with` block")
        return self._session

    def __enter__(self) -> UnitOfWork:
        if self._session is not None:
            raise RuntimeError("UnitOfWork is not re-entrant")
        self._session = self.database.write_session()
        self._pending = []
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        session, self._session = self._session, None
        if session is not None:
            session.rollback()
            session.close()
        self._pending = []

    def emit(self, event: DomainEvent) -> None:
        """Record that something happened; handlers see it when the transaction commits."""
        self._pending.append(event)

    def commit(self) -> None:
        session = self.session
        while self._pending:
            event = self._pending.pop(0)
            self.bus.publish(session, event)
            self.published.append(event)
        session.commit()

    def reading(self) -> AbstractContextManager[Session]:
        """A read-only session outside any write transaction."""
        return self.database.reading()
