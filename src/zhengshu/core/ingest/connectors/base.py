"""What every connector hands on: batches of text columns, each row with its source row number, and the rows
that could not be split into columns kept with a reason.

A connector is used as a context manager; `batches()` may be iterated once:

    with open_source(spec) as reader:
        reader.columns, reader.detected
        for batch in reader.batches(): ...
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pyarrow as pa

from zhengshu.core.ingest.domain import BATCH_ROWS, FIELD_LIMIT_CHARS, RejectedRow, SourceProblem


@dataclass(frozen=True)
class Batch:
    """A run of source rows: `records` has one `string` column per header column, `rows` the source row number
    of each record (CSV/XLSX: the row number counting the header as a row; JSON and APIs: the record's index
    from 1; databases: the result row's index from 1). `rejected` are rows met in this stretch that could not
    be split into the columns (ragged rows, an unclosed quote), kept with their text and the reason."""

    records: pa.RecordBatch
    rows: pa.Array  # int64
    rejected: tuple[RejectedRow, ...] = ()

    @property
    def num_rows(self) -> int:
        return self.records.num_rows


@dataclass
class SourceReader:
    """Base of the connectors: the source's display name, its columns (known once opened) and what was
    detected (encoding, delimiter, sheet, header row ...), as text for showing."""

    source: str
    columns: list[str] = field(default_factory=list)
    detected: dict[str, str] = field(default_factory=dict)

    def batches(self) -> Iterator[Batch]:  # pragma: no cover - every connector overrides it
        raise NotImplementedError

    def close(self) -> None:
        """Release files and connections; safe to call twice."""

    def __enter__(self) -> SourceReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def closing_on_failure(init: Callable[..., None]) -> Callable[..., None]:
    """For a connector's `__init__`: when opening fails half way, release what was opened (`close` must cope
    with a reader that is only partly set up) before the error goes on."""

    @functools.wraps(init)
    def opening(self: SourceReader, *args: object, **kwargs: object) -> None:
        try:
            init(self, *args, **kwargs)
        except BaseException:
            self.close()
            raise

    return opening


class RowBatcher:
    """Gathers text rows from the row-by-row connectors (XLSX, JSON, database, HTTP) into `Batch`es.

    Columns may grow as records bring new keys (JSON): a batch holds every column known when it was cut, the
    earlier rows null in the new ones; later stages line batches up by column name.
    """

    def __init__(self, source: str, columns: list[str], batch_rows: int = BATCH_ROWS) -> None:
        self.source = source
        self.columns = list(columns)
        self._index = {name: i for i, name in enumerate(self.columns)}
        self.batch_rows = batch_rows
        self._values: list[list[str | None]] = [[] for _ in self.columns]
        self._rows: list[int] = []
        self._rejected: list[RejectedRow] = []

    def add_column(self, name: str) -> int:
        self._index[name] = len(self.columns)
        self.columns.append(name)
        self._values.append([None] * len(self._rows))
        return self._index[name]

    def position(self, name: str) -> int:
        found = self._index.get(name)
        return self.add_column(name) if found is None else found

    def add(self, row: int, values: list[str | None]) -> Batch | None:
        """Add one row whose values are in column order (missing trailing values are null); returns a batch
        when one is full."""
        for i, value in enumerate(values):
            if value is not None and len(value) > FIELD_LIMIT_CHARS:
                raise SourceProblem(self.source, f"值过长（超过 {FIELD_LIMIT_CHARS:,} 个字符）", row=row,
                                    field=self.columns[i])
            self._values[i].append(value)
        for i in range(len(values), len(self.columns)):
            self._values[i].append(None)
        self._rows.append(row)
        return self.cut() if len(self._rows) >= self.batch_rows else None

    @property
    def pending_rejected(self) -> int:
        return len(self._rejected)

    def reject(self, rejected: RejectedRow) -> None:
        self._rejected.append(rejected)

    def cut(self) -> Batch | None:
        """The rows gathered so far as a batch (None when there are none and nothing was rejected)."""
        if not self._rows and not self._rejected:
            return None
        records = pa.RecordBatch.from_arrays([pa.array(v, pa.string()) for v in self._values],
                                             names=list(self.columns))
        batch = Batch(records, pa.array(self._rows, pa.int64()), tuple(self._rejected))
        self._values = [[] for _ in self.columns]
        self._rows, self._rejected = [], []
        return batch
