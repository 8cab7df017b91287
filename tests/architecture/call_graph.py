"""A static call graph of a Python package, built with `ast`, for the access-rule test.

Written by hand because no maintained library answers the one question asked here: "does this function reach
that module's functions, through any chain of calls inside the package?" (pyan and code2flow draw pictures of
a whole program, and both guess at methods; this graph follows only what it can resolve for certain: plain
names and `module.name` attributes, through imports and re-exports). It follows one variable, the actor: a call
counts only when it hands the caller's actor on (as an argument, positional or by keyword), so a use case that
asks on behalf of the platform's own actor has not checked its caller. Calls anywhere in a function's body
(nested functions and lambdas included) count; method calls on objects (`uow.session.execute`) are not followed.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class _Module:
    name: str
    is_package: bool
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef] = field(default_factory=dict)
    imports: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # alias -> (module, name or None)


class CallGraph:
    """Every module-level function of the given packages, named `package.module.function`.

    `packages` are pairs (root folder, dotted package name found under it)."""

    def __init__(self, packages: Iterable[tuple[Path, str]]) -> None:
        self.modules: dict[str, _Module] = {}
        for root, package in packages:
            base = root / package.replace(".", "/")
            for path in sorted(base.rglob("*.py")):
                parts = list(path.relative_to(root).with_suffix("").parts)
                is_package = parts[-1] == "__init__"
                self._read(".".join(parts[:-1] if is_package else parts), is_package, path)
        self._edges: dict[tuple[str, str], set[tuple[str, str]]] = {}

    def _read(self, name: str, is_package: bool, path: Path) -> None:
        module = self.modules[name] = _Module(name, is_package)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                module.functions[node.name] = node
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        module.imports[alias.asname] = (alias.name, None)
                    else:  # `import a.b` binds `a`
                        top = alias.name.split(".")[0]
                        module.imports[top] = (top, None)
            elif isinstance(node, ast.ImportFrom):
                source = self._absolute(module, node.module, node.level)
                for alias in node.names:
                    module.imports[alias.asname or alias.name] = (source, alias.name)

    @staticmethod
    def _absolute(module: _Module, target: str | None, level: int) -> str:
        if level == 0:
            return target or ""
        parts = module.name.split(".")
        base = parts[: len(parts) - level + (1 if module.is_package else 0)]
        return ".".join(base + ([target] if target else []))

    def resolve(self, module_name: str, name: str, seen: frozenset = frozenset()) -> str | None:
        """What `name` means inside `module_name`: a function `m.f` or a module `m` (None: outside, unknown)."""
        if (module_name, name) in seen:
            return None
        seen = seen | {(module_name, name)}
        module = self.modules.get(module_name)
        if module is None:
            return None
        if name in module.functions:
            return f"{module_name}.{name}"
        if name not in module.imports:
            return f"{module_name}.{name}" if f"{module_name}.{name}" in self.modules else None
        source, imported = module.imports[name]
        if imported is None:
            return source if source in self.modules else None
        if f"{source}.{imported}" in self.modules:  # `from package import submodule`
            return f"{source}.{imported}"
        return self.resolve(source, imported, seen)

    def function(self, qualname: str) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        module, _, name = qualname.rpartition(".")
        return self.modules[module].functions.get(name) if module in self.modules else None

    def _callee(self, module: str, func: ast.expr) -> str | None:
        target = None
        if isinstance(func, ast.Name):
            target = self.resolve(module, func.id)
        elif isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
            owner = self.resolve(module, func.value.id)
            if owner in self.modules:
                target = self.resolve(owner, func.attr)
        return target if target and self.function(target) is not None else None

    def hands_on(self, qualname: str, name: str) -> set[tuple[str, str]]:
        """The calls in `qualname`'s body that pass its variable `name` on: (callee, the callee's parameter)."""
        key = (qualname, name)
        if key not in self._edges:
            module = qualname.rpartition(".")[0]
            node = self.function(qualname)
            found: set[tuple[str, str]] = set()
            for call in ast.walk(node) if node else ():
                if not isinstance(call, ast.Call):
                    continue
                target = self._callee(module, call.func)
                callee = self.function(target) if target else None
                if callee is None or target == qualname:
                    continue
                positional = [a.arg for a in callee.args.posonlyargs + callee.args.args]
                for index, argument in enumerate(call.args):
                    if isinstance(argument, ast.Name) and argument.id == name and index < len(positional):
                        found.add((target, positional[index]))
                for keyword in call.keywords:
                    if isinstance(keyword.value, ast.Name) and keyword.value.id == name and keyword.arg:
                        found.add((target, keyword.arg))
            self._edges[key] = found
        return self._edges[key]

    def path_to(self, start: str, goal: set[str], name: str = "actor") -> list[str] | None:
        """The shortest chain of calls that hands `start`'s variable `name` on to one of `goal`, or None."""
        paths = {(start, name): [start]}
        frontier = [(start, name)]
        while frontier:
            following = []
            for current in frontier:
                for state in sorted(self.hands_on(*current)):
                    if state in paths:
                        continue
                    paths[state] = paths[current] + [state[0]]
                    if state[0] in goal:
                        return paths[state]
                    following.append(state)
            frontier = following
        return None
