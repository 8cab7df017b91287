"""Code tables (代码表) as versioned data files in `code_tables/`: GB/T 2261.1 sex, GB/T 2261.2 marital status,
GB/T 4754 industry sections and the GB/T 2260 districts of the city. Each entry has a `code`, the `name` the
platform stores, the standard's own wording and the other spellings departments send; a new edition of a
standard is a new file (or a new `version` in it), not a code change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources

TABLES = ("sex", "marital_status", "industry", "districts")


@dataclass(frozen=True)
class CodeEntry:
    code: str
    name: str  # the form stored: 男
    standard_name: str  # the standard's wording: 男性
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class CodeTable:
    table: str
    title: str
    standard: str
    version: str
    entries: tuple[CodeEntry, ...]
    extra: dict

    def spellings(self, to: str) -> dict[str, str]:
        """Every known spelling (code, name, standard name, alias; upper-cased) → the code or the name."""
        out: dict[str, str] = {}
        for e in self.entries:
            target = e.code if to == "code" else e.name
            for spelling in (e.code, e.name, e.standard_name, *e.aliases):
                out[spelling.upper()] = target
        return out

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(e.code for e in self.entries)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(e.name for e in self.entries)


@cache
def code_table(name: str) -> CodeTable:
    """The code table called `name` (one of TABLES), read once from the module's data files."""
    if name not in TABLES:
        raise KeyError(name)
    text = resources.files("zhengshu.core.quality.domain").joinpath(f"code_tables/{name}.json").read_text("utf-8")
    data = json.loads(text)
    entries = tuple(CodeEntry(e["code"], e["name"], e["standard_name"], tuple(e["aliases"])) for e in data["entries"])
    extra = {k: v for k, v in data.items() if k not in ("table", "title", "standard", "version", "entries", "_about")}
    return CodeTable(data["table"], data["title"], data["standard"], data["version"], entries, extra)
