"""Reading documents: metadata, validity and structure, on real texts of the shared corpus and on small
texts written here; and the search on its own (no database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np

from zhengshu.apps.policy.domain.documents import Validity, parse_date, read_info, same_title
from zhengshu.apps.policy.domain.search import (
    MIN_SEMANTIC,
    Hit,
    SearchIndex,
    answering,
    expand,
    question_problem,
    tokens,
)
from zhengshu.apps.policy.domain.structure import split_passages

TODAY = date(2026, 11, 26)


def _read(corpus: Path, name: str):
    info, body = read_info((corpus / name).read_text("utf-8"), fallback_title=name, source=name, today=TODAY)
    return info, split_passages(body, info.title)


def test_a_law_is_cut_into_articles_under_its_chapters_and_sections(corpus) -> None:
    info, passages = _read(corpus, "wangluoanquanfa-2016.txt")
    assert info.title == "中华人民共和国网络安全法" and info.number == "中华人民共和国主席令第五十三号"
    assert info.published_on == date(2016, 11, 7) and info.effective_on == date(2017, 6, 1)
    assert info.validity is Validity.IN_FORCE
    article = next(p for p in passages if p.clause == "第二十一条")
    assert article.heading == "第三章 网络运行安全 第一节 一般规定"
    assert "留存相关的网络日志不少于六个月" in article.text
    assert [p.clause for p in passages[:3]] == ["前言", "第一条", "第二条"]  # 前言: the 题注 (adopted on …)
    assert len({p.clause for p in passages if p.clause.endswith("条")}) == 79  # the law has 79 articles


def test_a_notice_is_cut_along_its_outline(corpus) -> None:
    _, passages = _read(corpus, "gz-shebaoka-shenling-2026.txt")
    clauses = [p.clause for p in passages]
    assert "二、（一）" in clauses and "二、（二）1." in clauses
    first_id = next(p for p in passages if p.clause == "二、（二）1.")
    assert first_id.text.startswith("1.居住在中国境内16周岁以上") and first_id.heading.startswith("二、申领所需材料")


def test_document_numbers_dates_and_terms_are_read_from_the_text() -> None:
    text = ("广州市人民政府办公厅关于印发某办法的通知\n穗府办规〔2023〕3号\n各区人民政府：\n"
            "一、总则\n本办法自2023年3月1日起施行，有效期3年。《广州市旧办法》同时废止。\n"
            "广州市人民政府办公厅\n2023年2月10日\n")
    info, _ = read_info(text, fallback_title="x", source="x.txt", today=TODAY)
    assert info.number == "穗府办规〔2023〕3号" and info.issuer == "广州市人民政府办公厅"
    assert info.published_on == date(2023, 2, 10) and info.effective_on == date(2023, 3, 1)
    assert info.expires_on == date(2026, 3, 1) and info.validity is Validity.EXPIRED
    assert info.repeals == ("广州市旧办法",)
    assert parse_date("二〇一九年四月三日") == date(2019, 4, 3) and parse_date("2月30日") is None
    assert same_title("网络安全法", "中华人民共和国网络安全法")


def test_a_stated_validity_wins_and_empty_text_is_refused() -> None:
    info, _ = read_info("标题: 某法\n有效性: 已废止\n\n第一条 内容。", fallback_title="x", source="x", today=TODAY)
    assert info.validity is Validity.REPEALED
    try:
        read_info("   \n\n", fallback_title="空", source="empty.txt", today=TODAY)
    except Exception as exc:
        assert "没有可读取的文字" in str(exc)
    else:
        raise AssertionError("empty text was accepted")


def test_colloquial_words_reach_the_formal_ones() -> None:
    assert "社会保障卡" in expand("社保卡丢了怎么办")
    assert "企业" in tokens(expand("开公司要什么材料"))
    assert "怎么" not in tokens("社保卡怎么办") and "社保卡" in tokens("社保卡怎么办")


def test_bm25_finds_the_passage_and_highlights_the_sentence_without_vectors() -> None:
    index = SearchIndex(["网络安全法 第二十一条\n应当留存网络日志不少于六个月。其他义务。",
                         "社会保险经办条例 第七条\n社会保障卡是个人参加社会保险的凭证。"])
    hits = index.search("社保卡是什么", None)
    assert hits[0].row == 1 and hits[0].sentence == "社会保障卡是个人参加社会保险的凭证。"
    assert index.search("火星登陆计划", None) == []


def test_semantic_vectors_decide_when_words_differ() -> None:
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    index = SearchIndex(["甲 第一条\n甲", "乙 第一条\n乙"], vectors)
    hits = index.search("丙", np.array([0.0, 1.0], dtype=np.float32))
    assert hits[0].row == 1 and hits[0].semantic == 1.0
    strong = Hit(0, 1.0, MIN_SEMANTIC + 0.02, 0.9, "")
    close, far = Hit(1, 0.97, MIN_SEMANTIC + 0.01, 0.8, ""), Hit(2, 0.5, MIN_SEMANTIC + 0.01, 0.8, "")
    unrelated = Hit(3, 0.99, MIN_SEMANTIC - 0.01, 0.9, "")
    assert answering([strong, close, far], semantic=True) == [strong, close]  # far: too far below the best
    assert answering([unrelated], semantic=True) == [] and answering([], semantic=False) == []
    assert answering([Hit(0, 1.0, 0.0, 0.5, "")], semantic=False) == []  # BM25 alone needs more words


def test_questions_that_cannot_be_searched_get_a_reason() -> None:
    assert "请输入" in question_problem("")
    assert "太长（10000 字）" in question_problem("问" * 10_000)
    assert "中文" in question_problem("How long must network logs be kept?")
    assert question_problem("网络日志要保存多久？") == ""


def test_newer_vectors_keep_the_tokens_and_switch_semantic_search_on() -> None:
    texts = ["甲 第一条\n社会保障卡", "乙 第一条\n网络日志"]
    index = SearchIndex(texts, np.zeros((2, 2), dtype=np.float32))
    assert not index.has_vectors  # none computed yet: lexical only
    half = index.with_vectors(np.array([[1.0, 0.0], [0.0, 0.0]], dtype=np.float32))
    assert not half.has_vectors and half.bm25 is index.bm25  # under 95% of passages: still lexical
    full = index.with_vectors(np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32))
    assert full.has_vectors and full.token_sets is index.token_sets
