"""The text of an uploaded plan: TXT (UTF-8 or GB18030, as Chinese offices save it), DOCX (python-docx) and
HTML (the standard library's parser: a government web page is read for its paragraphs, scripts and styles
left out). Anything else, or a file that is not what its name says, is refused with a clear message."""

from __future__ import annotations

import io
import zipfile
from html.parser import HTMLParser
from pathlib import PurePath

from zhengshu.kernel.errors import InvalidInput

MAX_BYTES = 20 * 1024 * 1024
SUFFIXES = (".txt", ".docx", ".html", ".htm")


def _decode(content: bytes, file_name: str) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput(f"{file_name}：无法识别文字编码（应为 UTF-8 或 GB18030/GBK）。", field="file")


def _docx(content: bytes, file_name: str) -> str:
    import docx  # python-docx; imported here so that reading TXT never needs it

    if not zipfile.is_zipfile(io.BytesIO(content)):
        raise InvalidInput(f"{file_name} 不是有效的 DOCX 文件（可能是改了扩展名的其他文件）。", field="file")
    try:
        document = docx.Document(io.BytesIO(content))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise InvalidInput(f"{file_name} 不是有效的 DOCX 文件：{exc}", field="file") from exc
    return "\n".join(p.text for p in document.paragraphs)


class _Paragraphs(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section", "article"})
    SKIPPED = frozenset({"script", "style", "head", "title"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIPPED:
            self.skipping += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _html(content: bytes, file_name: str) -> str:
    parser = _Paragraphs()
    parser.feed(_decode(content, file_name))
    parser.close()
    return "".join(parser.parts)


def plan_text(file_name: str, content: bytes) -> str:
    """The plan's text, by the file's extension."""
    suffix = PurePath(file_name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(f"{file_name}：不支持的文件类型，请上传 TXT、DOCX 或 HTML 格式的实施方案。", field="file")
    if not content:
        raise InvalidInput(f"{file_name} 是空文件。", field="file")
    if len(content) > MAX_BYTES:
        raise InvalidInput(f"{file_name} 超过 {MAX_BYTES // 1024 // 1024} MiB。", field="file")
    if suffix == ".docx":
        return _docx(content, file_name)
    if suffix in (".html", ".htm"):
        return _html(content, file_name)
    return _decode(content, file_name)
