"""Reading a version with DuckDB (no metadata database needed): column selection, every filter op, sort both
ways with empty values and ties, keyset pages that cover every row exactly once, counts, and values that
look like SQL staying values. Each answer is compared with the same question answered in plain Python."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhengshu.core.datasets import queries
from zhengshu.core.datasets.domain import Filter, RecordQuery, plan_read
from zhengshu.core.datasets.store import DatasetStore, encode

N = 120
NOTE = "备注 'x'; --"  # a column name with quotes and SQL comment marks: quoted, never spliced


def _rows() -> list[dict[str, Any]]:
    names = ["张三", "李四", "王五", None, "张三丰", "50%折扣", "it's", "' OR 1=1 --"]
    return [
        {
            "身份证号": f"13030219{60 + i % 40:02d}0101{i:03d}{'X' if i % 7 == 0 else i % 10}",
            "姓名": names[i % len(names)],
            "年龄": None if i % 11 == 0 else 18 + i % 9,
            "收入": None if i % 13 == 0 else Decimal(f"{1000 + (i % 5) * 250}.50"),
            "出生日期": date(1960 + i % 4, 1 + i % 12, 1),
            "登记时间": datetime(2024, 1, 1 + i % 3, 8, tzinfo=UTC),
            "在册": i % 3 != 0,
            "评分": (i % 6) / 2,
            NOTE: "x" if i % 2 else "",
            "_row": i,
        }
        for i in range(N)
    ]


ROWS = _rows()
SORTABLE = ["姓名", "年龄", "收入", "出生日期", "登记时间", "在册", "评分", "身份证号"]


@pytest.fixture(autouse=True, params=["table", "parquet"])
def source(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every read twice: from the version held as a DuckDB table, and straight from its Parquet files."""
    queries.set_table_budget(queries.DEFAULT_TABLE_BUDGET if request.param == "table" else 0)
    yield request.param
    queries.set_table_budget(queries.DEFAULT_TABLE_BUDGET)


@pytest.fixture(scope="module")
def version(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], tuple]:
    store = DatasetStore(tmp_path_factory.mktemp("data") / "datasets")
    columns = {k: [r[k] for r in ROWS] for k in ROWS[0] if k != "_row"}
    table = pa.table(columns | {"收入": pa.array(columns["收入"], pa.decimal128(18, 2)),
                                "登记时间": pa.array(columns["登记时间"], pa.timestamp("us", "UTC"))})
    encoded = encode(table)
    path = store.place("people", 1, encoded)
    return store.files(path), encoded.columns


def read(version, **query) -> tuple[list[dict[str, Any]], str | None]:
    files, columns = version
    return queries.read_page(files, plan_read(RecordQuery(**query), 1, columns))


def count(version, *filters: Filter) -> int:
    files, columns = version
    return queries.count(files, plan_read(RecordQuery(filters=filters), 1, columns))


def python_order(rows: list[dict], sort: list[tuple[str, str]]) -> list[dict]:
    """The page order in Python: each key ascending with empty values last or descending with empty values
    first, ties broken by the row ordinal (stable sorts from the last key to the first)."""
    ordered = sorted(rows, key=lambda r: r["_row"])
    for column, direction in reversed(sort):
        present = [r for r in ordered if r[column] is not None]
        empty = [r for r in ordered if r[column] is None]
        present = sorted(present, key=lambda r: r[column], reverse=direction == "desc")
        ordered = present + empty if direction == "asc" else empty + present
    return ordered


def all_pages(version, limit: int, **query) -> list[dict]:
    rows, after, pages = [], None, 0
    while True:
        page, after = read(version, limit=limit, after=after, **query)
        assert len(page) <= limit
        rows += page
        pages += 1
        if after is None:
            return rows
        assert len(page) == limit and pages <= N


