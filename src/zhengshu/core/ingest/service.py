"""Ingestion use cases. Each takes the unit of work and the acting actor first and checks permissions through
`identity.access`.

`preview_source` reads the first rows of a source without writing anything: what a person checks before a
source is saved or loaded (the detected encoding, delimiter, sheet and header row, the columns, the first rows
as text, and any row among them that could not be split into columns).
"""

from __future__ import annotations

from zhengshu.core.identity import access
from zhengshu.core.ingest import permissions as perms
from zhengshu.core.ingest.connectors import open_source
from zhengshu.core.ingest.schemas import SourcePreview, SourceSpec
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.unit_of_work import UnitOfWork

PREVIEW_MAX_ROWS = 1_000


def preview_source(uow: UnitOfWork, actor: Actor, source: SourceSpec, rows: int = 20) -> SourcePreview:
    """The source's columns and first `rows` rows as text, and what was detected while reading them."""
    access.require(actor, perms.PREVIEW)
    if not 1 <= rows <= PREVIEW_MAX_ROWS:
        raise InvalidInput(f"预览行数须在 1 到 {PREVIEW_MAX_ROWS:,} 之间", field="rows")
    shown: list[list[str | None]] = []
    numbers: list[int] = []
    rejected: list[dict[str, object]] = []
    with open_source(source) as reader:
        for batch in reader.batches():
            rejected.extend({"row": r.row, "text": r.text, "problem": r.problem} for r in batch.rejected)
            take = min(rows - len(shown), batch.num_rows)
            head = batch.records.slice(0, take).to_pylist()
            shown.extend([record.get(c) for c in reader.columns] for record in head)
            numbers.extend(batch.rows.slice(0, take).to_pylist())
            if len(shown) >= rows:
                break
        return SourcePreview(source=reader.source, kind=source.kind, columns=list(reader.columns), rows=shown,
                             row_numbers=numbers, detected=dict(reader.detected), rejected=rejected)
