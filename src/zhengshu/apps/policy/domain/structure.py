"""The structure of a document's body (结构): chapters and sections (章、节), articles and their paragraphs
(条、款), and the numbered outline of plans and notices (一、 （一） 1. （1）), cut into passages (段落) that
each carry a citation.

A passage is one article (条) in a law or regulation; in an outlined text it is the text under the deepest
numbered heading. A long passage is cut at its paragraphs (款) so that each piece stays short enough for the
embedding model (about 500 characters), and keeps its citation with the paragraph number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_NUM = r"[一二三四五六七八九十百零〇]+"
CHAPTER = re.compile(rf"^第{CN_NUM}章\s*\S*")
SECTION = re.compile(rf"^第{CN_NUM}节\s*\S*")
ARTICLE = re.compile(rf"^(第{CN_NUM}条)(?:之{CN_NUM})?[\s\u3000]*")
# outline levels of plans and notices: 一、 / （一） / 1. 1、 1． / （1） ⑴
OUTLINE = (
    re.compile(rf"^({CN_NUM})[、．.]"),
    re.compile(rf"^[（(]({CN_NUM})[）)]"),
    re.compile(r"^(\d{1,2})(?:[.、．](?!\d)|[.．](?=\d{4}年))"),  # 1. but not 1.5倍; 1.2025年度… is 1.
    re.compile(r"^[（(](\d{1,2})[）)]|^([⑴-⒇①-⑳])"),
)
MAX_PASSAGE = 500  # characters: multilingual-e5-small reads 512 tokens, about as many Chinese characters


@dataclass(frozen=True)
class Passage:
    """A piece of a document that can be cited on its own."""

    ordinal: int  # order in the document, from 1
    heading: str  # where it sits: "第二章 社会保险登记和关系转移" or "二、申领所需材料"
    clause: str  # the citation inside the document: "第六条", "第六条第二款", "二、（一）"
    text: str  # paragraphs separated by newlines


def _outline_level(line: str) -> tuple[int, str] | None:
    for level, pattern in enumerate(OUTLINE):
        match = pattern.match(line)
        if match:
            return level, match.group(0)
    return None


def _label(marker: str) -> str:
    """The heading's number as it is cited: "1." → "1.", "（一）" stays, "一、" stays."""
    return marker.replace("(", "（").replace(")", "）").replace("．", ".")


class _Builder:
    def __init__(self) -> None:
        self.passages: list[Passage] = []
        self.chapter = ""
        self.section = ""
        self.outline: list[str] = []  # open outline headings, one per level (full heading line)
        self.outline_labels: list[str] = []
        self.clause = ""
        self.lines: list[str] = []

    def heading(self) -> str:
        parts = [p for p in (self.chapter, self.section) if p]
        if not self.clause.startswith("第") and self.outline:
            parts.extend(self.outline[:-1] if len(self.outline) > 1 else [])
        return " ".join(parts)

    def flush(self) -> None:
        if not self.lines:
            return
        text_length = sum(len(line) for line in self.lines)
        clause = self.clause or "前言"  # the text before the first article or heading (题注, 引言)
        if text_length <= MAX_PASSAGE or len(self.lines) == 1:
            self._add(clause, self.lines)
        else:  # cut at paragraphs (款); each piece named by its first paragraph's number
            piece: list[str] = []
            first = 1
            for index, line in enumerate(self.lines, start=1):
                if piece and sum(len(p) for p in piece) + len(line) > MAX_PASSAGE:
                    self._add(_paragraphs(clause, first, index - 1), piece)
                    piece, first = [], index
                piece.append(line)
            self._add(_paragraphs(clause, first, len(self.lines)), piece)
        self.lines = []

    def _add(self, clause: str, lines: list[str]) -> None:
        self.passages.append(Passage(len(self.passages) + 1, self.heading(), clause, "\n".join(lines)))


def _paragraphs(clause: str, first: int, last: int) -> str:
    """第六条 with paragraphs 2–3 → 第六条第二款至第三款; an outline clause gets 第N段."""
    def cn(n: int) -> str:
        return "一二三四五六七八九十"[n - 1] if n <= 10 else str(n)
    if first == 1 and last == 1:
        return clause
    unit = "款" if clause.startswith("第") and clause.endswith("条") else "段"
    return f"{clause}第{cn(first)}{unit}" + (f"至第{cn(last)}{unit}" if last > first else "")


def split_passages(body: str, title: str = "") -> list[Passage]:
    """Cut the body into cited passages. The title line, when the body repeats it, is left out."""
    builder = _Builder()
    in_articles = False
    for raw in body.splitlines():
        line = raw.strip().replace("\u3000", " ")
        if not line or (title and line.replace(" ", "") == title.replace(" ", "")):
            continue
        if CHAPTER.match(line) and len(line) <= 40:
            builder.flush()
            builder.chapter, builder.section, builder.clause = line, "", ""
            builder.outline, builder.outline_labels = [], []
            continue
        if SECTION.match(line) and len(line) <= 40:
            builder.flush()
            builder.section, builder.clause = line, ""
            continue
        article = ARTICLE.match(line)
        if article:
            builder.flush()
            in_articles = True
            builder.clause = article.group(1)
            rest = line[article.end():].strip()
            if rest:
                builder.lines.append(rest)
            continue
        outline = None if in_articles and builder.clause else _outline_level(line)
        if outline is not None:
            level, marker = outline
            builder.flush()
            del builder.outline[level:], builder.outline_labels[level:]
            while len(builder.outline) < level:  # a level skipped (1. straight under 一、)
                builder.outline.append("")
                builder.outline_labels.append("")
            builder.outline.append(line if len(line) <= 40 else marker)
            builder.outline_labels.append(_label(marker))
            builder.clause = "".join(builder.outline_labels)
            builder.lines.append(line)
            continue
        builder.lines.append(line)
    builder.flush()
    return _merge_bare_headings(builder.passages)


def _merge_bare_headings(passages: list[Passage]) -> list[Passage]:
    """A heading line alone (一、总体要求) is structure, not an answer: it is kept only when nothing
    follows it, otherwise its words reach the passages under it through their `heading`."""
    kept = [p for i, p in enumerate(passages)
            if not (len(p.text) <= 20 and "\n" not in p.text and i + 1 < len(passages)
                    and passages[i + 1].clause.startswith(p.clause) and passages[i + 1].clause != p.clause)]
    return [Passage(i, p.heading, p.clause, p.text) for i, p in enumerate(kept, start=1)]


SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


def sentences(text: str) -> list[str]:
    """The sentences of a passage, each with its closing mark (the unit an answer highlights)."""
    return [s for s in (m.group(0).strip() for m in SENTENCE.finditer(text)) if s]
