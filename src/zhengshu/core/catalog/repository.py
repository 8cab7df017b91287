"""Write-side SQL of the catalogue: entries as domain objects in and out, their history and versions, and
the 顺序码 counter. Functions take the unit of work's session."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from zhengshu.core.catalog.domain.lifecycle import Entry, Mount, snapshot
from zhengshu.core.catalog.domain.metadata import (
    Classification,
    Item,
    Metadata,
    Opening,
    ResourceFormat,
    Sharing,
)
from zhengshu.core.catalog.domain.values import (
    DataType,
    Directory,
    FormatType,
    Level,
    MountKind,
    OpeningType,
    PersonalInfo,
    SharingMode,
    SharingType,
    Status,
    Step,
    UpdateCycle,
)
from zhengshu.core.catalog.tables import entries, history, items, related, sequences, versions
from zhengshu.kernel.actor import Actor


def next_sequence(session: Session, classification_code: str) -> int:
    """Take the next 顺序码 under a 分类码. The counter row stays locked until commit (PostgreSQL; SQLite's
    writers are serialised already), so two registrations never get the same code."""
    start = session.execute(
        select(func.coalesce(func.max(entries.c.sequence), 0)).where(
            entries.c.classification_code == classification_code)
    ).scalar_one()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(sequences).values(classification_code=classification_code, last_sequence=start)
        .on_conflict_do_nothing(index_elements=["classification_code"])
    )
    taken = session.execute(
        update(sequences).where(sequences.c.classification_code == classification_code)
        .values(last_sequence=sequences.c.last_sequence + 1).returning(sequences.c.last_sequence)
    ).scalar_one()
    return int(taken)


def _entry_values(entry: Entry) -> dict[str, Any]:
    meta, target = entry.metadata, entry.mount
    sharing, opening = meta.sharing, meta.opening
    return {
        "name": meta.name, "provider_credit_code": meta.provider_credit_code, "abstract": meta.abstract,
        "format_type": meta.format.type.value if meta.format else None,
        "format_detail": meta.format.detail if meta.format else "",
        "sharing_type": sharing.type.value if sharing else None,
        "sharing_condition": sharing.condition if sharing else "",
        "sharing_basis": sharing.legal_basis if sharing else "",
        "sharing_mode": sharing.mode.value if sharing and sharing.mode else None,
        "opening_type": opening.type.value if opening else None,
        "opening_condition": opening.condition if opening else "",
        "update_cycle": meta.update_cycle.value if meta.update_cycle else None,
        "update_cycle_note": meta.update_cycle_note, "owner": meta.owner, "contact": meta.contact,
        "status": entry.status.value, "version": entry.version,
        "mount_kind": target.kind.value if target else None,
        "mount_reference": target.reference if target else None,
        "mount_columns": list(target.columns) if target else None,
        "published_on": entry.published_on, "retired_reason": entry.retired_reason,
    }


def _write_parts(session: Session, entry: Entry) -> None:
    session.execute(delete(items).where(items.c.entry_code == entry.code))
    session.execute(delete(related).where(related.c.entry_code == entry.code))
    item_rows = [
        {"entry_code": entry.code, "position": n, "name": i.name, "data_type": i.data_type.value,
         "length": i.length, "level": i.level.value, "personal_info": i.personal_info.value, "is_key": i.is_key}
        for n, i in enumerate(entry.metadata.items)
    ]
    if item_rows:
        session.execute(insert(items), item_rows)
    related_rows = [{"entry_code": entry.code, "related_code": c, "position": n}
                    for n, c in enumerate(entry.metadata.related_codes)]
    if related_rows:
        session.execute(insert(related), related_rows)


def add_entry(session: Session, entry: Entry, sequence: int, now: datetime) -> None:
    c = entry.classification
    session.execute(insert(entries).values(
        code=entry.code, classification_code=c.code, sequence=sequence, directory=c.directory.value,
        section=c.section, heading=c.heading, subheading=c.subheading, provider_code=entry.provider_code,
        provider_name=entry.provider_name, created_at=now, updated_at=now, **_entry_values(entry),
    ))
    _write_parts(session, entry)


def save_entry(session: Session, entry: Entry, now: datetime, *, metadata_changed: bool) -> None:
    """Write an entry's new state; its items and related codes too when the metadata changed."""
    session.execute(update(entries).where(entries.c.code == entry.code)
                    .values(updated_at=now, **_entry_values(entry)))
    if metadata_changed:
        _write_parts(session, entry)


def get_entry(session: Session, code: str) -> Entry | None:
    """An entry as the domain sees it, its row locked for update (PostgreSQL) so changes queue."""
    row = session.execute(select(entries).where(entries.c.code == code).with_for_update()).mappings().first()
    if row is None:
        return None
    item_rows = session.execute(select(items).where(items.c.entry_code == code).order_by(items.c.position))
    related_rows = session.execute(select(related.c.related_code).where(related.c.entry_code == code)
                                   .order_by(related.c.position))
    meta = Metadata(
        name=row["name"], abstract=row["abstract"],
        format=ResourceFormat(FormatType(row["format_type"]), row["format_detail"]) if row["format_type"] else None,
        items=tuple(Item(r.name, DataType(r.data_type), r.length, Level(r.level), PersonalInfo(r.personal_info),
                         r.is_key) for r in item_rows),
        sharing=Sharing(SharingType(row["sharing_type"]), row["sharing_condition"], row["sharing_basis"],
                        SharingMode(row["sharing_mode"]) if row["sharing_mode"] else None)
        if row["sharing_type"] else None,
        opening=Opening(OpeningType(row["opening_type"]), row["opening_condition"]) if row["opening_type"] else None,
        update_cycle=UpdateCycle(row["update_cycle"]) if row["update_cycle"] else None,
        update_cycle_note=row["update_cycle_note"], related_codes=tuple(related_rows.scalars()),
        owner=row["owner"], contact=row["contact"], provider_credit_code=row["provider_credit_code"],
    )
    target = None
    if row["mount_kind"]:
        target = Mount(MountKind(row["mount_kind"]), row["mount_reference"], tuple(row["mount_columns"] or ()))
    return Entry(
        code=row["code"],
        classification=Classification(Directory(row["directory"]), row["section"], row["heading"],
                                      row["subheading"]),
        provider_code=row["provider_code"], provider_name=row["provider_name"], metadata=meta,
        status=Status(row["status"]), version=row["version"], mount=target, published_on=row["published_on"],
        retired_reason=row["retired_reason"],
    )


def add_history(session: Session, entry: Entry, step: Step, actor: Actor, now: datetime, note: str = "") -> None:
    session.execute(insert(history).values(
        entry_code=entry.code, action=step.value, version=entry.version, actor=actor.label[:100],
        actor_name=actor.name[:100], note=note, occurred_at=now,
    ))


def add_version(session: Session, entry: Entry, actor: Actor, now: datetime) -> None:
    """Keep the entry as published at this version."""
    session.execute(insert(versions).values(
        entry_code=entry.code, version=entry.version, published_on=entry.published_on, published_at=now,
        published_by=actor.label[:100], snapshot=snapshot(entry),
    ))
