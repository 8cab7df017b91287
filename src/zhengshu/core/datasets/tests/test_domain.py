"""Dataset rules without I/O: codes, column names, value types, read requests (also from URL parameters)
and the keyset cursor."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from zhengshu.core.datasets.domain import (
    Column,
    Direction,
    Filter,
    Op,
    RecordQuery,
    SortKey,
    check_code,
    check_columns,
    coerce,
    encode_cursor,
    plan_read,
)
from zhengshu.core.datasets.schemas import parse_sort, query_from_params
from zhengshu.kernel.errors import InvalidInput

COLUMNS = (Column("身份证号", "string"), Column("年龄", "int64"), Column("出生日期", "date"),
           Column("登记时间", "timestamp"), Column("收入", "decimal(18,2)"), Column("在册", "bool"),
           Column("评分", "float64"))


def test_codes() -> None:
    assert check_code(" 130300003-hukou ") == "130300003-hukou"
    for bad in ("", "a", "A1", "-ab", "a b", "a/b", "..", "a.b", "户籍", "x" * 65):
        with pytest.raises(InvalidInput):
            check_code(bad)


def test_column_names() -> None:
    assert check_columns([Column("身份证号码(18位)", "string")])
    for bad in ("", " 姓名", "_row", "a,b", "a[b]", 'a"b', "a\nb", "x" * 65):
        with pytest.raises(InvalidInput):
            check_columns([Column(bad, "string")])
    with pytest.raises(InvalidInput, match="重复"):
        check_columns([Column("a", "string"), Column("a", "int64")])
    with pytest.raises(InvalidInput, match="不受支持"):
        check_columns([Column("a", "varchar")])


def test_values_take_the_column_type() -> None:
    assert coerce("007", "string", "c") == "007"
    assert coerce(" 42 ", "int64", "c") == 42
    assert coerce("2024-01-31", "date", "c") == date(2024, 1, 31)
    assert coerce("2024-01-01T08:00:00+08:00", "timestamp", "c") == datetime(2024, 1, 1, tzinfo=UTC)
    assert coerce("12.50", "decimal(18,2)", "c") == Decimal("12.50")
    assert coerce("是", "bool", "c") is True and coerce("false", "bool", "c") is False
    for value, type_ in ((7, "string"), ("4.2", "int64"), (True, "int64"), ("nan", "float64"),
                         ("2024-13-01", "date"), ("2024-01-01T08:00:00", "timestamp"), ("x", "decimal(18,2)"),
                         ("maybe", "bool"), (["a"], "string"), (2**63, "int64")):
        with pytest.raises(InvalidInput):
            coerce(value, type_, "c")


def test_a_read_plan_checks_everything_against_the_columns() -> None:
    plan = plan_read(RecordQuery(columns=("年龄", "身份证号", "年龄"), sort=(("年龄", "desc"),),
                                 filters=(Filter("年龄", "ge", "18"), Filter("身份证号", "in", ["1", "2"]),
                                          Filter("身份证号", "eq", None))), 3, COLUMNS)
    assert [c.name for c in plan.columns] == ["年龄", "身份证号"]
    assert [(c.op, c.value) for c in plan.conditions] == [(Op.GE, 18), (Op.IN, ("1", "2")), (Op.EQ, None)]
    bad = [
        (RecordQuery(columns=("学历",)), "学历"),
        (RecordQuery(columns=()), "至少"),
        (RecordQuery(filters=(Filter("学历", "eq", "x"),)), "学历"),
        (RecordQuery(filters=(Filter("年龄", "between", "1"),)), "between"),
        (RecordQuery(filters=(Filter("年龄", "prefix", "1"),)), "文本"),
        (RecordQuery(filters=(Filter("年龄", "lt", None),)), "需要一个值"),
        (RecordQuery(filters=(Filter("年龄", "in", []),)), "至少一个值"),
        (RecordQuery(filters=(Filter("年龄", "eq", "十八"),)), "int64"),
        (RecordQuery(sort=(("年龄", "up"),)), "asc"),
        (RecordQuery(sort=(("年龄", "asc"), ("年龄", "desc"))), "重复"),
        (RecordQuery(sort=(("_row", "asc"),)), "_row"),
        (RecordQuery(limit=0), "1 到 1000"),
        (RecordQuery(limit=1001), "1 到 1000"),
        (RecordQuery(after="not a cursor"), "游标"),
    ]
    for query, words in bad:
        with pytest.raises(InvalidInput, match=words):
            plan_read(query, 3, COLUMNS)


def test_the_cursor_belongs_to_one_version_and_one_sort() -> None:
    moment = datetime(2024, 5, 1, 8, tzinfo=UTC)
    sort = (SortKey("登记时间", Direction.DESC), SortKey("收入", Direction.ASC))
    cursor = encode_cursor(3, sort, [moment, Decimal("9.90")], 41)
    assert "=" not in cursor and "/" not in cursor and "+" not in cursor
    query = RecordQuery(sort=(("登记时间", "desc"), ("收入", "asc")), after=cursor)
    position = plan_read(query, 3, COLUMNS).after
    assert position is not None and (position.values, position.row) == ((moment, Decimal("9.90")), 41)
    with pytest.raises(InvalidInput, match="第 3 版"):
        plan_read(query, 4, COLUMNS)
    with pytest.raises(InvalidInput, match="排序"):
        plan_read(RecordQuery(sort=(("登记时间", "asc"),), after=cursor), 3, COLUMNS)


def test_url_parameters() -> None:
    query = query_from_params([
        ("columns", "身份证号, 年龄"), ("sort", "年龄,-登记时间"), ("limit", "20"), ("after", "abc"),
        ("version", "2"), ("区划", "130302"), ("年龄[ge]", "18"), ("区划[in]", "1"), ("区划[in]", "2"),
        ("limit[eq]", "列名恰好是 limit"),
    ])
    assert query.columns == ("身份证号", "年龄")
    assert query.sort == (("年龄", "asc"), ("登记时间", "desc"))
    assert (query.limit, query.after, query.version) == (20, "abc", 2)
    assert query.filters == (Filter("区划", "eq", "130302"), Filter("年龄", "ge", "18"),
                             Filter("limit", "eq", "列名恰好是 limit"), Filter("区划", "in", ["1", "2"]))
    with pytest.raises(InvalidInput, match="limit"):
        query_from_params([("limit", "many")])
    assert parse_sort(" a , +b,-c,") == (("a", "asc"), ("b", "asc"), ("c", "desc"))
