"""JSON documents and JSON Lines (JSON 文件), read record by record in bounded memory.

A JSON document is an array of records, or an object holding one under a key (`{"total": 9, "data": [...]}`):
`records_path` names it ("data", "result.rows"), else the first key at the top whose value is an array. It is
parsed incrementally with ijson (a C parser), so a file of any size takes the memory of one record. A JSON Lines
file has one record per line, each line at most ROW_LIMIT_BYTES.

Columns are the records' keys in the order first met. Every value becomes text (`domain.as_text`): numbers digit
for digit as written (ijson keeps decimals exact), nested objects and arrays as JSON, null as null. Row numbers:
a document's records count from 1; a JSON Lines record's number is its line number.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import ijson

from zhengshu.core.ingest.connectors.base import Batch, RowBatcher, SourceReader, closing_on_failure
from zhengshu.core.ingest.connectors.files import open_checked
from zhengshu.core.ingest.domain import (
    REJECTED_TEXT_CHARS,
    ROW_LIMIT_BYTES,
    RejectedRow,
    SourceProblem,
    as_text,
    describe_size,
)
from zhengshu.core.ingest.schemas import SourceSpec

_PEEK_RECORDS = 200  # records read ahead to learn the columns before the first batch is handed on


def add_record(batcher: RowBatcher, row: int, record: Any) -> Batch | None:
    """One record into the batcher, its keys as columns (new keys add columns); a record that is not an
    object is rejected with the reason."""
    if not isinstance(record, dict):
        batcher.reject(RejectedRow(row, as_text(record)[:REJECTED_TEXT_CHARS] if record is not None else "null",
                                   "记录不是对象（应为 {\"列名\": 值, ...}）"))
        return None
    values: list[str | None] = [None] * len(batcher.columns)
    for key, value in record.items():
        position = batcher.position(str(key))
        if position >= len(values):
            values.extend([None] * (position + 1 - len(values)))
        values[position] = as_text(value)
    return batcher.add(row, values)


class _Peeked(SourceReader):
    """A record reader that reads a few records ahead so `columns` is known before the first batch."""

    def _start(self, records: Iterator[tuple[int, Any]]) -> None:
        self._records = records
        self._batcher = RowBatcher(self.source, [])
        self._ahead: list[Batch] = []
        for _ in range(_PEEK_RECORDS):
            item = next(records, None)
            if item is None:
                break
            batch = add_record(self._batcher, *item)
            if batch is not None:
                self._ahead.append(batch)
        self.columns = self._batcher.columns
        if not self.columns and not self._batcher.pending_rejected:
            raise SourceProblem(self.source, "没有任何记录")

    def batches(self) -> Iterator[Batch]:
        yield from self._ahead
        for item in self._records:
            batch = add_record(self._batcher, *item)
            if batch is not None:
                yield batch
        last = self._batcher.cut()
        if last is not None:
            yield last


class JsonDocumentReader(_Peeked):
    @closing_on_failure
    def __init__(self, spec: SourceSpec) -> None:
        super().__init__(spec.display_name)
        self.path = Path(spec.location)
        prefix, _ = open_checked(self.path, self.source, "JSON")
        self._handle = _open_json(self.path, prefix)
        self._start_offset = self._handle.tell()
        first = prefix.lstrip(codecs.BOM_UTF8 + b" \t\r\n")[:1]
        if first == b"[":
            path = "item"
        elif first == b"{":
            path = f"{spec.records_path}.item" if spec.records_path else self._find_array()
        else:
            raise SourceProblem(self.source, "不是 JSON 数组或对象（应以 [ 或 { 开头）", row=1)
        self.detected = {"records_path": path.removesuffix(".item").removesuffix("item") or "（顶层数组）"}
        self._handle.seek(self._start_offset)
        self._index = 0
        self._start(self._items(path))

    def _find_array(self) -> str:
        """The first top-level key whose value is an array (records), found by streaming the object's keys."""
        key = None
        try:
            for prefix, event, value in ijson.parse(self._handle):
                if prefix == "" and event == "map_key":
                    key = value
                elif prefix == key and event == "start_array":
                    return f"{key}.item"
        except ijson.JSONError as exc:
            raise SourceProblem(self.source, f"JSON 格式错误或文件不完整：{exc}") from None
        raise SourceProblem(self.source, "JSON 对象中没有记录数组（可用 records_path 指定，如 data）")

    def _items(self, path: str) -> Iterator[tuple[int, Any]]:
        try:
            for index, record in enumerate(ijson.items(self._handle, path), start=1):
                self._index = index
                yield index, record
        except ijson.JSONError as exc:
            reason = exc.args[0].decode("utf-8", "replace") if exc.args and isinstance(exc.args[0], bytes) \
                else str(exc)
            if "invalid bytes in UTF8" in reason:
                raise SourceProblem(self.source, "不是 UTF-8 编码（JSON 文件须为 UTF-8）",
                                    row=self._index + 1) from None
            raise SourceProblem(self.source, f"JSON 格式错误或文件不完整：{reason.splitlines()[0]}",
                                row=self._index + 1) from None

    def close(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is not None:
            handle.close()


class JsonLinesReader(_Peeked):
    @closing_on_failure
    def __init__(self, spec: SourceSpec) -> None:
        super().__init__(spec.display_name)
        self.path = Path(spec.location)
        prefix, _ = open_checked(self.path, self.source, "JSON Lines")
        self._handle = _open_json(self.path, prefix)
        self.detected = {}
        self._start(self._lines())

    def _lines(self) -> Iterator[tuple[int, Any]]:
        for number, line in enumerate(iter(lambda: self._handle.readline(ROW_LIMIT_BYTES + 1), b""), start=1):
            if len(line) > ROW_LIMIT_BYTES:
                raise SourceProblem(self.source, f"一行超过 {describe_size(ROW_LIMIT_BYTES)}，不予读入", row=number)
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except UnicodeDecodeError:
                raise SourceProblem(self.source, "不是 UTF-8 编码（JSON Lines 文件须为 UTF-8）", row=number) from None
            except json.JSONDecodeError as exc:
                text = line.decode("utf-8", "replace").rstrip("\r\n")
                problem = "不是完整的 JSON（若是最后一行，文件可能被截断）" if not line.endswith(b"\n") else \
                    f"不是合法的 JSON：{exc.msg}（第 {exc.colno} 个字符）"
                self._batcher.reject(RejectedRow(number, text[:REJECTED_TEXT_CHARS], problem))

    def close(self) -> None:
        handle = getattr(self, "_handle", None)
        if handle is not None:
            handle.close()


def _open_json(path: Path, prefix: bytes) -> BinaryIO:
    handle = open(path, "rb")  # noqa: SIM115 - closed by the reader's close()
    handle.seek(len(codecs.BOM_UTF8) if prefix.startswith(codecs.BOM_UTF8) else 0)
    return handle
