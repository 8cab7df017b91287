"""Matching the department names a plan writes (市政府办, 各县区政府, 市工信局等部门) to the platform's
department tree. The aliases and group words are data (`seed/departments.json`), not code:

- an alias names the same department another way (市政府办 = 市政府办公室);
- a group names several at once by kind (各县区政府: every county, district and functional zone, as the seed
  plan says: 含秦皇岛开发区、北戴河新区管委会，下同);
- an unspecified group (市政府相关部门) names no department the platform could choose: it is kept on the task
  as written, for a supervisor to assign.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

GOVERNMENT_KINDS = ("district", "county", "zone")


@dataclass(frozen=True)
class Unit:
    """An organisation of the tree a task can be assigned to (a department, or a county-level government)."""

    code: str
    name: str
    kind: str
    parent_code: str | None = None
    full_name: str = ""


@dataclass(frozen=True)
class Group:
    """A word naming several units: those of `kinds` directly under the city (the tree's root)."""

    kinds: tuple[str, ...]


@dataclass(frozen=True)
class Resolution:
    codes: tuple[str, ...] = ()  # matched units, in tree order
    unspecified: bool = False  # 相关部门: kept as written, for a supervisor to assign
    unknown: bool = False


@dataclass(frozen=True)
class DepartmentDirectory:
    """The tree's units and the words that name them."""

    units: tuple[Unit, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, Group] = field(default_factory=dict)
    unspecified: frozenset[str] = frozenset()

    @classmethod
    def of(cls, units: Iterable[Unit], data: Mapping) -> DepartmentDirectory:
        """The directory from the tree and the alias data (`aliases`, `groups`, `unspecified`)."""
        groups = {name: Group(tuple(rule["kinds"])) for name, rule in data.get("groups", {}).items()}
        return cls(tuple(units), dict(data.get("aliases", {})), groups, frozenset(data.get("unspecified", ())))

    def _by_name(self) -> dict[str, str]:
        names = {u.full_name: u.code for u in self.units if u.full_name}
        names.update({u.name: u.code for u in self.units})
        return names

    @property
    def root(self) -> str | None:
        return next((u.code for u in self.units if u.parent_code is None), None)

    def resolve(self, written: str) -> Resolution:
        name = written.strip()
        names = self._by_name()
        name = self.aliases.get(name, name)
        if name in names:
            return Resolution((names[name],))
        if name in self.groups:
            kinds = self.groups[name].kinds
            return Resolution(tuple(u.code for u in self.units if u.kind in kinds and u.parent_code == self.root))
        if name in self.unspecified:
            return Resolution(unspecified=True)
        return Resolution(unknown=True)

    def name_of(self, code: str) -> str:
        return next((u.name for u in self.units if u.code == code), code)

    def reports_for(self, department_code: str | None, unit_code: str) -> bool:
        """Whether staff of `department_code` report for `unit_code`: its own department, or for a county-level
        government any department under it (海港区政府办公室 reports for 海港区)."""
        if department_code is None:
            return False
        if department_code == unit_code:
            return True
        unit = next((u for u in self.units if u.code == unit_code), None)
        own = next((u for u in self.units if u.code == department_code), None)
        return (unit is not None and own is not None and unit.kind in GOVERNMENT_KINDS
                and own.parent_code == unit.code)

    def units_of(self, department_code: str | None) -> tuple[str, ...]:
        """The units a department reports for: itself, and the county-level government it belongs to."""
        if department_code is None:
            return ()
        own = next((u for u in self.units if u.code == department_code), None)
        if own is None:
            return ()
        parent = next((u for u in self.units if u.code == own.parent_code), None)
        return (own.code, parent.code) if parent and parent.kind in GOVERNMENT_KINDS else (own.code,)


@dataclass(frozen=True)
class MatchedNames:
    """A task's names matched: the unit codes, the unspecified words kept as written, the unknown names."""

    codes: tuple[str, ...]
    unspecified: tuple[str, ...]
    unknown: tuple[str, ...]


def match_names(directory: DepartmentDirectory, names: Iterable[str]) -> MatchedNames:
    codes: list[str] = []
    unspecified: list[str] = []
    unknown: list[str] = []
    for name in names:
        found = directory.resolve(name)
        if found.unknown:
            unknown.append(name)
        elif found.unspecified:
            unspecified.append(name)
        codes.extend(c for c in found.codes if c not in codes)
    return MatchedNames(tuple(codes), tuple(unspecified), tuple(unknown))
