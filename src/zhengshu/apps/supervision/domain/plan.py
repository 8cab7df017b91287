"""Reading an implementation plan (实施方案) as text: its title, the sections (（一）…) of its task chapter
(二、主要任务) and the numbered tasks (1. …) in each, with the departments named in the closing brackets
(牵头单位：…；责任单位：…) and an optional deadline (完成时限：2026年6月底前).

Government plans share this outline (一、 → （一） → 1.) but not their punctuation: full-width and ASCII brackets,
colons and semicolons both occur, so every pattern accepts either. Hand-written because no library reads this
outline; the patterns are few and each is tested against the real seed plan.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date

from zhengshu.kernel.errors import InvalidInput

NUMERALS = "一二三四五六七八九十"
TASK_CHAPTER = "主要任务"

_CHAPTER = re.compile(rf"^([{NUMERALS}]+)、\s*(.+)$")
_SECTION = re.compile(rf"^[(（]([{NUMERALS}]+)[)）]\s*(.+)$")
_TASK = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.+)$")
_CLAUSE = re.compile(r"[(（]\s*((?:牵头|责任|配合)(?:单位|部门)\s*[:：][^()（）]*)[)）]\s*[。.]?\s*$")
_PART = re.compile(r"^\s*(牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|完成时限)\s*[:：]\s*(.*?)\s*$")
_NAME_SEPARATORS = re.compile(r"[、,，]")
_SUFFIXES = ("等有关部门", "等相关部门", "等部门", "等单位", "等")
_DEADLINE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:(\d{1,2})\s*日|底|末)?")
_PLAN_TITLE = re.compile(r"(方案|规划|计划|意见|要点)([（(][^（()）]*[)）])?$")  # 实施方案（合成演示）
LEAD_LABELS = ("牵头单位", "牵头部门")


def numeral_value(numeral: str) -> int:
    """一 → 1 … 十 → 10, 十一 → 11, 二十 → 20 (the numbers an outline uses)."""
    if numeral == "十":
        return 10
    if "十" in numeral:
        tens, _, ones = numeral.partition("十")
        return (NUMERALS.index(tens) + 1 if tens else 1) * 10 + (NUMERALS.index(ones) + 1 if ones else 0)
    return NUMERALS.index(numeral) + 1


def numeral_of(value: int) -> str:
    """1 → 一 … 10 → 十, 12 → 十二, 20 → 二十."""
    if value <= 10:
        return NUMERALS[value - 1]
    tens, ones = divmod(value, 10)
    return (NUMERALS[tens - 1] if tens > 1 else "") + "十" + (NUMERALS[ones - 1] if ones else "")


@dataclass(frozen=True)
class DraftTask:
    """A task as the plan states it; department names are still the plan's words (not yet matched)."""

    section: int  # （二） → 2
    number: int  # 3. → 3
    title: str  # 开展政务数据确权
    text: str  # the paragraph without the closing brackets
    lead: tuple[str, ...] = ()  # 牵头单位, as written
    responsible: tuple[str, ...] = ()  # 责任单位 / 责任部门, as written
    due_on: date | None = None  # 完成时限, when the plan gives one

    @property
    def code(self) -> str:
        """`2.3`: section and number, how the task is referred to (（二）3)."""
        return f"{self.section}.{self.number}"


@dataclass(frozen=True)
class DraftSection:
    number: int
    title: str


@dataclass(frozen=True)
class DraftPlan:
    title: str
    sections: tuple[DraftSection, ...]
    tasks: tuple[DraftTask, ...]
    warnings: tuple[str, ...] = field(default=())


def _lines(text: str) -> list[str]:
    return [line.strip().replace("\u3000", " ").strip() for line in text.splitlines() if line.strip()]


def _title(lines: list[str]) -> str:
    """The plan's own title: the line naming a 方案/规划/计划 before the first chapter, the last such line
    (a notice 关于印发《…》的通知 comes first), else the first line."""
    head = []
    for line in lines:
        if _CHAPTER.match(line):
            break
        head.append(line)
    named = [line for line in head if _PLAN_TITLE.search(line) and len(line) <= 60]
    return (named[-1] if named else (head or lines or ["未命名方案"])[0])[:200]


