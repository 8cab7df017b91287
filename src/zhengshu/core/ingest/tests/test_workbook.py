"""XLSX workbooks: header below title rows, sheets, merged cells, values as text, and broken workbooks."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import xlsxwriter
from msoffcrypto.format.ooxml import OOXMLFile

from zhengshu.core.ingest.domain import SourceProblem
from zhengshu.core.ingest.tests.conftest import read_all, refused


def workbook(path, sheets: dict[str, list[tuple[int, list]]], merges: dict[str, list[tuple]] | None = None):
    """Write a workbook: for each sheet, (row index, values) pairs; merges as (r0, c0, r1, c1, value)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r0, c0, r1, c1, value in (merges or {}).get(name, ()):
            sheet.merge_range(r0, c0, r1, c1, value)
        for r, values in rows:
            for c, value in enumerate(values):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


def test_the_header_is_found_below_a_title_and_a_blank_row(tmp_path) -> None:
    file = workbook(tmp_path / "t.xlsx", {"Sheet1": [
        (0, ["2026年婚姻登记"]), (2, ["男方姓名", "男方身份证号", "登记日期"]),
        (3, ["张三", "13030219900307001X", "2026-01-02"]), (4, ["李四", "130302198001010012", None])]})
    back = read_all(file)
    assert back.detected["header_row"] == "3" and back.detected["sheet"] == "Sheet1"
    assert back.columns == ["男方姓名", "男方身份证号", "登记日期"]
    assert back.records == [{"男方姓名": "张三", "男方身份证号": "13030219900307001X", "登记日期": "2026-01-02"},
                            {"男方姓名": "李四", "男方身份证号": "130302198001010012", "登记日期": None}]
    assert back.rows == [4, 5]


def test_a_merged_title_and_a_two_level_header_are_passed_over_and_merged_cells_fill_down(tmp_path) -> None:
    file = workbook(tmp_path / "t.xlsx", {"名单": [
        (2, [None, None, "电话", "备注"]),
        (3, ["区县", "姓名", "手机", "说明"]),
        (4, [None, "张三", "013800138000", None]), (5, [None, "李四", 13800138000, None]),
        (6, ["山海关区", "王五", None, None])]},
        merges={"名单": [(0, 0, 0, 3, "秦皇岛市名单"), (2, 0, 2, 1, "基本信息"), (4, 0, 5, 0, "海港区"),
                          (4, 3, 5, 3, "同一户")]})
    back = read_all(file)
    assert back.detected["header_row"] == "4"
    assert back.records == [
        {"区县": "海港区", "姓名": "张三", "手机": "013800138000", "说明": "同一户"},
        {"区县": "海港区", "姓名": "李四", "手机": "13800138000", "说明": "同一户"},
        {"区县": "山海关区", "姓名": "王五", "手机": None, "说明": None}]
    assert back.rows == [5, 6, 7]


def test_values_of_every_cell_type_become_text(tmp_path) -> None:
    file = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(file))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["整数", "小数", "日期", "时间", "布尔", "文本"])
    sheet.write_number(1, 0, 42)
    sheet.write_number(1, 1, 0.1)
    sheet.write_datetime(1, 2, datetime(2026, 3, 1), book.add_format({"num_format": "yyyy-mm-dd"}))
    sheet.write_datetime(1, 3, datetime(2026, 3, 1, 8, 30), book.add_format({"num_format": "yyyy-mm-dd hh:mm"}))
    sheet.write_boolean(1, 4, True)
    sheet.write_string(1, 5, "000123")
    book.close()
    record = read_all(file).records[0]
    assert record["整数"] == "42" and record["小数"] == "0.1" and record["文本"] == "000123"
    assert record["日期"] in (date(2026, 3, 1).isoformat(), "2026-03-01T00:00:00")
    assert record["时间"] == "2026-03-01T08:30:00" and record["布尔"] == "true"


