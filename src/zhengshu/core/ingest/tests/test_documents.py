"""JSON documents and JSON Lines: where the records are, values as text, and broken files."""

from __future__ import annotations

import json

import pytest

from zhengshu.core.ingest.domain import SourceProblem
from zhengshu.core.ingest.tests.conftest import read_all, refused


def test_an_object_with_a_list_of_records_under_a_key(tmp_path) -> None:
    file = tmp_path / "t.json"
    file.write_text(json.dumps({"total": 2, "data": [
        {"姓名": "张三", "证件号": "13030219900307001X", "金额": 12.50, "次数": 3, "有效": True, "备注": None},
        {"姓名": "李四", "证件号": "130302198001010012", "地址": {"区": "海港区"}, "标签": ["a", "b"]},
    ]}, ensure_ascii=False), encoding="utf-8")
    back = read_all(file)
    assert back.detected["records_path"] == "data"
    assert back.columns == ["姓名", "证件号", "金额", "次数", "有效", "备注", "地址", "标签"]
    assert back.records[0] == {"姓名": "张三", "证件号": "13030219900307001X", "金额": "12.5", "次数": "3",
                               "有效": "true", "备注": None, "地址": None, "标签": None}
    assert back.records[1]["地址"] == '{"区": "海港区"}' and back.records[1]["标签"] == '["a", "b"]'
    assert back.rows == [1, 2]


def test_a_top_level_array_and_an_explicit_records_path(tmp_path) -> None:
    file = tmp_path / "t.json"
    file.write_text('[{"a": "001"}, {"a": 0.10}]', encoding="utf-8")
    assert read_all(file).records == [{"a": "001"}, {"a": "0.10"}]  # decimals digit for digit as written
    file.write_text('{"meta": [1], "result": {"rows": [{"a": 1}]}}', encoding="utf-8")
    assert read_all(file, records_path="result.rows").records == [{"a": "1"}]


def test_records_that_are_not_objects_are_kept_as_rejected(tmp_path) -> None:
    file = tmp_path / "t.json"
    file.write_text('{"data": [{"a": 1}, [1, 2], "x", {"a": 2}]}', encoding="utf-8")
    back = read_all(file)
    assert back.rows == [1, 4]
    assert [(r.row, r.text) for r in back.rejected] == [(2, "[1, 2]"), (3, "x")]


def test_a_truncated_document_names_the_record(tmp_path) -> None:
    file = tmp_path / "t.json"
    text = json.dumps({"data": [{"a": i} for i in range(1, 500)]})
    file.write_text(text[:len(text) // 2], encoding="utf-8")
    with pytest.raises(SourceProblem, match="JSON 格式错误或文件不完整") as caught:
        read_all(file)
    assert caught.value.details["row"] > 200


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "文件为空"), (b"<!DOCTYPE html><html></html>", "网页（HTML）"), (b"hello", "不是 JSON 数组或对象"),
    (b'{"total": 0}', "没有记录数组"), (b'{"data": []}', "没有任何记录"),
    ('{"data": [{"a": "张三"}]}'.encode("gbk"), "不是 UTF-8 编码"),
])
def test_broken_documents_are_refused(tmp_path, content, problem) -> None:
    assert refused(tmp_path / "t.json", content, problem).details["source"] == "t.json"


def test_json_lines_number_records_by_line_and_keep_bad_lines(tmp_path) -> None:
    file = tmp_path / "t.jsonl"
    file.write_bytes(b'{"a": "1"}\n\n{"a": "2", "b": 3}\n{"a": \n{"a": "4"}\n{"a": "5"')
    back = read_all(file)
    assert back.records == [{"a": "1", "b": None}, {"a": "2", "b": "3"}, {"a": "4", "b": None}]
    assert back.rows == [1, 3, 5]
    assert [(r.row, r.text) for r in back.rejected] == [(4, '{"a": '), (6, '{"a": "5"')]
    assert "不是合法的 JSON" in back.rejected[0].problem and "被截断" in back.rejected[1].problem


def test_a_json_lines_line_over_the_limit_is_refused(tmp_path) -> None:
    file = tmp_path / "t.jsonl"
    with open(file, "wb") as handle:
        handle.write(b'{"a": 1}\n{"a": "')
        for _ in range(17):
            handle.write(b"x" * (1 << 20))
        handle.write(b'"}\n')
    with pytest.raises(SourceProblem, match="一行超过 16 MiB") as caught:
        read_all(file)
    assert caught.value.details["row"] == 2
