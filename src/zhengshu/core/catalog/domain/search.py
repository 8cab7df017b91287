"""Chinese full-text search over the catalogue (全文检索), pure Python over `rjieba`: text is cut into words
(搜索引擎模式, so a long word also yields the shorter words inside it), a few colloquial names are widened to
the catalogue's own words (社保 → 社会保险), and entries are ranked by BM25F: BM25 over several fields, each
with its weight, so a word in the name counts for more than the same word in the abstract.

The index is built from the entries as they are stored and holds nothing else: it can be thrown away and built
again at any time (the read side rebuilds it when the catalogue changes).
"""

from __future__ import annotations

import math
import re
import unicodedata
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import rjieba

# Field weights: a hit in the name or the code counts three times one in the abstract; item names count more
# than the abstract (they are the columns a user looks for), the classification and provider as much.
FIELD_WEIGHTS: Mapping[str, float] = {
    "code": 3.0, "name": 3.0, "items": 1.5, "classification": 1.0, "provider": 1.0, "abstract": 1.0,
}
K1, B = 1.2, 0.75  # the usual BM25 constants

# Words that say nothing about what a resource holds (function words, and how people phrase a query).
STOP_WORDS = frozenset({"的", "了", "和", "与", "及", "或", "等", "之", "在", "是", "对", "为", "其", "中", "有", "个",
                        "我", "要", "想", "找", "查", "查询", "查找", "哪些", "什么", "怎么", "如何", "相关"})

# Colloquial names and the catalogue's words for them (each side as the segmenter cuts it).
ALIASES: Mapping[str, tuple[str, ...]] = {
    "社保": ("社会保险",),
    "医保": ("医疗保险", "医疗保障"),
    "户口": ("户籍",),
    "身份证": ("身份证号码", "公民身份号码", "身份"),
    "执照": ("营业执照",),
    "低保": ("最低生活保障",),
    "公积金": ("住房公积金",),
    "个体户": ("个体工商户",),
    "企业": ("法人", "市场主体"),
    "车牌": ("号牌",),
}

CODE_LIKE = re.compile(r"^\d[\d-]{2,}$")  # a resource or classification code, or the start of one


def words(text: str) -> list[str]:
    """The words of a text as the index keeps them: NFKC-normalised (full-width letters and digits become
    half-width), lower-case, cut in search-engine mode, without spaces, punctuation and stop words."""
    normal = unicodedata.normalize("NFKC", text).lower()
    cut = (w.strip() for w in rjieba.cut_for_search(normal))
    return [w for w in cut if w and w not in STOP_WORDS and any(ch.isalnum() for ch in w)]


@dataclass(frozen=True)
class SearchDocument:
    """One entry as the index sees it: its code and the text of each field of `FIELD_WEIGHTS`."""

    code: str
    fields: Mapping[str, str]


@dataclass(frozen=True)
class SearchResult:
    """The query's words, how they were matched, and the matching codes, best first.

    `mode` is `all` when every word (or one of its aliases) is in each entry found, `any` when no entry holds
    them all and entries holding some are listed instead, `none` when no word of the query is in the index."""

    words: tuple[str, ...]
    mode: str
    ranked: tuple[tuple[str, float], ...]

    @property
    def codes(self) -> list[str]:
        return [code for code, _ in self.ranked]


class SearchIndex:
    """A BM25F index over catalogue entries: for each word, each entry's weighted, length-normalised count."""

    def __init__(self, postings: dict[str, dict[str, float]], size: int) -> None:
        self._postings = postings
        self._vocabulary = sorted(postings)
        self.size = size  # entries indexed

    @classmethod
    def build(cls, documents: Iterable[SearchDocument]) -> SearchIndex:
        counted: list[tuple[str, dict[str, Counter[str]]]] = []
        lengths: dict[str, list[int]] = defaultdict(list)
        for doc in documents:
            fields = {f: Counter(words(doc.fields.get(f, ""))) for f in FIELD_WEIGHTS}
            counted.append((doc.code, fields))
            for f, counts in fields.items():
                lengths[f].append(sum(counts.values()))
        average = {f: (sum(n) / len(n) if n and sum(n) else 1.0) for f, n in lengths.items()}
        postings: dict[str, dict[str, float]] = defaultdict(dict)
        for code, fields in counted:
            weighted: Counter[str] = Counter()
            for f, counts in fields.items():
                norm = 1 - B + B * sum(counts.values()) / average[f]
                for word, n in counts.items():
                    weighted[word] += FIELD_WEIGHTS[f] * n / norm
            for word, tf in weighted.items():
                postings[word][code] = tf
        return cls(dict(postings), len(counted))

    @property
    def words_indexed(self) -> int:
        return len(self._vocabulary)

    def _idf(self, word: str) -> float:
        df = len(self._postings.get(word, ()))
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def _group(self, word: str) -> set[str]:
        """The indexed words that stand for a query word: itself, its aliases' words, and for something that
        looks like a code, every indexed code starting with it."""
        group = {word}
        for alias in ALIASES.get(word, ()):
            group.update(words(alias))
        if CODE_LIKE.fullmatch(word):
            start = bisect_left(self._vocabulary, word)
            for known in self._vocabulary[start:]:
                if not known.startswith(word):
                    break
                group.add(known)
        return {w for w in group if w in self._postings}

    def _scores(self, group: set[str]) -> dict[str, float]:
        """Each entry's score for one query word: the best of the words standing for it."""
        scores: dict[str, float] = {}
        for word in group:
            idf = self._idf(word)
            for code, tf in self._postings[word].items():
                scores[code] = max(scores.get(code, 0.0), idf * tf * (K1 + 1) / (K1 + tf))
        return scores

    def search(self, query: str) -> SearchResult:
        """Entries holding every word of the query (or, failing that, any), ranked by BM25F."""
        asked = tuple(dict.fromkeys(words(query)))
        groups = {w: self._group(w) for w in asked}
        known = [w for w in asked if groups[w]]
        per_word = [self._scores(groups[w]) for w in known]
        if not per_word:
            return SearchResult(asked, "none", ())
        found = set.intersection(*(set(s) for s in per_word))
        missing = [w for w in asked if not groups[w] and not _covered(w, known)]
        mode = "all" if found and not missing else "any"
        if mode == "any":
            found = set.union(*(set(s) for s in per_word))
        ranked = sorted(((code, sum(s.get(code, 0.0) for s in per_word)) for code in found),
                        key=lambda hit: (-hit[1], hit[0]))
        return SearchResult(asked, mode, tuple(ranked))


def _covered(word: str, known: list[str]) -> bool:
    """Whether the shorter known words inside a word cover every character of it: the index cut 市场监管局 as
    市场 and 监管 and never saw 市场监管, so a query for 市场监管 asks for no more than those two."""
    covered = [False] * len(word)
    for part in known:
        if len(part) < len(word):
            start = word.find(part)
            while start >= 0:
                covered[start:start + len(part)] = [True] * len(part)
                start = word.find(part, start + 1)
    return all(covered)
