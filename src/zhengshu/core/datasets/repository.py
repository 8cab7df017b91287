"""Write-side SQL of the dataset store. Functions take the unit of work's session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import column, func, insert, select, table, update
from sqlalchemy.orm import Session

from zhengshu.core.datasets.domain import Column, DatasetRef, VersionStatus
from zhengshu.core.datasets.tables import datasets, versions
from zhengshu.kernel import clock

# The identity module's organisations, which `datasets.owner_code` references (a foreign key); only
# their codes are read here, to turn an unknown owner into a clear message instead of a database error.
_organisations = table("identity_organisations", column("code"))


def organisation_exists(session: Session, code: str) -> bool:
    query = select(func.count()).select_from(_organisations).where(_organisations.c.code == code)
    return session.execute(query).scalar_one() > 0


def code_taken(session: Session, code: str) -> bool:
    query = select(func.count()).select_from(datasets).where(datasets.c.code == code)
    return session.execute(query).scalar_one() > 0


def add_dataset(session: Session, *, code: str, name: str, owner_code: str) -> None:
    session.execute(insert(datasets).values(code=code, name=name, owner_code=owner_code, current_version=None,
                                            created_at=clock.now()))


def dataset_for_update(session: Session, code: str) -> DatasetRef | None:
    """The dataset's row, locked until commit on PostgreSQL (SQLite's BEGIN IMMEDIATE already holds the
    write lock), so that version numbers and the current-version pointer change one writer at a time."""
    query = select(datasets).where(datasets.c.code == code).with_for_update()
    row = session.execute(query).mappings().first()
    if row is None:
        return None
    return DatasetRef(row["id"], row["code"], row["name"], row["owner_code"], row["current_version"])


def ready_version_with_hash(session: Session, dataset_id: int, content_hash: str) -> int | None:
    """The lowest ready version holding exactly this content, if any."""
    query = (
        select(func.min(versions.c.version))
        .where(versions.c.dataset_id == dataset_id, versions.c.content_hash == content_hash,
               versions.c.status == VersionStatus.READY.value)
    )
    return session.execute(query).scalar_one()


def version_status(session: Session, dataset_id: int, number: int) -> VersionStatus | None:
    query = select(versions.c.status).where(versions.c.dataset_id == dataset_id, versions.c.version == number)
    status = session.execute(query).scalar_one_or_none()
    return VersionStatus(status) if status is not None else None


def reserve_version(session: Session, *, dataset_id: int, path_for: Callable[[int], str], row_count: int,
                    columns: tuple[Column, ...], content_hash: str, created_by: str) -> int:
    """Insert the next version number as `writing`; returns the number. `path_for(number)` gives its path.
    The caller holds the dataset's lock (`dataset_for_update`)."""
    latest = session.execute(
        select(func.max(versions.c.version)).where(versions.c.dataset_id == dataset_id)
    ).scalar_one()
    number = (latest or 0) + 1
    session.execute(
        insert(versions).values(
            dataset_id=dataset_id, version=number, status=VersionStatus.WRITING.value, row_count=row_count,
            columns=[c.as_dict() for c in columns], content_hash=content_hash,
            path=path_for(number),
            created_at=clock.now(), created_by=created_by,
        )
    )
    return number


def set_status(session: Session, dataset_id: int, number: int, status: VersionStatus,
               failure: str | None = None) -> None:
    session.execute(
        update(versions)
        .where(versions.c.dataset_id == dataset_id, versions.c.version == number)
        .values(status=status.value, failure=failure)
    )


def set_current(session: Session, dataset_id: int, number: int) -> None:
    session.execute(update(datasets).where(datasets.c.id == dataset_id).values(current_version=number))


def abandoned_versions(session: Session, before: datetime) -> list[dict[str, Any]]:
    """Versions still `writing` that were reserved before a moment: their writer died (a killed process)."""
    query = (select(versions.c.dataset_id, versions.c.version, versions.c.path, datasets.c.code)
             .join(datasets, datasets.c.id == versions.c.dataset_id)
             .where(versions.c.status == VersionStatus.WRITING.value, versions.c.created_at < before)
             .order_by(datasets.c.code, versions.c.version))
    return [dict(r) for r in session.execute(query).mappings()]
