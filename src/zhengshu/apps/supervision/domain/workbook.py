"""The downloadable supervision report (督查台账, XLSX): one sheet per table (tasks, departments, sections,
reports), each a header row and plain values. Cells are written as text or numbers, never as formulas (a
report text starting with = stays text)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import xlsxwriter

Sheet = tuple[str, Sequence[tuple[str, int]], Sequence[Sequence[Any]]]  # name, (title, width) columns, rows


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    header = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for name, columns, rows in sheets:
        sheet = book.add_worksheet(name)
        for col, (title, width) in enumerate(columns):
            sheet.write_string(0, col, title, header)
            sheet.set_column(col, col, width, wrap if width >= 40 else None)
        sheet.freeze_panes(1, 0)
        for r, row in enumerate(rows, start=1):
            for col, value in enumerate(row):
                if value is None:
                    sheet.write_blank(r, col, None)
                elif isinstance(value, bool) or not isinstance(value, int | float):
                    sheet.write_string(r, col, str(value))
                else:
                    sheet.write_number(r, col, value)
    book.close()
    return buffer.getvalue()
