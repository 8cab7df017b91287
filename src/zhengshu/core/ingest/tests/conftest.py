"""Helpers of the ingestion tests: read a whole source through its connector into plain Python."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.domain import RejectedRow, SourceProblem
from zhengshu.core.ingest.schemas import SourceSpec


@dataclass
class ReadBack:
    columns: list[str]
    detected: dict[str, str]
    records: list[dict[str, str | None]] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    batches: int = 0


def read_all(location: str, **options: object) -> ReadBack:
    spec = SourceSpec.for_location(str(location), **options)
    with open_source(spec) as reader:
        back = ReadBack(list(reader.columns), dict(reader.detected))
        for batch in reader.batches():
            assert all(t.equals(__import__("pyarrow").string()) for t in batch.records.schema.types)
            assert len(batch.rows) == batch.num_rows
            back.records.extend(batch.records.to_pylist())
            back.rows.extend(batch.rows.to_pylist())
            back.rejected.extend(batch.rejected)
            back.batches += 1
        back.columns = list(reader.columns)
    return back


def refused(file: Path, content: bytes, problem: str, **options: object) -> SourceProblem:
    """Write `content` to `file`, read it, and return the SourceProblem whose message matches `problem`."""
    file.write_bytes(content)
    with pytest.raises(SourceProblem, match=problem) as caught:
        read_all(file, **options)
    return caught.value
