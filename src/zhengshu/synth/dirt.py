"""The dirt real department data has, injected at configured rates and recorded row by row.

A `TableBuilder` holds one source table while it is being made: its columns as arrays of text (None for
empty), the true person or entity behind each row, and the errors injected into each row as
"column:kind" labels. Each method picks rows at its rate among those where the error can happen, changes
them, and records what it did, so `links` can say exactly what is wrong with every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from opencc import OpenCC

from zhengshu.synth.config import DirtRates
from zhengshu.synth.names import CONFUSABLE

_TO_TRADITIONAL = OpenCC("s2t")
_FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
EXCEL_EPOCH = np.datetime64("1899-12-30")
DATE_FORMS = ("iso", "chinese", "slash", "compact", "excel", "dotted")  # 2023-01-05, 2023年1月5日, 2023/1/5, ...


@dataclass
class SourceTable:
    """A finished source table: what a department hands over, plus the truth behind each row."""

    department: str  # folder: "市公安局"
    name: str  # file stem: "户籍人口"
    columns: dict[str, np.ndarray]  # header → values as text (None: empty)
    subject_kind: str  # "person", "entity", "district"
    subjects: np.ndarray  # the true id behind each row
    errors: list[list[str]]  # per row, "column:kind"

    @property
    def rows(self) -> int:
        return len(self.subjects)


class TableBuilder:
    def __init__(self, department: str, name: str, subject_kind: str, subjects: np.ndarray,
                 rng: np.random.Generator, rates: DirtRates) -> None:
        self.department, self.name, self.subject_kind = department, name, subject_kind
        self.subjects = np.asarray(subjects, dtype=object)
        self.rng, self.rates = rng, rates
        self.columns: dict[str, np.ndarray] = {}
        self.errors: list[list[str]] = [[] for _ in range(len(self.subjects))]

    # ------------------------------------------------------------------ building blocks

    def column(self, header: str, values: Sequence | np.ndarray) -> TableBuilder:
        array = np.asarray(values, dtype=object)
        if len(array) != len(self.subjects):
            raise ValueError(f"{self.name}.{header}: {len(array)} values for {len(self.subjects)} rows")
        self.columns[header] = np.where(array == None, None, array.astype(str))  # noqa: E711 - elementwise
        return self

    def _pick(self, header: str, rate: float, eligible: np.ndarray | None = None) -> np.ndarray:
        """Indices of rows to spoil in `header`: chosen at `rate` among non-empty (and eligible) values."""
        values = self.columns[header]
        mask = (values != None) & (self.rng.random(len(values)) < rate)  # noqa: E711
        if eligible is not None:
            mask &= eligible
        return np.flatnonzero(mask)

    def _record(self, rows: np.ndarray, label: str) -> None:
        for row in rows:
            self.errors[row].append(label)

    def _change(self, header: str, kind: str, rows: np.ndarray, change) -> None:
        values = self.columns[header]
        changed = []
        for row in rows:
            new = change(values[row], row)
            if new is not None and new != values[row]:
                values[row] = new
                changed.append(row)
        self._record(np.asarray(changed, dtype=int), f"{header}:{kind}")

    # ------------------------------------------------------------------ kinds of dirt

    def typo(self, header: str) -> TableBuilder:
        """A homophone or look-alike (同音字、形近字) for one character of a name."""
        draws = self.rng.random(len(self.subjects))

        def change(value: str, row: int) -> str | None:
            positions = [i for i, c in enumerate(value) if c in CONFUSABLE]
            if not positions:
                return None
            i = positions[int(draws[row] * len(positions))]
            options = CONFUSABLE[value[i]]
            return value[:i] + options[int(draws[row] * 97) % len(options)] + value[i + 1:]

        self._change(header, "typo", self._pick(header, self.rates.typo), change)
        return self

    def traditional(self, header: str) -> TableBuilder:
        self._change(header, "traditional", self._pick(header, self.rates.traditional),
                     lambda v, _: _TO_TRADITIONAL.convert(v))
        return self

    def full_width(self, header: str) -> TableBuilder:
        self._change(header, "full_width", self._pick(header, self.rates.full_width),
                     lambda v, _: v.translate(_FULL_WIDTH))
        return self

    def stray_space(self, header: str) -> TableBuilder:
        where = self.rng.integers(0, 3, len(self.subjects))

        def change(value: str, row: int) -> str:
            if where[row] == 0 or len(value) < 2:
                return f" {value} "
            if where[row] == 1:
                return value + "  "
            return value[:1] + " " + value[1:]

        self._change(header, "stray_space", self._pick(header, self.rates.stray_space), change)
        return self

    def id_number(self, header: str) -> TableBuilder:
        """Legacy 15-digit numbers, lower-case x, wrong check characters."""
        values = self.columns[header]
        legacy = self._pick(header, self.rates.legacy_id)
        self._change(header, "legacy_id", legacy,
                     lambda v, _: v[:6] + v[8:17] if len(v) == 18 and v[6:8] == "19" else None)
        ends_x = np.asarray([v is not None and len(v) == 18 and v.endswith("X") for v in values], dtype=bool)
        self._change(header, "lowercase_x", self._pick(header, self.rates.lowercase_x, ends_x),
                     lambda v, _: v[:17] + "x")
        self._wrong_check(header, "0123456789X")
        return self

    def credit_code(self, header: str) -> TableBuilder:
        self._wrong_check(header, "0123456789ABCDEFGHJKLMNPQRTUWXY")
        return self

    def _wrong_check(self, header: str, alphabet: str) -> None:
        values = self.columns[header]
        full = np.asarray([v is not None and len(v) == 18 for v in values], dtype=bool)
        shift = self.rng.integers(1, len(alphabet), len(values))
        self._change(header, "wrong_check", self._pick(header, self.rates.wrong_check, full),
                     lambda v, r: v[:17] + alphabet[(alphabet.index(v[17].upper()) + shift[r]) % len(alphabet)])

    def dates(self, header: str, dates: np.ndarray, fmt: str = "iso") -> TableBuilder:
        """Dates written in the office's usual form, and some in the other forms offices use."""
        dates = np.asarray(dates, dtype="datetime64[D]")
        self.column(header, [None if np.isnat(d) else _format_date(d, fmt) for d in dates])
        forms = tuple(f for f in DATE_FORMS if f != fmt)
        pick = self.rng.integers(0, len(forms), len(dates))
        self._change(header, "date_format", self._pick(header, self.rates.date_format),
                     lambda v, r: _format_date(dates[r], forms[pick[r]]))
        return self

    def phone(self, header: str) -> TableBuilder:
        style = self.rng.integers(0, 4, len(self.subjects))

        def change(value: str, row: int) -> str:
            return (f"+86{value}", f"+86 {value}", f"{value[:3]}-{value[3:7]}-{value[7:]}",
                    f"{value[:3]} {value[3:7]} {value[7:]}")[style[row]]

        self._change(header, "phone_format", self._pick(header, self.rates.phone_format), change)
        return self

    def address(self, header: str) -> TableBuilder:
        """秦皇岛市海港区… vs 海港区…, 号 vs #, 河北省 dropped."""
        style = self.rng.integers(0, 3, len(self.subjects))

        def change(value: str, row: int) -> str:
            if style[row] == 0:
                return value.replace("河北省秦皇岛市", "", 1)
            if style[row] == 1:
                return value.replace("河北省", "", 1)
            return value.replace("号", "#", 1)

        self._change(header, "address_variant", self._pick(header, self.rates.address_variant), change)
        return self

    def stale_address(self, header: str, previous: np.ndarray) -> TableBuilder:
        """Movers still at their old address in this (secondary) source."""
        previous = np.asarray(previous, dtype=object)
        has_old = previous != None  # noqa: E711
        self._change(header, "stale", self._pick(header, self.rates.stale, has_old), lambda _, r: previous[r])
        return self

    def missing(self, *headers: str) -> TableBuilder:
        for header in headers:
            rows = self._pick(header, self.rates.missing)
            self.columns[header][rows] = None
            self._record(rows, f"{header}:missing")
        return self

    def mark(self, rows: np.ndarray, label: str) -> TableBuilder:
        """Record a property of some rows that is not an edit (a person who has died, a planted anomaly)."""
        self._record(np.asarray(rows, dtype=int), label)
        return self

    def build(self) -> SourceTable:
        """The table, with a share of rows sent twice (each copy placed right after its original)."""
        dupes = np.flatnonzero(self.rng.random(len(self.subjects)) < self.rates.duplicate)
        order = np.sort(np.concatenate([np.arange(len(self.subjects)), dupes]), kind="stable")
        copy = np.zeros(len(order), dtype=bool)
        copy[1:] = order[1:] == order[:-1]
        errors = [list(self.errors[i]) + (["row:duplicate"] if c else []) for i, c in zip(order, copy, strict=True)]
        return SourceTable(self.department, self.name, {h: v[order] for h, v in self.columns.items()},
                           self.subject_kind, self.subjects[order], errors)


def _format_date(day: np.datetime64, form: str) -> str:
    iso = str(day)
    y, m, d = iso[:4], iso[5:7], iso[8:10]
    if form == "chinese":
        return f"{int(y)}年{int(m)}月{int(d)}日"
    if form == "slash":
        return f"{int(y)}/{int(m)}/{int(d)}"
    if form == "compact":
        return f"{y}{m}{d}"
    if form == "excel":
        return str(int((day - EXCEL_EPOCH).astype(int)))
    if form == "dotted":
        return f"{y}.{m}.{d}"
    return iso
