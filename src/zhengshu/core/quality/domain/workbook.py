"""The downloadable quality report of one load (质量报告, XLSX): a summary sheet (the resource, the load and its
scores per dimension), a sheet of the rules with what each checked and found, worst first, and a sheet of the
sample bad rows. Built in memory from plain values; cells are written as text or numbers, never as formulas."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import xlsxwriter

RULE_COLUMNS = (("rule_id", "规则", 18), ("dimension", "质量维度", 10), ("severity", "处理", 8),
                ("fields", "字段", 24), ("message", "提示", 36), ("checked", "检查数", 12), ("failed", "不合格数", 12),
                ("share", "不合格占比", 12))
SAMPLE_COLUMNS = (("row", "行号", 10), ("field", "字段", 24), ("value", "值", 30), ("rule_id", "规则", 18),
                  ("message", "提示", 40))
SEVERITY = {"reject": "拒收", "warn": "告警"}


def load_workbook_bytes(summary: Sequence[tuple[str, Any]], scores: Mapping[str, float | None],
                        rules: Sequence[Mapping[str, Any]], samples: Sequence[Mapping[str, Any]]) -> bytes:
    """`summary`: (label, value) lines; `scores`: dimension → 0–100 or None; `rules`: rule counts (rule_id,
    dimension, severity, fields, message, checked, failed), worst first; `samples`: bad rows."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    bold = book.add_format({"bold": True})
    header = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    percent = book.add_format({"num_format": "0.00%"})

    sheet = book.add_worksheet("概要")
    sheet.set_column(0, 0, 18)
    sheet.set_column(1, 1, 40)
    line = 0
    for label, value in summary:
        sheet.write_string(line, 0, label, bold)
        _cell(sheet, line, 1, value)
        line += 1
    line += 1
    sheet.write_string(line, 0, "质量维度", header)
    sheet.write_string(line, 1, "得分（0–100）", header)
    for dimension, score in scores.items():
        line += 1
        sheet.write_string(line, 0, dimension)
        _cell(sheet, line, 1, "未检查" if score is None else score)

    sheet = book.add_worksheet("规则")
    _header(sheet, RULE_COLUMNS, header)
    for n, rule in enumerate(rules, start=1):
        values = {**rule, "severity": SEVERITY.get(rule["severity"], rule["severity"]),
                  "fields": "、".join(rule["fields"]),
                  "share": rule["failed"] / rule["checked"] if rule["checked"] else None}
        for col, (key, _, _) in enumerate(RULE_COLUMNS):
            _cell(sheet, n, col, values[key], percent if key == "share" else None)

    sheet = book.add_worksheet("问题样例")
    _header(sheet, SAMPLE_COLUMNS, header)
    for n, sample in enumerate(samples, start=1):
        for col, (key, _, _) in enumerate(SAMPLE_COLUMNS):
            _cell(sheet, n, col, sample[key])
    book.close()
    return buffer.getvalue()


def _header(sheet: Any, columns: Sequence[tuple[str, str, int]], style: Any) -> None:
    for col, (_, title, width) in enumerate(columns):
        sheet.write_string(0, col, title, style)
        sheet.set_column(col, col, width)
    sheet.freeze_panes(1, 0)


def _cell(sheet: Any, row: int, col: int, value: Any, style: Any = None) -> None:
    if value is None:
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, bool) or not isinstance(value, int | float):
        sheet.write_string(row, col, str(value), style)
    else:
        sheet.write_number(row, col, value, style)
