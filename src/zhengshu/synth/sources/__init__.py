"""One module per department; each `build(city)` returns the department's tables and how it sends them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from zhengshu.synth.config import DirtRates
from zhengshu.synth.dirt import SourceTable, TableBuilder
from zhengshu.synth.streams import Streams
from zhengshu.synth.writers import FileFormat


@dataclass(frozen=True)
class TrueCity:
    """The ground truth the sources are drawn from."""

    streams: Streams
    rates: DirtRates
    people: pl.DataFrame
    households: pl.DataFrame
    entities: pl.DataFrame

    def builder(self, department: str, name: str, subject_kind: str, subjects) -> TableBuilder:
        """A table builder with its own random stream, named after the table."""
        rng = self.streams.get(f"source:{department}:{name}")
        return TableBuilder(department, name, subject_kind, subjects, rng, self.rates)


Output = list[tuple[SourceTable, FileFormat]]
Source = Callable[[TrueCity], Output]
