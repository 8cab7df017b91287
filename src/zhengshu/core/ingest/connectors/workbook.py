"""Excel workbooks (XLSX 工作簿), read with python-calamine (Rust; reads the whole sheet at once, far faster than
openpyxl's streaming mode, and reports merged ranges and password protection).

Bounded memory: calamine holds one sheet in memory, so a workbook whose sheet XML unpacks to more than
SHEET_XML_LIMIT_BYTES is refused before it is opened (an .xlsx sheet also stops at 1,048,576 rows); bigger
tables come as CSV.

Decisions:
- **Header row** (表头行): offices put a title, a note or a blank row above the table. Among the first
  HEADER_SEARCH_ROWS rows, the header is the first whose filled cells are at least two, all different, and at
  least half as many as the fullest of those rows. A title merged across the columns repeats one value and so is
  never taken for the header; neither is the upper row of a two-level header (基本信息 | 基本信息 | 联系方式).
  `header_row` in the source description overrides this.
- **Sheet** (工作表): the named one, else the first visible sheet in which a header is found.
- **Merged cells** (合并单元格): every cell of a merged range reads the value of its top-left cell, as a person
  reading the sheet understands it (a district merged down ten rows belongs to each of them).
- **Values**: text as typed; numbers digit for digit (13800138000, not 13800138000.0; Excel's display formats
  such as leading zeros from a `000000` format are not applied — a number cell has no leading zeros to keep);
  dates and times in ISO 8601. An empty cell is null.
- **Row numbers**: the sheet's own row numbers (1-based), as Excel shows them.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import python_calamine as calamine

from zhengshu.core.ingest.connectors.base import Batch, RowBatcher, SourceReader, closing_on_failure
from zhengshu.core.ingest.connectors.files import OLE_MAGIC, ZIP_MAGIC, open_checked
from zhengshu.core.ingest.domain import (
    REJECTED_TEXT_CHARS,
    SHEET_XML_LIMIT_BYTES,
    RejectedRow,
    SourceProblem,
    as_text,
    column_names,
    describe_size,
)
from zhengshu.core.ingest.schemas import SourceSpec

HEADER_SEARCH_ROWS = 30


class WorkbookReader(SourceReader):
    """One sheet of an XLSX workbook read as text; `detected` names the sheet and the header row."""

    @closing_on_failure
    def __init__(self, spec: SourceSpec) -> None:
        super().__init__(spec.display_name)
        path = Path(spec.location)
        _check_container(path, self.source)
        try:
            self._workbook = calamine.CalamineWorkbook.from_path(str(path))
        except calamine.PasswordError:
            raise SourceProblem(self.source, "工作簿设置了打开密码（已加密）：请去掉密码后重新导出") from None
        except (calamine.ZipError, calamine.XmlError, calamine.CalamineError) as exc:
            raise SourceProblem(self.source, f"工作簿已损坏或不完整，无法打开（{exc}）") from None
        self._sheet, self._header_row, header = self._choose(spec)
        self.columns = column_names(header, self.source, self._header_row)
        self.detected = {"sheet": self._sheet.name, "header_row": str(self._header_row),
                         "sheets": "、".join(self._workbook.sheet_names)}

    def _rows(self, sheet: calamine.CalamineSheet) -> Iterator[tuple[int, list[Any]]]:
        """(row number, values) for every row of the sheet from row 1, merged ranges filled in."""
        if sheet.start is None:
            return
        top, left = sheet.start
        fills: dict[int, list[tuple[int, int, int, int]]] = {}  # row -> (first col, last col, source row, col)
        for (r0, c0), (r1, c1) in sheet.merged_cell_ranges or ():
            for r in range(r0, r1 + 1):
                fills.setdefault(r, []).append((c0, c1, r0, c0))
        anchors: dict[tuple[int, int], Any] = {}
        for offset, values in enumerate(sheet.iter_rows()):
            r = top + offset
            row = [""] * left + values if left else values
            for c0, c1, r0, a0 in fills.get(r, ()):
                if r == r0:
                    anchors[(r0, a0)] = row[a0] if a0 < len(row) else ""
                value = anchors.get((r0, a0), "")
                if len(row) <= c1:
                    row = row + [""] * (c1 + 1 - len(row))
                row[c0:c1 + 1] = [value] * (c1 - c0 + 1)
            yield r + 1, row

    def _choose(self, spec: SourceSpec) -> tuple[calamine.CalamineSheet, int, list[str | None]]:
        names = self._workbook.sheet_names
        if spec.sheet is not None:
            if spec.sheet not in names:
                raise SourceProblem(self.source, f"没有名为“{spec.sheet}”的工作表（有：{'、'.join(names)}）")
            candidates = [spec.sheet]
        else:
            visible = [m.name for m in self._workbook.sheets_metadata
                       if m.visible == calamine.SheetVisibleEnum.Visible
                       and m.typ == calamine.SheetTypeEnum.WorkSheet]
            candidates = visible or names
        for name in candidates:
            try:
                sheet = self._workbook.get_sheet_by_name(name)
            except calamine.CalamineError as exc:
                raise SourceProblem(self.source, f"工作表“{name}”已损坏，无法读取（{exc}）") from None
            found = _header(self._rows(sheet), spec.header_row)
            if found is not None:
                return sheet, found[0], found[1]
        if spec.sheet is not None or spec.header_row is not None:
            where = f"工作表“{spec.sheet}”" if spec.sheet else "工作簿"
            raise SourceProblem(self.source, f"{where}中找不到表头" +
                                (f"（第 {spec.header_row} 行为空）" if spec.header_row else ""))
        raise SourceProblem(self.source, "工作簿中没有数据：每个工作表都是空的，或找不到表头")

    def batches(self) -> Iterator[Batch]:
        width = len(self.columns)
        batcher = RowBatcher(self.source, self.columns)
        for number, values in self._rows(self._sheet):
            if number <= self._header_row:
                continue
            texts = [None if v == "" else _cell_text(v) for v in values]
            if not any(t is not None for t in texts):
                continue  # a blank row holds nothing
            if any(t is not None for t in texts[width:]):
                shown = ",".join("" if t is None else t for t in texts)
                batcher.reject(RejectedRow(number, shown[:REJECTED_TEXT_CHARS],
                                           f"表头只有 {width} 列，本行在表头以外的列还有值"))
                continue
            batch = batcher.add(number, texts[:width])
            if batch is not None:
                yield batch
        last = batcher.cut()
        if last is not None:
            yield last

    def close(self) -> None:
        workbook, self._workbook = getattr(self, "_workbook", None), None
        if workbook is not None:
            workbook.close()


def _cell_text(value: Any) -> str | None:
    if isinstance(value, timedelta):  # a duration cell ([h]:mm): hours:minutes:seconds
        seconds = int(value.total_seconds())
        return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"
    return as_text(value)


def _header(rows: Iterator[tuple[int, list[Any]]], override: int | None) -> tuple[int, list[str | None]] | None:
    """The header row's number and its cells (trailing empty cells dropped), or None if there is none."""
    first: list[tuple[int, list[str | None]]] = []
    for number, values in rows:
        cells = [None if v == "" else _cell_text(v) for v in values]
        while cells and cells[-1] is None:
            cells.pop()
        if override is not None:
            if number == override:
                return (number, cells) if cells else None
            continue
        first.append((number, cells))
        if len(first) >= HEADER_SEARCH_ROWS:
            break
    if not first:
        return None
    fullest = max(sum(c is not None for c in cells) for _, cells in first)
    for number, cells in first:
        filled = [c for c in cells if c is not None]
        if len(filled) >= max(2, fullest / 2) and len(set(filled)) == len(filled):
            return number, cells
    return next(((n, c) for n, c in first if any(x is not None for x in c)), None)


def _check_container(path: Path, source: str) -> None:
    """Refuse what calamine should not be asked to open: not a workbook, or a sheet too big to hold."""
    prefix, _ = open_checked(path, source, "XLSX")
    if prefix.startswith(OLE_MAGIC):
        return  # an encrypted workbook or an old .xls: calamine tells which
    if not prefix.startswith(ZIP_MAGIC):
        raise SourceProblem(source, "文件不是 XLSX 工作簿（已损坏，或是其他类型的文件）")
    try:
        with zipfile.ZipFile(path) as archive:
            sizes = [i.file_size for i in archive.infolist() if i.filename.startswith("xl/worksheets/")]
    except zipfile.BadZipFile:
        raise SourceProblem(source, "工作簿已损坏或不完整（可能在下载或复制时被截断），无法打开") from None
    if sizes and max(sizes) > SHEET_XML_LIMIT_BYTES:
        raise SourceProblem(source, f"工作表过大（解压后超过 {describe_size(SHEET_XML_LIMIT_BYTES)}）："
                            "请另存为 CSV 再导入")
