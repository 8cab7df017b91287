"""Quality reports (质量报告) from recorded load results: a resource's overall score, the city-wide ranking of
departments (质量排名) and how a sample bad value is shown to someone who only reads the report.

A resource's overall score is the mean of its dimension scores that were measured (each dimension weighs the
same); a department's score per dimension and overall is the mean over its resources' latest loads (each
resource weighs the same). Departments rank by overall score, best first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from zhengshu.core.quality.domain.rules import DIMENSIONS

LOW_SCORE = 80.0  # a resource whose overall score is below this is counted as needing work


def overall_score(scores: Mapping[str, float | None]) -> float | None:
    """The mean of the measured dimension scores (None when none was measured)."""
    measured = [scores[d] for d in DIMENSIONS if scores.get(d) is not None]
    return round(sum(measured) / len(measured), 2) if measured else None  # type: ignore[arg-type]


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(sum(known) / len(known), 2) if known else None


@dataclass(frozen=True)
class DepartmentScore:
    """A department's place in the ranking (名次 from 1; departments without a measured score come last)."""

    code: str
    rank: int
    resources: int
    below: int  # resources whose overall score is below LOW_SCORE
    scores: dict[str, float | None]
    overall: float | None


def rank_departments(latest: Iterable[tuple[str, Mapping[str, float | None]]]) -> list[DepartmentScore]:
    """The ranking from (department code, latest scores of one of its resources) pairs."""
    by_department: dict[str, list[Mapping[str, float | None]]] = {}
    for department, scores in latest:
        by_department.setdefault(department, []).append(scores)
    rows = []
    for department, results in by_department.items():
        overalls = [overall_score(s) for s in results]
        rows.append((department, len(results), sum(1 for o in overalls if o is not None and o < LOW_SCORE),
                     {d: _mean(s.get(d) for s in results) for d in DIMENSIONS}, _mean(overalls)))
    rows.sort(key=lambda r: (r[4] is None, -(r[4] or 0), r[0]))
    return [DepartmentScore(code, rank, count, below, scores, overall)
            for rank, (code, count, below, scores, overall) in enumerate(rows, start=1)]


def mask_value(value: str | None) -> str | None:
    """A sample value for a reader who does not fix the data: the first and last characters, the rest as *."""
    if value is None or len(value) <= 2:
        return None if value is None else "*" * len(value)
    return value[0] + "*" * (len(value) - 2) + value[-1]