def split_names(names: str) -> tuple[str, ...]:
    """`市工信局、市发改委等部门,各县区政府` → (市工信局, 市发改委, 各县区政府): split on 、，, and drop a
    trailing 等部门 / 等有关部门 / 等."""
    found = []
    for raw in _NAME_SEPARATORS.split(names):
        name = raw.strip().rstrip("。.")
        for suffix in _SUFFIXES:
            if name.endswith(suffix) and len(name) > len(suffix):
                name = name[: -len(suffix)].strip()
                break
        if name:
            found.append(name)
    return tuple(found)


def parse_deadline(value: str) -> date | None:
    """`2026年6月底前` → 2026-06-30; `2026年9月15日` → 2026-09-15; None when it names no month."""
    match = _DEADLINE.search(value)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return None
    day = int(match.group(3)) if match.group(3) else calendar.monthrange(year, month)[1]
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _departments(paragraph: str) -> tuple[str, tuple[str, ...], tuple[str, ...], date | None, list[str]]:
    """The paragraph without its closing brackets, the lead and responsible names, the deadline, and problems."""
    match = _CLAUSE.search(paragraph)
    if not match:
        return paragraph, (), (), None, ["没有写明牵头单位或责任单位"]
    lead: list[str] = []
    responsible: list[str] = []
    due, problems = None, []
    for part in re.split(r"[;；]", match.group(1)):
        labelled = _PART.match(part)
        if not labelled:
            if part.strip():
                problems.append(f"无法识别“{part.strip()}”")
            continue
        label, names = labelled.groups()
        if label == "完成时限":
            due = parse_deadline(names)
            if due is None:
                problems.append(f"完成时限“{names}”不是日期")
        else:
            (lead if label in LEAD_LABELS else responsible).extend(split_names(names))
    return paragraph[: match.start()].rstrip(), tuple(lead), tuple(responsible), due, problems


def _task(section: int, number: int, paragraph: str) -> tuple[DraftTask, list[str]]:
    body, lead, responsible, due, problems = _departments(paragraph)
    title, stop, _ = body.partition("。")
    if not stop or len(title) > 80:  # no title sentence: the first clause stands for it
        title = re.split(r"[，,；;]", body, maxsplit=1)[0][:80]
    return DraftTask(section, number, title.strip(), body.strip(), lead, responsible, due), problems


def parse_plan(text: str, chapter: str = TASK_CHAPTER) -> DraftPlan:
    """The tasks of the chapter whose heading starts with `chapter` (二、主要任务). A plan without that chapter,
    or with no numbered task in it, is refused naming what is missing; a task whose brackets cannot be read is
    kept, with a warning naming it."""
    lines = _lines(text)
    if not lines:
        raise InvalidInput("方案文件没有文字内容。", field="file")
    start = next((i for i, line in enumerate(lines)
                  if (m := _CHAPTER.match(line)) and m.group(2).startswith(chapter)), None)
    if start is None:
        raise InvalidInput(f"方案中找不到“{chapter}”一章（应形如“二、{chapter}”）。", field="file")
    sections: list[DraftSection] = []
    paragraphs: list[tuple[int, int, list[str]]] = []  # section, number, lines
    warnings: list[str] = []
    for line in lines[start + 1:]:
        if _CHAPTER.match(line):
            break
        if m := _SECTION.match(line):
            title = re.split(r"[。.]", m.group(2).strip(), maxsplit=1)[0]
            sections.append(DraftSection(numeral_value(m.group(1)), title))
        elif (m := _TASK.match(line)) and sections:
            paragraphs.append((sections[-1].number, int(m.group(1)), [m.group(2)]))
        elif paragraphs:  # a paragraph wrapped over several lines
            paragraphs[-1][2].append(line)
        else:
            warnings.append(f"未归入任何任务的文字：“{line[:30]}”")
    tasks = []
    for section, number, parts in paragraphs:
        task, problems = _task(section, number, "".join(parts))
        if any(t.code == task.code for t in tasks):
            raise InvalidInput(f"任务编号重复：第（{numeral_of(section)}）部分第 {number} 项出现两次。", field="file")
        tasks.append(task)
        warnings.extend(f"任务（{numeral_of(section)}）{number}“{task.title}”：{p}" for p in problems)
    if not tasks:
        raise InvalidInput(f"“{chapter}”一章中没有编号任务（应形如“（一）…”下的“1.…”）。", field="file")
    return DraftPlan(_title(lines), tuple(sections), tuple(tasks), tuple(warnings))