def test_all_columns_in_order_and_a_selection(version) -> None:
    rows, after = read(version, limit=3)
    assert after is not None
    assert rows == [{k: v for k, v in r.items() if k != "_row"} for r in ROWS[:3]]
    assert rows[0]["身份证号"].endswith("X") and isinstance(rows[0]["登记时间"], datetime)
    picked, _ = read(version, columns=("年龄", "身份证号"), limit=2)
    assert picked == [{"年龄": None, "身份证号": ROWS[0]["身份证号"]}, {"年龄": 19, "身份证号": ROWS[1]["身份证号"]}]
    assert list(picked[0]) == ["年龄", "身份证号"]


OPS = [
    (Filter("姓名", "eq", "张三"), lambda r: r["姓名"] == "张三"),
    (Filter("姓名", "ne", "张三"), lambda r: r["姓名"] is not None and r["姓名"] != "张三"),
    (Filter("姓名", "eq", None), lambda r: r["姓名"] is None),
    (Filter("姓名", "ne", None), lambda r: r["姓名"] is not None),
    (Filter("年龄", "lt", "20"), lambda r: r["年龄"] is not None and r["年龄"] < 20),
    (Filter("年龄", "le", 20), lambda r: r["年龄"] is not None and r["年龄"] <= 20),
    (Filter("年龄", "gt", 24), lambda r: r["年龄"] is not None and r["年龄"] > 24),
    (Filter("年龄", "ge", "24"), lambda r: r["年龄"] is not None and r["年龄"] >= 24),
    (Filter("姓名", "in", ["李四", "王五", "无此人"]), lambda r: r["姓名"] in ("李四", "王五")),
    (Filter("姓名", "prefix", "张三"), lambda r: (r["姓名"] or "").startswith("张三")),
    (Filter("身份证号", "contains", "X"), lambda r: "X" in r["身份证号"]),
    (Filter("收入", "ge", "1500.50"), lambda r: r["收入"] is not None and r["收入"] >= Decimal("1500.50")),
    (Filter("出生日期", "lt", "1962-01-01"), lambda r: r["出生日期"] < date(1962, 1, 1)),
    (Filter("登记时间", "eq", "2024-01-02T16:00:00+08:00"), lambda r: r["登记时间"].day == 2),
    (Filter("在册", "eq", "否"), lambda r: not r["在册"]),
    (Filter("评分", "gt", 1.5), lambda r: r["评分"] > 1.5),
    (Filter(NOTE, "eq", "x"), lambda r: r[NOTE] == "x"),
]


@pytest.mark.parametrize(("condition", "keep"), OPS, ids=[f"{f.column}-{f.op}" for f, _ in OPS])
def test_each_filter_op(version, condition: Filter, keep) -> None:
    expected = [r["_row"] for r in ROWS if keep(r)]
    assert expected, "every case should match something"
    got = all_pages(version, 1000, filters=(condition,), columns=("身份证号",))
    assert [r["身份证号"] for r in got] == [ROWS[i]["身份证号"] for i in expected]
    assert count(version, condition) == len(expected)


def test_filters_combine_with_and(version) -> None:
    both = (Filter("姓名", "prefix", "张"), Filter("年龄", "ge", 22))
    expected = [r for r in ROWS if (r["姓名"] or "").startswith("张") and (r["年龄"] or 0) >= 22]
    assert count(version, *both) == len(expected) > 0
    assert count(version) == N


@pytest.mark.parametrize("value", ["' OR 1=1 --", "%", "_", "50%", "'; DROP TABLE x; --", "\\", "it's"])
def test_text_that_looks_like_sql_is_just_a_value(version, value: str) -> None:
    for op in ("eq", "contains", "prefix"):
        keep = {"eq": lambda s, v=value: s == v, "contains": lambda s, v=value: v in s,
                "prefix": lambda s, v=value: s.startswith(v)}[op]
        expected = sum(1 for r in ROWS if r["姓名"] is not None and keep(r["姓名"]))
        assert count(version, Filter("姓名", op, value)) == expected, (op, value)


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("column", ["年龄", "姓名", "登记时间", "收入"])
def test_sort_either_way_with_empty_values_and_ties(version, column: str, direction: str) -> None:
    got = all_pages(version, 1000, sort=((column, direction),), columns=("身份证号",))
    expected = python_order(ROWS, [(column, direction)])
    assert [r["身份证号"] for r in got] == [r["身份证号"] for r in expected]