def test_sheets_are_chosen_by_name_or_the_first_with_a_header(tmp_path) -> None:
    file = workbook(tmp_path / "t.xlsx", {"说明": [], "数据": [(0, ["a", "b"]), (1, ["1", "2"])],
                                          "另表": [(0, ["x", "y"]), (1, ["3", "4"])]})
    assert read_all(file).detected["sheet"] == "数据"
    back = read_all(file, sheet="另表")
    assert back.records == [{"x": "3", "y": "4"}] and back.detected["sheets"] == "说明、数据、另表"
    with pytest.raises(SourceProblem, match="没有名为“无此表”的工作表（有：说明、数据、另表）"):
        read_all(file, sheet="无此表")


def test_a_header_row_given_overrides_the_search(tmp_path) -> None:
    file = workbook(tmp_path / "t.xlsx", {"S": [(0, ["单位", "秦皇岛"]), (1, ["a", "b"]), (2, ["1", "2"])]})
    assert read_all(file).columns == ["单位", "秦皇岛"]
    back = read_all(file, header_row=2)
    assert back.columns == ["a", "b"] and back.rows == [3]


def test_values_beyond_the_header_are_kept_as_rejected_rows(tmp_path) -> None:
    file = workbook(tmp_path / "t.xlsx", {"S": [(0, ["a", "b"]), (1, ["1", "2"]), (2, ["3", "4", "多余"])]})
    back = read_all(file)
    assert back.records == [{"a": "1", "b": "2"}]
    assert back.rejected[0].row == 3 and back.rejected[0].text == "3,4,多余"
    assert "表头以外的列" in back.rejected[0].problem


def test_a_password_protected_workbook_is_refused(tmp_path) -> None:
    plain = workbook(tmp_path / "plain.xlsx", {"S": [(0, ["a"]), (1, ["1"])]})
    encrypted = tmp_path / "locked.xlsx"
    out = io.BytesIO()
    with open(plain, "rb") as handle:
        OOXMLFile(handle).encrypt("secret", out)
    encrypted.write_bytes(out.getvalue())
    with pytest.raises(SourceProblem, match="设置了打开密码"):
        read_all(encrypted)


@pytest.mark.parametrize(("cut", "problem"), [(0.5, "损坏或不完整"), (0.98, "损坏或不完整")])
def test_a_truncated_workbook_is_refused(tmp_path, cut, problem) -> None:
    data = workbook(tmp_path / "w.xlsx", {"S": [(r, [f"v{r}", r]) for r in range(2_000)]}).read_bytes()
    file = tmp_path / "t.xlsx"
    file.write_bytes(data[:int(len(data) * cut)])
    with pytest.raises(SourceProblem, match=problem):
        read_all(file)


@pytest.mark.parametrize(("content", "problem"), [
    (b"<html><body>404 Not Found</body></html>", "网页（HTML）"),
    (b"a,b\n1,2\n", "不是 XLSX 工作簿"),
    (b"", "文件为空"),
])
def test_a_file_that_is_not_a_workbook_is_refused(tmp_path, content, problem) -> None:
    assert refused(tmp_path / "t.xlsx", content, problem).details["source"] == "t.xlsx"


def test_an_empty_workbook_is_refused(tmp_path) -> None:
    file = workbook(tmp_path / "t.xlsx", {"S": []})
    with pytest.raises(SourceProblem, match="工作簿中没有数据"):
        read_all(file)


def test_a_corrupt_sheet_inside_a_whole_zip_is_refused(tmp_path) -> None:
    import zipfile

    source = workbook(tmp_path / "w.xlsx", {"S": [(0, ["a"]), (1, ["1"])]})
    file = tmp_path / "t.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(file, "w") as new:
        for item in old.infolist():
            data = old.read(item)
            new.writestr(item, b"<worksheet><sheetData><row" if "worksheets/" in item.filename else data)
    with pytest.raises(SourceProblem, match="工作表“S”已损坏"):
        read_all(file)
