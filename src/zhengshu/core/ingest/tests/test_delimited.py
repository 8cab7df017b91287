"""CSV files: encodings, delimiters, quoting, text kept as it is, and each kind of bad input named."""

from __future__ import annotations

import codecs

import pytest

from zhengshu.core.ingest.connectors.delimited import DelimitedReader
from zhengshu.core.ingest.domain import SourceProblem
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.core.ingest.tests.conftest import read_all, refused

PEOPLE = ("姓名,公民身份号码,联系电话,住址\r\n"
          "张三,13030219900307001X,013800138000,\"海港区文化路1号,3单元\"\r\n"
          "李四,130302198001010012,13912345678,北戴河区\r\n")


@pytest.mark.parametrize(("encoding", "shown"), [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8（带 BOM）"),
                                                 ("gbk", "GB18030/GBK"), ("gb18030", "GB18030/GBK"),
                                                 ("utf-16", "UTF-16")])
def test_each_encoding_is_detected_and_everything_stays_text(tmp_path, encoding, shown) -> None:
    file = tmp_path / "people.csv"
    file.write_bytes(PEOPLE.encode(encoding))
    back = read_all(file)
    assert back.detected["encoding"] == shown
    assert back.columns == ["姓名", "公民身份号码", "联系电话", "住址"]
    assert back.records[0] == {"姓名": "张三", "公民身份号码": "13030219900307001X", "联系电话": "013800138000",
                               "住址": "海港区文化路1号,3单元"}
    assert back.records[1]["公民身份号码"] == "130302198001010012"
    assert back.rows == [2, 3]


@pytest.mark.parametrize(("delimiter", "shown"), [(",", "逗号 ,"), ("\t", "制表符"), (";", "分号 ;"), ("|", "竖线 |")])
def test_the_delimiter_is_sniffed(tmp_path, delimiter, shown) -> None:
    file = tmp_path / "t.csv"
    text = PEOPLE.replace(",", delimiter).replace('"海港区文化路1号' + delimiter + '3单元"', '"海港区文化路1号,3单元"')
    file.write_text(text, encoding="utf-8")
    back = read_all(file)
    assert back.detected["delimiter"] == shown
    assert back.records[0]["住址"] == "海港区文化路1号,3单元"
    assert len(back.columns) == 4


