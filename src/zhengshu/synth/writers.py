"""Files as departments send them: CSV in UTF-8 (with or without BOM) or GB18030, XLSX with a title row above
the header, JSON or JSON Lines, and a SQLite database standing in for a live system. Every writer is
deterministic: the same table gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import xlsxwriter

from zhengshu.synth.dirt import SourceTable

FIXED_TIME = datetime(2026, 6, 30, 9, 0, 0)  # stamped into XLSX metadata instead of the clock


@dataclass(frozen=True)
class FileFormat:
    """How a department sends a table."""

    kind: str  # csv, xlsx, json, jsonl, sqlite
    encoding: str = "utf-8"  # csv: utf-8, utf-8-sig, gb18030
    title: str | None = None  # xlsx: the title row above the header

    @property
    def suffix(self) -> str:
        return {"csv": ".csv", "xlsx": ".xlsx", "json": ".json", "jsonl": ".jsonl", "sqlite": ".sqlite"}[self.kind]


def write(table: SourceTable, fmt: FileFormat, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{table.name}{fmt.suffix}"
    {"csv": _csv, "xlsx": _xlsx, "json": _json, "jsonl": _jsonl, "sqlite": _sqlite}[fmt.kind](table, fmt, path)
    return path


def _rows(table: SourceTable):
    columns = list(table.columns.values())
    return (list(values) for values in zip(*columns, strict=True))


def _csv(table: SourceTable, fmt: FileFormat, path: Path) -> None:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.columns)
    writer.writerows(["" if v is None else v for v in row] for row in _rows(table))
    path.write_bytes(buffer.getvalue().encode(fmt.encoding))


def _xlsx(table: SourceTable, fmt: FileFormat, path: Path) -> None:
    workbook = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False})
    workbook.set_properties({"created": FIXED_TIME, "author": table.department})
    sheet = workbook.add_worksheet("Sheet1")
    bold = workbook.add_format({"bold": True, "font_size": 14})
    headers = list(table.columns)
    sheet.write_string(0, 0, fmt.title or table.name, bold)  # the title row offices put above the table
    for c, header in enumerate(headers):
        sheet.write_string(2, c, header)
    for r, row in enumerate(_rows(table), start=3):
        for c, value in enumerate(row):
            if value is not None:
                sheet.write_string(r, c, value)
    workbook.close()


def _json(table: SourceTable, fmt: FileFormat, path: Path) -> None:
    records = [dict(zip(table.columns, row, strict=True)) for row in _rows(table)]
    path.write_text(json.dumps({"total": len(records), "data": records}, ensure_ascii=False, indent=1),
                    encoding="utf-8")


def _jsonl(table: SourceTable, fmt: FileFormat, path: Path) -> None:
    headers = list(table.columns)
    lines = (json.dumps(dict(zip(headers, row, strict=True)), ensure_ascii=False) for row in _rows(table))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _sqlite(table: SourceTable, fmt: FileFormat, path: Path) -> None:
    path.unlink(missing_ok=True)
    connection = sqlite3.connect(path)
    try:
        headers = list(table.columns)
        quoted = ", ".join(f'"{h}" TEXT' for h in headers)
        connection.execute(f'CREATE TABLE "{table.name}" (id INTEGER PRIMARY KEY, {quoted})')
        marks = ", ".join("?" for _ in headers)
        names = ", ".join(f'"{h}"' for h in headers)
        connection.executemany(f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', _rows(table))
        connection.commit()
    finally:
        connection.close()
