"""Source readers (连接器), one per kind of source; `open_source(spec)` picks the right one.

Each reads its source as text in bounded memory and hands on `base.Batch`es: string columns, the source row
number of every row, and the rows that could not be split into columns, kept with a reason.
"""

from __future__ import annotations

from zhengshu.core.ingest.connectors.base import Batch, SourceReader
from zhengshu.core.ingest.connectors.database import DatabaseReader
from zhengshu.core.ingest.connectors.delimited import DelimitedReader
from zhengshu.core.ingest.connectors.documents import JsonDocumentReader, JsonLinesReader
from zhengshu.core.ingest.connectors.web_api import WebApiReader
from zhengshu.core.ingest.connectors.workbook import WorkbookReader
from zhengshu.core.ingest.schemas import SourceSpec

__all__ = ["Batch", "SourceReader", "open_source"]

READERS: dict[str, type[SourceReader]] = {
    "csv": DelimitedReader, "xlsx": WorkbookReader, "json": JsonDocumentReader, "jsonl": JsonLinesReader,
    "database": DatabaseReader, "http": WebApiReader,
}


def open_source(spec: SourceSpec) -> SourceReader:
    """The reader for the source, opened: its columns and what was detected are known; batches follow."""
    return READERS[spec.kind](spec)
