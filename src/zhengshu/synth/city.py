"""Generate a whole synthetic city into a folder, atomically: the files appear together or not at all."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from zhengshu.kernel.errors import InvalidInput
from zhengshu.synth.config import AS_OF, CityConfig
from zhengshu.synth.entities import assign_employers, generate_entities
from zhengshu.synth.people import generate_people
from zhengshu.synth.sources import TrueCity
from zhengshu.synth.sources.catalogue import SOURCES
from zhengshu.synth.streams import Streams
from zhengshu.synth.writers import write

Progress = Callable[[str], None]


@dataclass(frozen=True)
class CityReport:
    out: Path
    persons: int
    entities: int
    files: list[dict]
    source_rows: int


def generate_city(config: CityConfig, out: Path, *, overwrite: bool = False,
                  progress: Progress | None = None) -> CityReport:
    """Write the city of `config` into `out`; a failure leaves `out` as it was."""
    out = Path(out)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise InvalidInput(f"输出目录已存在且非空：{out}（如需覆盖请使用 --overwrite）", field="out")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    except OSError as exc:
        raise InvalidInput(f"无法写入输出目录 {out}：{exc.strerror}", field="out") from exc
    try:
        report = _generate(config, staging, progress or (lambda _: None))
        if out.exists():
            shutil.rmtree(out)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return CityReport(out, report.persons, report.entities, report.files, report.source_rows)


def _generate(config: CityConfig, folder: Path, progress: Progress) -> CityReport:
    streams = Streams(config.seed)
    progress("人口")
    people, households = generate_people(streams, config.persons)
    progress("法人")
    entities = generate_entities(streams, people)
    people = assign_employers(streams, people, entities)
    truth = folder / "truth"
    truth.mkdir()
    for name, frame in (("people", people), ("households", households), ("entities", entities)):
        frame.write_parquet(truth / f"{name}.parquet", statistics=False)

    city = TrueCity(streams, config.rates, people, households, entities)
    files, links = [], []
    for source in SOURCES:
        for table, fmt in source(city):
            progress(f"{table.department} {table.name}")
            path = write(table, fmt, folder / "sources" / table.department)
            relative = path.relative_to(folder).as_posix()
            files.append({"path": relative, "department": table.department, "table": table.name,
                          "format": fmt.kind, "encoding": fmt.encoding if fmt.kind == "csv" else None,
                          "title_row": fmt.title is not None or fmt.kind == "xlsx", "rows": table.rows,
                          "subject": table.subject_kind, "columns": list(table.columns),
                          "sha256": hashlib.sha256(path.read_bytes()).hexdigest()})
            links.append(pl.DataFrame({
                "source": [relative] * table.rows,
                "row": pl.int_range(1, table.rows + 1, eager=True),
                "subject_kind": [table.subject_kind] * table.rows,
                "subject_id": table.subjects.astype(str),
                "errors": [";".join(e) for e in table.errors],
            }, schema={"source": pl.String, "row": pl.Int64, "subject_kind": pl.String,
                       "subject_id": pl.String, "errors": pl.String}))
    (folder / "links").mkdir()
    pl.concat(links).write_parquet(folder / "links" / "links.parquet", statistics=False)
    manifest = {"generator": "zhengshu.synth", "as_of": AS_OF.isoformat(), "config": config.model_dump(),
                "persons": len(people), "households": len(households), "entities": len(entities),
                "files": files}
    (folder / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    rows = sum(f["rows"] for f in files)
    return CityReport(folder, len(people), len(entities), files, rows)
