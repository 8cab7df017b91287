"""Architecture rule 4 as a test: every public service function checks a permission at the chokepoint.

A use case passes when a chain of calls inside the package, each handing the caller's actor on, leads from it
to a check in `core/identity/access.py` (an access function taking an actor and a permission: `can`,
`require`, `city_wide`), or when it carries `@access.public("why")`. The fake module in `access_fixture/` shows
the test telling them apart. A second guard keeps role names out of pages, APIs and templates.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import zhengshu
from zhengshu.core.identity import access
from zhengshu.kernel.permissions import Role

from .call_graph import CallGraph
from .test_module_shape import SHAPED, _service_modules

HERE = Path(__file__).parent
SRC = Path(zhengshu.__file__).parents[1]
CHECKS = {f"{access.__name__}.{name}" for name, function in inspect.getmembers(access, inspect.isfunction)
          if function.__module__ == access.__name__
          and {"actor", "permission"} <= set(inspect.signature(function).parameters)}


def _public_functions(service: ModuleType) -> Iterator[tuple[str, object]]:
    for name, function in inspect.getmembers(service, inspect.isfunction):
        if not name.startswith("_") and function.__module__ == service.__name__:
            yield f"{service.__name__}.{name}", function


def verdicts(graph: CallGraph, services: list[ModuleType]) -> dict[str, str]:
    """`checks`, `public` or `unguarded`, for each public function of the given service modules."""
    found = {}
    for service in services:
        for qualname, function in _public_functions(service):
            if getattr(function, "__access_public__", None):
                found[qualname] = "public"
            else:
                found[qualname] = "checks" if graph.path_to(qualname, CHECKS) else "unguarded"
    return found


def test_the_checks_are_the_access_functions_that_decide_on_a_permission() -> None:
    assert {f"{access.__name__}.{name}" for name in ("can", "city_wide", "require")} == CHECKS


def test_the_rule_tells_a_guarded_function_from_an_unguarded_one() -> None:
    graph = CallGraph([(SRC, "zhengshu"), (HERE.parents[1], "tests.architecture.access_fixture")])
    service = importlib.import_module("tests.architecture.access_fixture.service")
    prefix = service.__name__
    assert verdicts(graph, [service]) == {
        f"{prefix}.show": "checks",
        f"{prefix}.edit": "checks",  # through the module's helper and through `show`
        f"{prefix}.leak": "unguarded",
        f"{prefix}.only_names": "unguarded",
        f"{prefix}.opening_hours": "public",
        f"{prefix}.as_the_platform": "unguarded",  # checks, but on the platform's behalf
    }
    assert graph.path_to(f"{prefix}.edit", CHECKS)[-2:] == [
        "tests.architecture.access_fixture._helpers.load_visible", f"{access.__name__}.require"]


def test_every_public_service_function_checks_a_permission_or_is_marked_public() -> None:
    graph = CallGraph([(SRC, "zhengshu")])
    services = [service for name in SHAPED if importlib.util.find_spec(f"{name}.service")
                for service in _service_modules(name)]
    found = verdicts(graph, services)
    assert len(found) > 100
    unguarded = sorted(name for name, verdict in found.items() if verdict == "unguarded")
    advice = "check through access (require, can, city_wide) with the caller's actor, or mark @access.public(why):"
    assert unguarded == [], "\n".join([advice, *unguarded])


# --- pages ask access, never the role names -------------------------------------------------------------------

NAMES = "|".join(role.value for role in Role)
ROLE_NAME = re.compile(rf"""(['"])(?:{NAMES})\1""")
ROLE_TEST = re.compile(r"\bin\s+[\w.]+\.roles\b|\bRole\.[A-Z_]+\b")
IN_TEMPLATE = re.compile(r"\.roles\b")  # a template gets booleans computed through access, never the roles


def role_comparisons(text: str, template: bool = False) -> list[str]:
    """The lines of a page, API or template module that decide by role names instead of asking access."""
    return [line.strip() for line in text.splitlines()
            if ROLE_NAME.search(line) or ROLE_TEST.search(line) or (template and IN_TEMPLATE.search(line))]


def test_the_role_guard_finds_role_names_and_lets_permission_checks_pass() -> None:
    bad = ['if "platform_admin" in actor.roles:', "can = Role.DATA_OFFICER.value in roles",
           "if name in user.roles:", "scope = 'approver'"]
    assert role_comparisons("\n".join(bad)) == bad
    assert role_comparisons("{% if 'x' in actor.roles %}", template=True)
    good = ["can_approve = access.can(actor, perms.APPROVE)", "{% if can_request %}",
            "return {'roles': sorted(actor.roles)}", "roles = [r.title for r in sorted(access.roles_of(actor))]"]
    assert role_comparisons("\n".join(good)) == []


def test_pages_apis_and_templates_ask_access_instead_of_comparing_role_strings() -> None:
    package = SRC / "zhengshu"
    files = [p for p in package.rglob("*.py") if p.name in ("pages.py", "api.py") or p.parent.name == "web"]
    templates = list(package.rglob("*.html"))
    assert len(files) > 20 and len(templates) > 40
    found = {f"{p.relative_to(package)}: {line}"
             for p in files + templates if "tests" not in p.parts
             for line in role_comparisons(p.read_text(encoding="utf-8"), template=p.suffix == ".html")}
    assert sorted(found) == [], "ask access.can(actor, permission) in the handler and pass a boolean"
