"""The dataset store on disk (数据集存储): one folder of Parquet files per version, written aside and renamed
into place, never changed afterwards.

    <data_dir>/datasets/<code>/v<N>/part-0.parquet      a version, immutable once its row is `ready`
    <data_dir>/datasets/<code>/.v<N>.<random>.writing/   a version being written (never read)

A folder is a version only when its metadata row says `ready`; readers find files through that row, never by
listing folders. Services get a `DatasetStore` passed in (built by handlers and commands with
`DatasetStore.for_data_dir(platform.settings.data_dir)`), because the unit of work carries no settings.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from zhengshu.core.datasets import queries
from zhengshu.core.datasets.domain import (
    BOOL,
    DATE,
    FLOAT64,
    INT64,
    ROW_KEY,
    STRING,
    TIMESTAMP,
    Column,
    check_columns,
    match_declared,
)
from zhengshu.kernel.crypto import sm3_hex
from zhengshu.kernel.errors import IntegrityError, InvalidInput, NotFound

PART = "part-0.parquet"
ROW_GROUP_ROWS = 32_768  # one unit of parallel work and of min/max pruning; small enough that fetching a
# page of rows scattered over a big version decodes little (measured: docs/modules/datasets.md)
COMPRESSION = "zstd"
_SNIFF_BYTES = 1 << 20


@dataclass(frozen=True)
class EncodedVersion:
    """A version's rows encoded as one Parquet file, before it is placed on disk."""

    data: bytes
    content_hash: str  # SM3 of `data`, which is byte for byte the file on disk
    row_count: int
    columns: tuple[Column, ...]