@settings(max_examples=30, deadline=None)
@given(
    sort=st.lists(st.tuples(st.sampled_from(SORTABLE), st.sampled_from(["asc", "desc"])), max_size=3,
                  unique_by=lambda k: k[0]),
    limit=st.integers(min_value=4, max_value=40),
    adult=st.booleans(),
)
def test_keyset_pages_cover_every_row_exactly_once_in_order(version, sort, limit, adult) -> None:
    filters = (Filter("年龄", "ge", 21),) if adult else ()
    got = all_pages(version, limit, sort=tuple(sort), filters=filters, columns=("身份证号",))
    rows = [r for r in ROWS if not adult or (r["年龄"] is not None and r["年龄"] >= 21)]
    assert [r["身份证号"] for r in got] == [r["身份证号"] for r in python_order(rows, sort)]


def test_the_last_page_has_no_cursor(version) -> None:
    rows, after = read(version, limit=N)
    assert len(rows) == N and after is None
    rows, after = read(version, limit=N - 1)
    assert after is not None
    rest, after = read(version, limit=N - 1, after=after)
    assert len(rest) == 1 and after is None


def test_file_order_holds_across_many_row_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Pages in file order come from a scan that DuckDB runs on several threads, one row group each: the
    rows must still come back in `_row` order, also when a page spans row groups."""
    from zhengshu.core.datasets import store as store_module

    monkeypatch.setattr(store_module, "ROW_GROUP_ROWS", 500)
    n = 20_000
    table = pa.table({"编号": [f"{i:06d}" for i in range(n)], "组": [str(i % 7) for i in range(n)]})
    store = DatasetStore(tmp_path / "datasets")
    encoded = encode(table)
    files = store.files(store.place("many", 1, encoded))
    assert pa.parquet.ParquetFile(files[0]).num_row_groups == 40

    def pages(limit: int, *filters: Filter) -> list[str]:
        got, after = [], None
        while True:
            plan = plan_read(RecordQuery(filters=filters, limit=limit, after=after), 1, encoded.columns)
            rows, after = queries.read_page(files, plan)
            got += [r["编号"] for r in rows]
            if after is None:
                return got

    assert pages(1000, Filter("组", "eq", "3")) == [f"{i:06d}" for i in range(n) if i % 7 == 3]
    assert pages(997) == [f"{i:06d}" for i in range(n)]


def test_a_version_is_read_from_its_table_once_loaded_and_from_parquet_beyond_the_budget(version, source) -> None:
    files, _ = version
    expected = read(version, sort=[("姓名", "asc")], limit=7)
    if source == "table":
        assert queries._identity(files) in queries._tables
    queries.set_table_budget(1)  # nothing fits: the table is dropped, the files are read
    assert not queries._tables
    assert read(version, sort=[("姓名", "asc")], limit=7) == expected
    assert not queries._tables
    queries.set_table_budget(queries.DEFAULT_TABLE_BUDGET)
    assert read(version, sort=[("姓名", "asc")], limit=7) == expected
    assert count(version, Filter("在册", "eq", True)) == sum(1 for r in ROWS if r["在册"])


def test_a_dropped_table_is_read_from_the_files(version, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reader that found the table just before it was dropped (for a newer version) reads the files."""
    expected = read(version, limit=5)
    monkeypatch.setattr(queries, "_table_for", lambda _files: "version_dropped_meanwhile")
    assert read(version, limit=5) == expected
    assert count(version) == N
