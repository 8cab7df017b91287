"""The store on disk, without the metadata database: how frames are encoded (types kept, text stays text,
the same rows give the same bytes), how a version folder appears all at once or not at all, and how an
operator's CSV is read (every column as text, UTF-8 or GBK)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from zhengshu.core.datasets.domain import Column
from zhengshu.core.datasets.store import DatasetStore, encode, read_source_file
from zhengshu.core.datasets.tests.conftest import people
from zhengshu.kernel.crypto import sm3_hex
from zhengshu.kernel.errors import IntegrityError, InvalidInput, NotFound


def test_types_are_kept_and_made_canonical() -> None:
    frame = pl.DataFrame({
        "文本": ["a", None], "小整数": pl.Series([1, 2], dtype=pl.Int8), "无符号": pl.Series([1, 2], dtype=pl.UInt32),
        "小数": pl.Series([1.5, None], dtype=pl.Float32), "布尔": [True, False], "日期": [date(2024, 1, 1), None],
        "时间": pl.Series([datetime(2024, 1, 1, tzinfo=UTC)] * 2).dt.cast_time_unit("ns"),
        "金额": pl.Series(["1.20", "3.45"]).cast(pl.Decimal(18, 2)),
        "类别": pl.Series(["甲", "乙"], dtype=pl.Categorical),
    })
    encoded = encode(frame)
    assert [c.as_dict()["type"] for c in encoded.columns] == [
        "string", "int64", "int64", "float64", "bool", "date", "timestamp", "decimal(18,2)", "string"]
    stored = pq.read_table(pa.BufferReader(encoded.data))
    assert stored.column_names[-1] == "_row" and stored.column("_row").to_pylist() == [0, 1]
    assert stored.schema.field("时间").type == pa.timestamp("us", "UTC")
    assert stored.column("类别").to_pylist() == ["甲", "乙"]


def test_id_numbers_phones_and_codes_stay_text() -> None:
    frame = pl.DataFrame({"身份证号": ["13030219900101001X", "130302199001010023"], "电话": ["013800138000", "0335"]})
    stored = pq.read_table(pa.BufferReader(encode(frame).data))
    assert stored.schema.field("身份证号").type == pa.string()
    assert stored.column("电话").to_pylist() == ["013800138000", "0335"]


@pytest.mark.parametrize(("frame", "words"), [
    (pl.DataFrame({"时间": [datetime(2024, 1, 1)]}), "时区"),
    (pl.DataFrame({"空": [None, None]}), "全为空"),
    (pl.DataFrame({"列表": [[1, 2]]}), "不受支持"),
    (pl.DataFrame({"_row": [1]}), "_row"),
    (pl.DataFrame(), "至少"),
    ("not a frame", "DataFrame"),
])
def test_frames_that_cannot_be_stored_are_refused(frame, words: str) -> None:
    with pytest.raises(InvalidInput, match=words):
        encode(frame)


def test_declared_columns_must_match_without_casting() -> None:
    declared = (Column("身份证号", "string"), Column("年龄", "int64"))
    ok = encode(pl.DataFrame({"年龄": [30], "身份证号": ["13030219900101001X"]}), declared)
    assert [c.name for c in ok.columns] == ["身份证号", "年龄"]
    with pytest.raises(InvalidInput, match="多余的列：电话"):
        encode(pl.DataFrame({"身份证号": ["1"], "年龄": [1], "电话": ["0"]}), declared)
    with pytest.raises(InvalidInput, match="身份证号（应为 string，实为 int64）"):
        encode(pl.DataFrame({"身份证号": [130302199001010023], "年龄": [1]}), declared)


def test_the_same_rows_give_the_same_bytes_and_hash() -> None:
    frame = people(300)
    from_polars = encode(frame)
    from_arrow = encode(frame.to_arrow())
    rechunked = encode(pl.concat([frame.head(100), frame.tail(200)], rechunk=False))
    assert from_polars.data == from_arrow.data == rechunked.data
    assert from_polars.content_hash == sm3_hex(from_polars.data)
    assert encode(people(300, offset=1)).content_hash != from_polars.content_hash


def test_a_version_folder_appears_whole_or_not_at_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = DatasetStore.for_data_dir(tmp_path)
    encoded = encode(people(5))
    path = store.place("x-y", 1, encoded)
    assert path == "datasets/x-y/v1"
    assert [p.name for p in store.files(path)] == ["part-0.parquet"]
    assert store.content_hash(path) == encoded.content_hash
    with pytest.raises(IntegrityError):
        store.place("x-y", 1, encoded)  # versions are never overwritten

    def fail(target: Path, data: bytes) -> None:
        target.write_bytes(data[:10])
        raise KeyboardInterrupt

    monkeypatch.setattr(DatasetStore, "_write", staticmethod(fail))
    with pytest.raises(KeyboardInterrupt):
        store.place("x-y", 2, encoded)
    assert sorted(p.name for p in (tmp_path / "datasets" / "x-y").iterdir()) == ["v1"]


def test_paths_outside_the_store_are_refused(tmp_path: Path) -> None:
    store = DatasetStore.for_data_dir(tmp_path)
    with pytest.raises(IntegrityError):
        store.folder("datasets/../keys")
    with pytest.raises(IntegrityError, match="缺失"):
        store.files("datasets/none/v1")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_files_are_read_as_text(tmp_path: Path, encoding: str) -> None:
    file = tmp_path / "hukou.csv"
    file.write_bytes("身份证号,姓名,电话,年龄\r\n130302199001010023,张三,013800138000,30\r\n"
                     "13030219900101001X,\"李,四\",,\r\n".encode(encoding))
    table = read_source_file(file)
    assert table.column_names == ["身份证号", "姓名", "电话", "年龄"]
    assert {f.type for f in table.schema} == {pa.string()}
    assert table.to_pylist()[0] == {"身份证号": "130302199001010023", "姓名": "张三", "电话": "013800138000",
                                    "年龄": "30"}
    assert table.to_pylist()[1]["姓名"] == "李,四" and table.to_pylist()[1]["电话"] == ""


def test_other_source_files(tmp_path: Path) -> None:
    parquet = tmp_path / "a.parquet"
    people(3).write_parquet(parquet)
    assert read_source_file(parquet).num_rows == 3
    with pytest.raises(NotFound):
        read_source_file(tmp_path / "missing.csv")
    (tmp_path / "a.xlsx").write_bytes(b"PK")
    with pytest.raises(InvalidInput, match="parquet"):
        read_source_file(tmp_path / "a.xlsx")