class DatasetStore:
    """The folder that holds every dataset version: `<data_dir>/datasets`."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    @classmethod
    def for_data_dir(cls, data_dir: Path) -> DatasetStore:
        return cls(Path(data_dir) / "datasets")

    @staticmethod
    def set_memory_budget(megabytes: int) -> None:
        """How much memory (MiB) this process may spend keeping recently read versions decoded (as DuckDB
        tables) instead of reading their Parquet files every time; set at start from the settings."""
        queries.set_table_budget(megabytes * 2**20)

    def relative_path(self, code: str, number: int) -> str:
        """The version's folder relative to the data directory (the store root's parent): datasets/<code>/v<N>."""
        return f"{self.root.name}/{code}/v{number}"

    def folder(self, path: str) -> Path:
        """The absolute folder of a stored path; a path leading outside the store is refused."""
        folder = (self.root.parent / path).resolve()
        if not folder.is_relative_to(self.root.resolve()):
            raise IntegrityError(f"数据集版本路径不在数据目录内：{path}")
        return folder

    def files(self, path: str) -> list[Path]:
        """The Parquet files of a ready version, in name order."""
        folder = self.folder(path)
        files = sorted(folder.glob("*.parquet"))
        if not files:
            raise IntegrityError(f"数据集版本的文件缺失：{path}")
        return files

    def content_hash(self, path: str) -> str:
        """SM3 of the version's file as it is on disk now (equal to the recorded hash unless it was changed)."""
        return sm3_hex(b"".join(f.read_bytes() for f in self.files(path)))

    def place(self, code: str, number: int, encoded: EncodedVersion) -> str:
        """Write the file into a fresh hidden folder beside the final one, sync it, then rename the folder into
        place in one step. On any failure the hidden folder is removed and no final folder appears."""
        parent = self.root / code
        final = parent / f"v{number}"
        parent.mkdir(parents=True, exist_ok=True)
        if final.exists():
            raise IntegrityError(f"数据集版本目录已存在，拒绝覆盖：{self.relative_path(code, number)}")
        staging = Path(tempfile.mkdtemp(prefix=f".v{number}.", suffix=".writing", dir=parent))
        try:
            self._write(staging / PART, encoded.data)
            _sync_folder(staging)
            os.rename(staging, final)
            _sync_folder(parent)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        return self.relative_path(code, number)

    def stale_staging(self, before: float) -> list[Path]:
        """Hidden folders of writes that never finished (`.v<N>.*.writing`), last changed before `before` (a
        time.time() value): what a killed writer leaves behind."""
        if not self.root.exists():
            return []
        return sorted(p for p in self.root.glob("*/.v*.writing") if p.is_dir() and p.stat().st_mtime < before)

    def remove_staging(self, folder: Path) -> None:
        if folder.parent.parent.resolve() == self.root.resolve() and folder.name.endswith(".writing"):
            shutil.rmtree(folder, ignore_errors=True)

    def remove(self, path: str) -> None:
        """Take a version's folder away (only for a version whose row never became `ready`)."""
        shutil.rmtree(self.folder(path), ignore_errors=True)

    @staticmethod
    def _write(target: Path, data: bytes) -> None:
        with open(target, "xb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# --- encoding a frame ---------------------------------------------------------------------------------------

def _canonical(name: str, array: pa.ChunkedArray) -> tuple[Column, pa.DataType, pa.ChunkedArray]:
    """The column's type as stored: text stays text, integers become int64, floats float64, timestamps
    microseconds in UTC. Anything that could lose meaning is refused, naming the column."""
    t = array.type
    if pa.types.is_dictionary(t):
        array, t = array.cast(t.value_type), t.value_type
    try:
        if pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_string_view(t):
            return Column(name, STRING), pa.string(), array.cast(pa.string())
        if pa.types.is_integer(t):
            return Column(name, INT64), pa.int64(), array.cast(pa.int64())
        if pa.types.is_floating(t):
            return Column(name, FLOAT64), pa.float64(), array.cast(pa.float64())
        if pa.types.is_boolean(t):
            return Column(name, BOOL), pa.bool_(), array
        if pa.types.is_date(t):
            return Column(name, DATE), pa.date32(), array.cast(pa.date32())
        if pa.types.is_timestamp(t):
            if t.tz is None:
                raise InvalidInput(f"列 {name} 是不带时区的时间，请先转换为带时区的时间（如 UTC）。", field=name)
            stored = pa.timestamp("us", "UTC")
            return Column(name, TIMESTAMP), stored, array.cast(stored, safe=False)
        if pa.types.is_decimal(t) and t.precision <= 38:
            stored = pa.decimal128(t.precision, t.scale)
            return Column(name, f"decimal({t.precision},{t.scale})"), stored, array.cast(stored)
    except pa.ArrowInvalid as exc:
        raise InvalidInput(f"列 {name} 的值无法按 {t} 保存：{exc}", field=name) from exc
    if pa.types.is_null(t):
        raise InvalidInput(f"列 {name} 全为空，无法确定类型；请指定类型（如文本）。", field=name)
    raise InvalidInput(f"列 {name} 的类型 {t} 不受支持（可用：文本、整数、小数、布尔、日期、带时区时间、定点数）。",
                       field=name)


def encode(frame: Any, declared: tuple[Column, ...] | None = None) -> EncodedVersion:
    """Encode a polars DataFrame or an Arrow table as one Parquet file, with the hidden `_row` ordinal
    appended. With `declared` columns, the frame must have exactly those names and types (no casting:
    an ID number read as an integer has already lost its leading zeros)."""
    if isinstance(frame, pl.DataFrame):
        table = frame.to_arrow()
    elif isinstance(frame, pa.Table):
        table = frame
    elif isinstance(frame, pa.RecordBatch):
        table = pa.Table.from_batches([frame])
    else:
        raise InvalidInput("数据须为 polars DataFrame 或 Arrow 表。", field="frame")
    names = [str(n) for n in table.column_names]
    check_columns([Column(n, STRING) for n in names])  # names first: rules, no duplicates
    converted = [_canonical(name, table.column(i)) for i, name in enumerate(names)]
    columns = check_columns([c for c, _, _ in converted])
    if declared is not None:
        match_declared(columns, check_columns(declared))
        order = {c.name: i for i, c in enumerate(columns)}
        converted = [converted[order[c.name]] for c in declared]
        columns = tuple(c for c, _, _ in converted)
    rows = table.num_rows
    fields = [pa.field(c.name, stored) for c, stored, _ in converted] + [pa.field(ROW_KEY, pa.int64(), False)]
    arrays = [array for _, _, array in converted] + [pa.chunked_array([np.arange(rows, dtype=np.int64)],
                                                                      pa.int64())]
    # One chunk per column and no schema metadata: the same rows always give the same bytes.
    stored_table = pa.Table.from_arrays(arrays, schema=pa.schema(fields)).combine_chunks()
    sink = pa.BufferOutputStream()
    pq.write_table(stored_table, sink, row_group_size=ROW_GROUP_ROWS, compression=COMPRESSION,
                   write_statistics=True)
    data = sink.getvalue().to_pybytes()
    return EncodedVersion(data=data, content_hash=sm3_hex(data), row_count=rows, columns=columns)


# --- reading an operator's file ---------------------------------------------------------------------------

def _csv_encoding(file: Path) -> str:
    """utf-8 when the first megabyte decodes as UTF-8, else gb18030 (a superset of GBK, common in exports)."""
    with open(file, "rb") as handle:
        head = handle.read(_SNIFF_BYTES)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def read_source_file(file: Path) -> pa.Table:
    """An operator's file as an Arrow table: Parquet as typed in the file; CSV (UTF-8 or GBK/GB18030) with
    every column read as text, so ID numbers and phone numbers keep their leading zeros and their X."""
    if not file.is_file():
        raise NotFound(f"文件不存在：{file}")
    suffix = file.suffix.lower()
    if suffix == ".parquet":
        return pq.read_table(file)
    if suffix != ".csv":
        raise InvalidInput(f"只能载入 .parquet 或 .csv 文件：{file.name}", field="file")
    encoding = _csv_encoding(file)
    with open(file, encoding="utf-8-sig" if encoding == "utf-8" else encoding, newline="") as handle:
        header = next(csv.reader(io.StringIO(handle.readline())), [])
    if not header:
        raise InvalidInput(f"CSV 文件没有表头：{file.name}", field="file")
    try:
        return pacsv.read_csv(
            file,
            read_options=pacsv.ReadOptions(encoding="utf8" if encoding == "utf-8" else encoding),
            convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string()),
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except pa.ArrowInvalid as exc:
        raise InvalidInput(f"CSV 文件无法解析：{file.name}：{exc}", field="file") from exc