def test_quoted_line_breaks_blank_lines_and_empty_values(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_text('编号,备注,金额\n001,"第一行\n第二行",\n\n,,\n002,"",0100\n', encoding="utf-8")
    back = read_all(file)
    # a record with a line break is one row; the blank line and the row of empty fields hold nothing
    assert back.rows == [2, 5]
    assert back.records == [{"编号": "001", "备注": "第一行\n第二行", "金额": None},
                            {"编号": "002", "备注": "", "金额": "0100"}]


def test_ragged_rows_are_kept_with_their_row_and_reason(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_text("a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n", encoding="utf-8")
    back = read_all(file)
    assert back.rows == [2, 5]
    assert [r["a"] for r in back.records] == ["1", "10"]
    assert [(r.row, r.text) for r in back.rejected] == [(3, "4,5"), (4, "6,7,8,9")]
    assert "少于表头" in back.rejected[0].problem and "多于表头" in back.rejected[1].problem


def test_row_numbers_stay_right_across_batches_and_rejections(tmp_path) -> None:
    file = tmp_path / "t.csv"
    lines = ["n,v"] + [f"{i},x" if i % 97 else f"{i}" for i in range(2, 5_002)]
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with DelimitedReader(SourceSpec.for_location(str(file)), block_size=4_096) as reader:
        batches = list(reader.batches())
    assert len(batches) > 5
    numbers = [n for b in batches for n in b.rows.to_pylist()]
    values = [int(v) for b in batches for v in b.records.column("n").to_pylist()]
    assert numbers == values  # each kept row's number is the line it was written on
    assert [r.row for b in batches for r in b.rejected] == [i for i in range(2, 5_002) if i % 97 == 0]


def test_a_header_below_title_rows(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_text("2026年6月 用水户名单\n\n户号,户主\n0001,王五\n", encoding="utf-8")
    back = read_all(file, header_row=3)
    assert back.columns == ["户号", "户主"] and back.records == [{"户号": "0001", "户主": "王五"}]
    assert back.rows == [4]


def test_an_encoding_given_overrides_detection(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes("名称\n张三\n".encode("gbk"))
    assert read_all(file, encoding="gbk").records == [{"名称": "张三"}]
    with pytest.raises(SourceProblem, match="不是 UTF-8 编码"):
        read_all(file, encoding="utf-8")


def test_a_gbk_file_whose_bytes_break_halfway_names_the_row(tmp_path) -> None:
    file = tmp_path / "t.csv"
    good = "".join(f"{i},张三{i}\n" for i in range(2, 20_000)).encode("gbk")
    file.write_bytes("编号,姓名\n".encode("gbk") + good + b"20000,\x81\x20\n" + "20001,李四\n".encode("gbk"))
    with pytest.raises(SourceProblem) as caught:
        read_all(file)
    assert caught.value.details["row"] == 20_000
    assert "GB18030/GBK" in caught.value.message and "混用了编码" in caught.value.message


def test_a_utf8_file_with_gbk_rows_later_names_the_row(tmp_path) -> None:
    file = tmp_path / "t.csv"
    head = "".join(f"{i},张三\n" for i in range(2, 60_000)).encode("utf-8")
    file.write_bytes("编号,姓名\n".encode() + head + "60000,李四\n".encode("gbk"))
    with pytest.raises(SourceProblem) as caught:
        read_all(file)
    assert caught.value.details["row"] == 60_000 and "UTF-8" in caught.value.message


def test_a_file_in_neither_encoding_is_refused(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes(b"a,b\n1,\x80\x80\xff\n")
    with pytest.raises(SourceProblem, match="无法识别文件编码") as caught:
        read_all(file)
    assert caught.value.details["row"] == 2


def test_a_truncated_file_keeps_its_last_row_with_the_reason(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes(PEOPLE.encode("gbk")[:-12])  # cut inside the last row
    back = read_all(file)
    assert len(back.records) == 1
    assert back.rejected[0].row == 3 and "文件可能不完整" in back.rejected[0].problem


def test_a_file_cut_inside_a_gbk_character_names_the_row(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes("a,b\n1,张三\n2,李".encode("gbk")[:-1])
    with pytest.raises(SourceProblem) as caught:
        read_all(file)
    assert caught.value.details["row"] == 3


def test_an_unbalanced_quote_is_named(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_text('a,b\n1,2\n3,"four\n5,6\n', encoding="utf-8")
    back = read_all(file)
    assert back.records == [{"a": "1", "b": "2"}]
    assert back.rejected[0].row == 3 and "引号未闭合" in back.rejected[0].problem
    assert back.rejected[0].text == "3,four\n5,6\n"


def test_an_unbalanced_quote_that_swallows_a_delimiter_is_named(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_text('a,b\n1,2\n"3,4\n5,6\n', encoding="utf-8")
    back = read_all(file)
    assert back.records == [{"a": "1", "b": "2"}]
    assert back.rejected[0].row == 3 and "引号未闭合" in back.rejected[0].problem


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n\r\n  "])
def test_an_empty_file_is_refused(tmp_path, content) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes(content)
    with pytest.raises(SourceProblem, match="文件为空"):
        read_all(file)


def test_a_header_only_file_has_columns_and_no_rows(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_text("a,b\n", encoding="utf-8")
    back = read_all(file)
    assert back.columns == ["a", "b"] and back.records == []


def test_a_single_100_mb_line_is_refused_in_bounded_memory(tmp_path) -> None:
    file = tmp_path / "t.csv"
    with open(file, "wb") as handle:
        handle.write(b"a,b\n1,2\n3,")
        chunk = b"x" * (1 << 20)
        for _ in range(100):
            handle.write(chunk)
        handle.write(b"\n")
    with pytest.raises(SourceProblem, match="有一行超过 16 MiB") as caught:
        read_all(file)
    assert caught.value.details["row"] == 3


def test_a_first_line_with_no_end_is_refused(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes(b"a" * (3 << 20))
    with pytest.raises(SourceProblem, match="仍未换行"):
        read_all(file)


@pytest.mark.parametrize(("content", "problem"), [
    (b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", "网页（HTML）"),
    (b"\r\n<html><head><title>error</title></head></html>", "网页（HTML）"),
    (b"PK\x03\x04rest-of-a-zip", "ZIP/XLSX"),
])
def test_a_file_that_is_really_something_else_is_refused(tmp_path, content, problem) -> None:
    assert refused(tmp_path / "t.csv", content, problem).details["source"] == "t.csv"


def test_duplicate_header_names_are_refused_and_empty_ones_named(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_text("a,,b,\n1,2,3,4\n", encoding="utf-8")
    assert read_all(file).columns == ["a", "第2列", "b", "第4列"]
    file.write_text("姓名,电话,姓名\n1,2,3\n", encoding="utf-8")
    with pytest.raises(SourceProblem, match="“姓名”出现了不止一次") as caught:
        read_all(file)
    assert caught.value.details["row"] == 1


def test_a_missing_file_is_named(tmp_path) -> None:
    with pytest.raises(SourceProblem, match="文件不存在"):
        read_all(tmp_path / "nope.csv")


def test_a_bom_wins_over_guessing(tmp_path) -> None:
    file = tmp_path / "t.csv"
    file.write_bytes(codecs.BOM_UTF8 + "名称\n张三\n".encode())
    back = read_all(file)
    assert back.columns == ["名称"] and back.detected["encoding"] == "UTF-8（带 BOM）"


def test_a_header_too_long_for_the_csv_module_is_named(tmp_path) -> None:
    assert refused(tmp_path / "t.csv", b"a," + b"x" * 200_000 + b"\n1,2\n", "表头无法解析").details["row"] == 1
