"""Events of the dataset store (past tense; the audit log records each one).

`target` is always `dataset:<code>`; the version number is in the details.
"""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class DatasetCreated(DomainEvent):
    action = "datasets.dataset_created"
    code: str
    name: str
    owner_code: str


@dataclass(frozen=True, kw_only=True)
class DatasetVersionStarted(DomainEvent):
    """A version number was reserved and its files are being written (status `writing`)."""

    action = "datasets.version_started"
    code: str
    version: int
    row_count: int


@dataclass(frozen=True, kw_only=True)
class DatasetVersionWritten(DomainEvent):
    """The version's files are in place under their final name (status `ready`)."""

    action = "datasets.version_written"
    code: str
    version: int
    row_count: int
    content_hash: str


@dataclass(frozen=True, kw_only=True)
class DatasetVersionFailed(DomainEvent):
    """Writing the version's files failed; nothing of it is served (status `failed`)."""

    action = "datasets.version_failed"
    code: str
    version: int
    reason: str


@dataclass(frozen=True, kw_only=True)
class DatasetVersionPublished(DomainEvent):
    """The dataset's current version now points at `version` (`previous`: where it pointed before)."""

    action = "datasets.version_published"
    code: str
    version: int
    previous: int | None


@dataclass(frozen=True, kw_only=True)
class DatasetRecordsRead(DomainEvent):
    """Someone read records (or counted them). Filter values are not kept: they may be personal data."""

    action = "datasets.records_read"
    code: str
    version: int
    columns: tuple[str, ...]
    filters: tuple[str, ...]  # "column op"
    sort: tuple[str, ...]  # "column asc|desc"
    rows: int
    counted: bool = False
