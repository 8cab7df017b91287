"""Every source file of the synthetic city, in each format it is written (CSV in UTF-8, UTF-8 with BOM and
GB18030; XLSX with a title row; JSON; JSON Lines; SQLite), read by the ingestion connectors: the columns and
row count the manifest records, and the same text, value for value, as an independent reader that is told the
format and encoding by the manifest."""

from __future__ import annotations

import io
import json
import sqlite3
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig


def read_as_text(path: Path, entry: dict) -> pl.DataFrame:
    """An independent reading of a source file as strings (the oracle): the manifest says the format and
    encoding, so nothing is detected here."""
    kind = entry["format"]
    if kind == "csv":
        text = path.read_bytes().decode(entry["encoding"])
        return pl.read_csv(io.StringIO(text.lstrip("\ufeff")), infer_schema=False)
    if kind == "xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            rows = list(workbook.active.iter_rows(min_row=3, values_only=True))  # title, blank, header
        finally:
            workbook.close()
        header = [str(h) for h in rows[0]]
        return pl.DataFrame([[None if v is None else str(v) for v in row] for row in rows[1:]],
                            schema=dict.fromkeys(header, pl.String), orient="row")
    if kind in ("json", "jsonl"):
        text = path.read_text("utf-8")
        records = json.loads(text)["data"] if kind == "json" else [json.loads(line) for line in text.splitlines()]
        return pl.DataFrame(records, schema=dict.fromkeys(entry["columns"], pl.String))
    with sqlite3.connect(path) as connection:
        cursor = connection.execute(f'SELECT * FROM "{entry["table"]}"')
        names = [d[0] for d in cursor.description]
        frame = pl.DataFrame(cursor.fetchall(), schema=dict.fromkeys(names, pl.String), orient="row")
    connection.close()
    return frame.drop("id")


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "city"
    generate_city(CityConfig(persons=400, seed=5), out)
    return out


def test_every_format_of_the_city_is_there(city: Path) -> None:
    files = json.loads((city / "manifest.json").read_text("utf-8"))["files"]
    kinds = {(f["format"], f.get("encoding")) for f in files}
    assert {"xlsx", "json", "jsonl", "sqlite"} <= {k for k, _ in kinds}
    assert {("csv", "utf-8"), ("csv", "utf-8-sig"), ("csv", "gb18030")} <= kinds


def test_each_source_file_reads_as_the_manifest_says(city: Path) -> None:
    for entry in json.loads((city / "manifest.json").read_text("utf-8"))["files"]:
        path = city / entry["path"]
        options = {"table": entry["table"]} if entry["format"] == "sqlite" else {}
        with open_source(SourceSpec.for_location(str(path), **options)) as reader:
            records, numbers, rejected = [], [], []
            for batch in reader.batches():
                records.extend(batch.records.to_pylist())
                numbers.extend(batch.rows.to_pylist())
                rejected.extend(batch.rejected)
            columns = [c for c in reader.columns if not (entry["format"] == "sqlite" and c == "id")]
            assert columns == entry["columns"], entry["path"]
            assert len(records) == entry["rows"] and not rejected, entry["path"]
            if entry["format"] == "csv":
                assert reader.detected["encoding"].startswith(
                    {"utf-8": "UTF-8", "utf-8-sig": "UTF-8（带 BOM）", "gb18030": "GB18030"}[entry["encoding"]])
            if entry["format"] == "xlsx":
                assert reader.detected["header_row"] == "3" and numbers[0] == 4  # title, blank, header
        expected = read_as_text(path, entry).to_dicts()
        got = [{c: r[c] for c in entry["columns"]} for r in records]
        assert got == expected, entry["path"]
