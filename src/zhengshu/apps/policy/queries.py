"""Read-side SQL of the policy module: the search index's rows, documents for browsing, answer citations."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from zhengshu.apps.policy.domain.documents import same_title
from zhengshu.apps.policy.tables import documents, passages, vectors

SUMMARY = (documents.c.id, documents.c.code, documents.c.title, documents.c.issuer, documents.c.number,
           documents.c.published_on, documents.c.effective_on, documents.c.expires_on, documents.c.validity,
           documents.c.validity_note, documents.c.source, documents.c.format)


def index_version(session: Session) -> tuple[int, int, int]:
    """What the in-memory index was built from: passages, the newest passage id, stored vectors."""
    count, newest = session.execute(select(func.count(), func.coalesce(func.max(passages.c.id), 0))
                                    .select_from(passages)).one()
    stored = session.execute(select(func.count()).select_from(vectors)).scalar_one()
    return int(count), int(newest), int(stored)


def index_rows(session: Session) -> list[dict]:
    """Every passage with its document's title and its vector (None when not computed yet), in id order."""
    query = (select(passages.c.id, passages.c.heading, passages.c.clause, passages.c.text, passages.c.digest,
                    documents.c.title, vectors.c.vector)
             .join(documents, documents.c.id == passages.c.document_id)
             .outerjoin(vectors, vectors.c.digest == passages.c.digest)
             .order_by(passages.c.id))
    return [dict(r) for r in session.execute(query).mappings()]


def passages_with_documents(session: Session, ids: list[int]) -> dict[int, dict]:
    query = (select(passages.c.id, passages.c.ordinal, passages.c.heading, passages.c.clause, passages.c.text,
                    *[c.label(f"document_{c.name}") for c in SUMMARY])
             .join(documents, documents.c.id == passages.c.document_id).where(passages.c.id.in_(ids)))
    return {r["id"]: dict(r) for r in session.execute(query).mappings()}


def _counted():
    counts = (select(passages.c.document_id, func.count().label("passages"))
              .group_by(passages.c.document_id).subquery())
    return (select(*SUMMARY, func.coalesce(counts.c.passages, 0).label("passages"))
            .outerjoin(counts, counts.c.document_id == documents.c.id))


def list_documents(session: Session, words: list[str], validity: str | None, limit: int,
                   offset: int) -> tuple[list[dict], int]:
    """Documents whose title, issuer or number has every word, newest first, and how many there are."""
    query = _counted()
    for word in words:
        like = f"%{word}%"
        query = query.where(or_(documents.c.title.like(like), documents.c.issuer.like(like),
                                documents.c.number.like(like)))
    if validity:
        query = query.where(documents.c.validity == validity)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(documents.c.published_on.desc().nulls_last(), documents.c.title)
                           .limit(limit).offset(offset)).mappings()
    return [dict(r) for r in rows], int(total)


def document(session: Session, code: str) -> tuple[dict, list[dict], list[dict]] | None:
    """A document, its passages in order, and every document's (code, title, named, repeals) for relations."""
    row = session.execute(_counted().where(documents.c.code == code)).mappings().first()
    if row is None:
        return None
    rows = session.execute(select(passages.c.id, passages.c.ordinal, passages.c.heading, passages.c.clause,
                                  passages.c.text)
                           .where(passages.c.document_id == row["id"]).order_by(passages.c.ordinal)).mappings()
    others = session.execute(select(documents.c.code, documents.c.title, documents.c.named,
                                    documents.c.repeals)).mappings()
    return dict(row), [dict(r) for r in rows], [dict(o) for o in others]


def missing_vectors(session: Session, limit: int) -> tuple[list[dict], int]:
    """Up to `limit` passages whose text has no vector yet (one per digest), and how many digests lack one."""
    base = (select(passages.c.digest, func.min(passages.c.id).label("id"))
            .outerjoin(vectors, vectors.c.digest == passages.c.digest)
            .where(vectors.c.digest.is_(None)).group_by(passages.c.digest))
    total = session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    chosen = base.order_by(func.min(passages.c.id)).limit(limit).subquery()
    rows = session.execute(select(passages.c.digest, passages.c.heading, passages.c.clause, passages.c.text,
                                  documents.c.title)
                           .join(chosen, chosen.c.id == passages.c.id)
                           .join(documents, documents.c.id == passages.c.document_id)
                           .order_by(passages.c.id)).mappings()
    return [dict(r) for r in rows], int(total)


def codes(session: Session) -> set[str]:
    return set(session.execute(select(documents.c.code)).scalars())


def repealing(session: Session, title: str):
    """(title, number, effective date) of a document in the library that repeals `title`, or None."""
    rows = session.execute(select(documents.c.title, documents.c.number, documents.c.effective_on,
                                  documents.c.published_on, documents.c.repeals)
                           .where(documents.c.title != title))
    for row in rows:
        if any(same_title(t, title) for t in row.repeals or []):
            return row.title, row.number, row.effective_on or row.published_on
    return None
