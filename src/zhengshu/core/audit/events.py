"""Events of the audit module. Reading the log is not an event; exporting it and signing a checkpoint are."""

from __future__ import annotations

from dataclasses import dataclass, field

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class AuditExported(DomainEvent):
    """Someone exported audit records (审计日志导出), up to and including this event's own record."""

    action = "audit.exported"
    format: str = "csv"
    filters: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class AuditCheckpointCreated(DomainEvent):
    """Someone asked for a signed checkpoint now; the recorder signs one at this event's own record."""

    action = "audit.checkpoint_created"
