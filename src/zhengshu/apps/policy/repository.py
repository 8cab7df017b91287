"""Write-side SQL of the policy module. Functions take the unit of work's session."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from zhengshu.apps.policy.tables import documents, passages, vectors


def document_id(session: Session, code: str) -> int | None:
    return session.execute(select(documents.c.id).where(documents.c.code == code)).scalar()


def remove_document(session: Session, document: int) -> None:
    session.execute(delete(passages).where(passages.c.document_id == document))
    session.execute(delete(documents).where(documents.c.id == document))


def add_document(session: Session, row: dict, rows: list[dict]) -> int:
    """The document and its passages (each row without document_id); returns the document's id."""
    document = session.execute(insert(documents).values(**row).returning(documents.c.id)).scalar_one()
    if rows:
        session.execute(insert(passages), [{**r, "document_id": document} for r in rows])
    return document


def documents_titled(session: Session) -> list[tuple[int, str, str, str]]:
    """(id, code, title, validity) of every document, to find the ones another document repeals."""
    query = select(documents.c.id, documents.c.code, documents.c.title, documents.c.validity)
    return [tuple(r) for r in session.execute(query)]


def set_validity(session: Session, document: int, validity: str, expires_on: date | None, note: str) -> None:
    session.execute(update(documents).where(documents.c.id == document)
                    .values(validity=validity, expires_on=expires_on, validity_note=note[:300]))


def known_digests(session: Session, digests: Iterable[str]) -> set[str]:
    wanted = list(set(digests))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        found.update(session.execute(select(vectors.c.digest).where(vectors.c.digest.in_(chunk))).scalars())
    return found


def add_vectors(session: Session, computed: dict[str, bytes]) -> None:
    known = known_digests(session, computed)
    rows = [{"digest": d, "vector": v} for d, v in computed.items() if d not in known]
    if rows:
        session.execute(insert(vectors), rows)
