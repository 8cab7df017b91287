"""Checks every file source gets before its connector parses it: it exists, is not empty, and is not really
something else (a saved HTML error page, a ZIP/XLSX or an old Office file named .csv or .json)."""

from __future__ import annotations

from pathlib import Path

from zhengshu.core.ingest.domain import SNIFF_BYTES, SourceProblem, looks_like_html

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Compound File: .xls, or an encrypted .xlsx


def open_checked(path: Path, source: str, kind: str) -> tuple[bytes, bool]:
    """The file's first SNIFF_BYTES and whether that is the whole file, after the common checks."""
    if not path.is_file():
        raise SourceProblem(source, "文件不存在")
    with open(path, "rb") as handle:
        prefix = handle.read(SNIFF_BYTES)
        whole = not handle.read(1)
    if not prefix.strip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00"):
        raise SourceProblem(source, "文件为空：没有表头，也没有数据")
    if looks_like_html(prefix):
        raise SourceProblem(source, f"文件实际是一个网页（HTML），不是 {kind}：可能下载时保存了出错页面")
    if kind != "XLSX" and prefix.startswith(ZIP_MAGIC):
        raise SourceProblem(source, f"文件实际是 ZIP/XLSX 压缩文件，不是 {kind}")
    if kind != "XLSX" and prefix.startswith(OLE_MAGIC):
        raise SourceProblem(source, f"文件实际是 Office 二进制文件（.xls 或加密的工作簿），不是 {kind}")
    return prefix, whole
