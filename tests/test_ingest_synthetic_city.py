"""Every source file of the synthetic city, in each format it is written (CSV in UTF-8, UTF-8 with BOM and
GB18030; XLSX with a title row; JSON; JSON Lines; SQLite), read by the ingestion connectors: the columns and
row count the manifest records, and the same text, value for value, as the demo's stand-in reader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourceSpec
from zhengshu.demo import read_as_text
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig


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
