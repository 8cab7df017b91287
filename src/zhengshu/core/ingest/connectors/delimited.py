"""CSV and other delimited text files (CSV 文件): encoding detected, delimiter sniffed, every column text.

Parsing is pyarrow's streaming CSV reader (fast, bounded memory: one block of ROW_LIMIT_BYTES at a time, and
the only fast reader that decodes GBK). What is written here by hand, and why:

- **Encoding** (编码): a BOM says UTF-8 or UTF-16; otherwise the first SNIFF_BYTES are strictly decoded as UTF-8,
  then as GB18030 (a superset of GBK and GB2312). Strict UTF-8 almost never accepts text in another encoding, and
  the platform's sources are UTF-8 or GBK, so this is both exact and cheaper than a statistical detector
  (charset-normalizer would add a dependency and still has to choose between the same two).
- **Delimiter** (分隔符): each of `,` TAB `;` `|` splits the sample with the `csv` module; the one that gives the
  header more than one column and the most sample rows of the header's width wins. `csv.Sniffer` guesses from
  character frequencies and is misled by commas inside quoted Chinese addresses.
- **Row numbers** (行号): pyarrow numbers a row it cannot split (when read on one thread), not the rows it keeps;
  the kept rows' numbers are counted here, skipping the numbers of the rejected ones. A row number is the
  record's number counting the header as a row — the row a spreadsheet shows when it opens the file (a quoted
  value with line breaks makes one record of several lines).
- **Bad bytes** (编码错误): pyarrow says only that some block is bad; a second pass decodes line by line to name
  the first bad row.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from zhengshu.core.ingest.connectors.base import Batch, SourceReader, closing_on_failure
from zhengshu.core.ingest.connectors.files import open_checked
from zhengshu.core.ingest.domain import (
    REJECTED_TEXT_CHARS,
    ROW_LIMIT_BYTES,
    SNIFF_BYTES,
    RejectedRow,
    SourceProblem,
    column_names,
    describe_size,
)
from zhengshu.core.ingest.schemas import DELIMITERS, SourceSpec

DELIMITER_NAMES = {",": "逗号 ,", "\t": "制表符", ";": "分号 ;", "|": "竖线 |"}
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GB18030/GBK", "utf-16": "UTF-16"}
_GB_ALIASES = {"gbk", "gb2312", "cp936", "936", "gb18030", "ms936", "euc-cn", "euc_cn"}
_SAMPLE_ROWS = 50
_UTF8_EVIDENCE = 64  # non-ASCII bytes that decoded as UTF-8 before a bad one: GBK text almost never does


class DelimitedReader(SourceReader):
    """A delimited text file read as text; `detected` names the encoding, delimiter and header row."""

    @closing_on_failure
    def __init__(self, spec: SourceSpec, *, block_size: int = ROW_LIMIT_BYTES) -> None:
        super().__init__(spec.display_name)
        self.path = Path(spec.location)
        self.block_size = block_size
        prefix, whole = open_checked(self.path, self.source, "CSV")
        self.encoding = _encoding(prefix, whole, spec.encoding, self.source)
        text = _decode_prefix(prefix, whole, self.encoding, self.source)
        self.header_row = spec.header_row or 1
        lines = text.splitlines(keepends=True)
        if not whole and text and text[-1] not in "\r\n":
            lines = lines[:-1]  # the last line of the prefix may be cut short
        sample = lines[self.header_row - 1:self.header_row - 1 + _SAMPLE_ROWS]
        if not sample:
            if not whole:
                raise SourceProblem(self.source, f"第一行超过 {describe_size(SNIFF_BYTES)} 仍未换行：不像逐行的"
                                    "表格文件（CSV），请确认文件类型", row=1)
            raise SourceProblem(self.source, f"文件只有 {len(lines)} 行，找不到第 {self.header_row} 行的表头")
        self.delimiter = spec.delimiter or _sniff_delimiter("".join(sample))
        try:
            header = next(csv.reader(io.StringIO("".join(sample)), delimiter=self.delimiter))
        except csv.Error as exc:
            raise SourceProblem(self.source, f"表头无法解析：{exc}", row=self.header_row) from None
        self.columns = column_names(header, self.source, self.header_row)
        self.detected = {"encoding": ENCODING_NAMES.get(self.encoding, self.encoding),
                         "delimiter": DELIMITER_NAMES.get(self.delimiter, self.delimiter),
                         "header_row": str(self.header_row)}
        self.blank_rows = 0
        self._skipped: deque[int] = deque()
        self._rejected: deque[RejectedRow] = deque()

    def _invalid_row(self, row: pacsv.InvalidRow) -> str:
        """pyarrow's handler for a row that does not split into the header's columns: keep it with why."""
        self._skipped.append(row.number)
        text = row.text
        if text.count('"') % 2:
            problem = "引号未闭合：从本行起直到下一个引号的内容都被当作一个字段"
        elif row.actual_columns > row.expected_columns:
            problem = f"字段数多于表头：本行 {row.actual_columns} 个字段，表头 {row.expected_columns} 列"
        else:
            problem = (f"字段数少于表头：本行 {row.actual_columns} 个字段，表头 {row.expected_columns} 列"
                       "（若是最后一行，文件可能不完整）")
        self._rejected.append(RejectedRow(row.number, text[:REJECTED_TEXT_CHARS], problem))
        return "skip"

    def batches(self) -> Iterator[Batch]:
        codec = "utf8" if self.encoding in ("utf-8", "utf-8-sig") else self.encoding
        names = self.columns
        next_row = self.header_row + 1
        try:
            reader = pacsv.open_csv(
                self.path,
                read_options=pacsv.ReadOptions(encoding=codec, block_size=self.block_size, use_threads=False,
                                               skip_rows=self.header_row, column_names=names),
                parse_options=pacsv.ParseOptions(delimiter=self.delimiter, newlines_in_values=True,
                                                 ignore_empty_lines=False, invalid_row_handler=self._invalid_row),
                convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(names, pa.string()),
                                                     null_values=[""], strings_can_be_null=True,
                                                     quoted_strings_can_be_null=False))
            with reader:
                held: Batch | None = None  # the last batch is checked for a quote left open at the end
                for records in reader:
                    numbers, next_row = self._number(records.num_rows, next_row)
                    if held is not None:
                        yield held
                    held = self._batch(records, numbers, next_row)
                if held is not None:
                    yield self._unclosed_quote_at_end(held)
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            raise self._explain(exc, next_row) from None
        if self._rejected:
            yield self._batch(pa.RecordBatch.from_pylist([], pa.schema([(n, pa.string()) for n in names])),
                              pa.array([], pa.int64()), 1 << 62)

    def _number(self, count: int, start: int) -> tuple[pa.Array, int]:
        """Row numbers for `count` kept rows from `start`, stepping over the numbers of rejected rows."""
        skipped, parts, current = self._skipped, [], start
        while count:
            while skipped and skipped[0] < current:
                skipped.popleft()
            gap = skipped[0] - current if skipped else count
            take = min(count, gap)
            if take:
                parts.append(np.arange(current, current + take, dtype=np.int64))
                current, count = current + take, count - take
            if count:
                skipped.popleft()
                current += 1
        while skipped and skipped[0] == current:  # rejected rows right after this batch's last kept row
            skipped.popleft()
            current += 1
        numbers = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        return pa.array(numbers), current

    def _batch(self, records: pa.RecordBatch, numbers: pa.Array, next_row: int) -> Batch:
        """The batch with blank rows (every field empty: an empty line, or `,,,`) left out — they hold nothing,
        and the remaining rows keep their own numbers — and the rejected rows met before `next_row`.
        An empty field is null (missing); a quoted empty field `""` stays an empty string."""
        if records.num_rows and records.num_columns:
            filled = functools.reduce(pc.or_, (pc.is_valid(column) for column in records.columns))
            if not pc.all(filled).as_py():
                self.blank_rows += records.num_rows - pc.sum(filled).as_py()
                records, numbers = records.filter(filled), numbers.filter(filled)
        rejected = []
        while self._rejected and self._rejected[0].row < next_row:
            rejected.append(self._rejected.popleft())
        return Batch(records, numbers, tuple(rejected))

    def _unclosed_quote_at_end(self, batch: Batch) -> Batch:
        """pyarrow closes a quote left open at the end of the file, making the rest of the file one value of
        the last row. When the last row holds a line break and the file has an odd number of quote characters,
        that row is taken out and kept as rejected."""
        if not batch.num_rows or self.encoding == "utf-16":
            return batch
        last = batch.records.slice(batch.num_rows - 1).to_pylist()[0]
        if not any(v is not None and ("\n" in v or "\r" in v) for v in last.values()):
            return batch
        quotes = 0
        with open(self.path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 24), b""):
                quotes += chunk.count(b'"')
        if quotes % 2 == 0:
            return batch
        row = batch.rows[-1].as_py()
        text = self.delimiter.join("" if v is None else v for v in last.values())
        rejected = RejectedRow(row, text[:REJECTED_TEXT_CHARS],
                               "引号未闭合：从本行起直到文件末尾的内容都被当作一个字段")
        keep = batch.num_rows - 1
        return Batch(batch.records.slice(0, keep), batch.rows.slice(0, keep), (*batch.rejected, rejected))

    def _explain(self, exc: Exception, next_row: int) -> SourceProblem:
        message = str(exc)
        if "straddl" in message:
            return SourceProblem(self.source, f"有一行超过 {describe_size(self.block_size)}：可能是引号未闭合，"
                                 "或文件不是逐行的表格；超长的行不予读入", row=next_row)
        if isinstance(exc, UnicodeDecodeError) or "invalid UTF8" in message:
            line = _first_undecodable_line(self.path, self.encoding, self.header_row)
            name = ENCODING_NAMES.get(self.encoding, self.encoding)
            return SourceProblem(self.source, f"不是 {name} 编码（文件开头按 {name} 识别）：文件可能混用了编码，"
                                 "或在此处损坏、被截断", row=line or next_row)
        return SourceProblem(self.source, f"无法解析：{message}", row=next_row)


def _encoding(prefix: bytes, whole: bool, override: str | None, source: str) -> str:
    if override is not None:
        name = codecs.lookup(override).name
        if name in _GB_ALIASES or override.lower() in _GB_ALIASES:
            return "gb18030"
        if name.startswith("utf-16"):
            return "utf-16"
        if name == "utf-8" and prefix.startswith(codecs.BOM_UTF8):
            return "utf-8-sig"
        return name
    if prefix.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if prefix.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    failures: dict[str, int] = {}
    for candidate in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(candidate)().decode(prefix, final=whole)
            return candidate
        except UnicodeDecodeError as exc:
            failures[candidate] = exc.start
            if candidate == "utf-8" and sum(b > 0x7F for b in prefix[:exc.start]) >= _UTF8_EVIDENCE:
                break  # many characters read as UTF-8 first: a UTF-8 file broken here, not a GBK one
    best = max(failures, key=failures.__getitem__)  # the encoding that reads furthest
    row = prefix[:failures[best]].count(b"\n") + 1
    if row > 2:
        name = ENCODING_NAMES[best]
        raise SourceProblem(source, f"不是 {name} 编码（前面的行按 {name} 识别）：文件可能混用了编码，"
                            "或在此处损坏、被截断", row=row)
    raise SourceProblem(source, "无法识别文件编码：既不是 UTF-8，也不是 GBK/GB18030（可用 --encoding 指定）", row=row)


def _decode_prefix(prefix: bytes, whole: bool, encoding: str, source: str) -> str:
    try:
        text = codecs.getincrementaldecoder(encoding)().decode(prefix, final=whole)
    except UnicodeDecodeError as exc:
        raise SourceProblem(source, f"不是 {ENCODING_NAMES.get(encoding, encoding)} 编码",
                            row=prefix[:exc.start].count(b"\n") + 1) from None
    return text.lstrip("\ufeff")


def _sniff_delimiter(sample: str) -> str:
    best, best_score = ",", (False, 0, 0)
    for delimiter in DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(sample), delimiter=delimiter) if r]
        except csv.Error:  # a field over the csv module's limit: not this delimiter's sample to judge
            continue
        if not rows:
            continue
        width = len(rows[0])
        score = (width > 1, sum(len(r) == width for r in rows), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _first_undecodable_line(path: Path, encoding: str, header_row: int) -> int | None:
    """The first line (1-based) that does not decode, reading one line at a time (at most ROW_LIMIT_BYTES).
    Safe for UTF-8 and GB18030: neither uses the newline byte inside a multi-byte character."""
    if encoding.startswith("utf-16"):
        return None
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    with open(path, "rb") as handle:
        for number, line in enumerate(iter(lambda: handle.readline(ROW_LIMIT_BYTES), b""), start=1):
            try:
                line.decode(codec)
            except UnicodeDecodeError:
                return number
    return None
