"""Every module has the same shape, and every public service function takes (uow, actor, ...) first."""

import importlib
import importlib.util
import inspect
import pkgutil
from pathlib import Path

from zhengshu.modules import MODULES, load_modules

ALLOWED_FILES = {
    "__init__", "module", "domain", "schemas", "tables", "repository", "queries", "service", "api", "pages",
    "cli", "events", "permissions",
    # named extras, one or two per module, each saying what it holds
    "access", "authentication", "credentials", "recorder", "store", "masking", "upstream",
    "connectors", "linkage", "golden",
    "backend",  # core/fusion: the engine Splink runs on (DuckDB, or Spark when the settings name a master)
}


# Modules of the platform's layers share one shape; the synthetic city (a generator) has its own.
SHAPED = [name for name in MODULES if name.split(".")[1] in ("core", "registries", "apps")]


def test_modules_load_and_have_distinct_names() -> None:
    names = [m.name for m in load_modules()]
    assert len(names) == len(set(names)) == len(MODULES)


def test_module_files_are_of_the_known_kinds() -> None:
    for name in SHAPED:
        package = importlib.import_module(name)
        files = {path.stem for path in Path(package.__path__[0]).glob("*.py")}
        assert files <= ALLOWED_FILES, f"{name} has unexpected files {files - ALLOWED_FILES}"
        assert (package.__doc__ or "").strip(), f"{name}/__init__.py needs a docstring saying what it is for"


def _service_modules(name: str) -> list:
    """The module's `service`, and when it is a package, each of its submodules."""
    service = importlib.import_module(f"{name}.service")
    if not hasattr(service, "__path__"):
        return [service]
    return [service] + [importlib.import_module(f"{service.__name__}.{info.name}")
                        for info in pkgutil.iter_modules(service.__path__) if not info.name.startswith("_")]


def test_public_service_functions_take_uow_and_actor_first() -> None:
    checked = 0
    for name in SHAPED:
        if importlib.util.find_spec(f"{name}.service") is None:
            continue  # a module without use cases (yet)
        for service in _service_modules(name):
            for fname, function in inspect.getmembers(service, inspect.isfunction):
                if fname.startswith("_") or function.__module__ != service.__name__:
                    continue
                if fname.startswith("actor_for_"):  # resolving who the actor is comes before there is one
                    continue
                params = list(inspect.signature(function).parameters)
                assert params[:2] == ["uow", "actor"], f"{service.__name__}.{fname}{params}"
                checked += 1
    assert checked > 50


def test_the_alembic_command_line_knows_every_module_s_migrations() -> None:
    from configparser import ConfigParser

    from zhengshu.migrations import HERE, version_locations

    ini = ConfigParser()
    ini.read(HERE / "alembic.ini")
    listed = {(HERE / p.replace("%(here)s/", "")).resolve()
              for p in ini.get("alembic", "version_locations", raw=True).split()}
    assert listed == {p.resolve() for p in version_locations()}
