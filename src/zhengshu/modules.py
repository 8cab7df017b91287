"""The Module contract: how every module, core ones included, plugs into the platform.

A module's `module.py` defines `MODULE = Module(...)`, the only object the platform imports from it. The
composition root (`app.py`, `cli.py`) loads the modules named in `MODULES`, mounts their routers and commands,
subscribes their event handlers and collects their permissions, navigation and home-page cards.
"""

from __future__ import annotations

import importlib
import secrets
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import typer
from fastapi import APIRouter, Request

from zhengshu.kernel.actor import Actor
from zhengshu.kernel.crypto import SM2KeyPair
from zhengshu.kernel.database import Database
from zhengshu.kernel.events import DomainEvent, EventBus, Handler
from zhengshu.kernel.jobs import Jobs, open_queue
from zhengshu.kernel.keyfile import read_or_create
from zhengshu.kernel.permissions import Permission
from zhengshu.kernel.unit_of_work import UnitOfWork
from zhengshu.settings import Settings, load_settings

# Modules in dependency order (core, then registries, then apps): identity first (everyone checks
# permissions), audit next.
MODULES: tuple[str, ...] = (
    "zhengshu.core.identity",
    "zhengshu.core.audit",
    "zhengshu.core.calendar",
    "zhengshu.core.datasets",
    "zhengshu.core.catalog",
    "zhengshu.core.sharing",
    "zhengshu.core.exchange",
    "zhengshu.core.quality",
    "zhengshu.core.ingest",
    "zhengshu.core.opendata",
    "zhengshu.core.fusion",
    "zhengshu.registries.population",
    "zhengshu.registries.legal_entity",
    "zhengshu.apps.policy",
    "zhengshu.apps.supervision",
    "zhengshu.synth",
)


@dataclass(frozen=True)
class NavItem:
    """A link in the main navigation, shown to actors holding `permission` (None: every signed-in user)."""

    title: str
    path: str
    permission: Permission | None = None


TONES = ("normal", "warning", "alert")


@dataclass(frozen=True)
class Card:
    """A figure on the signed-in home page (工作台): what it counts, how many, and the list behind it.
    `tone`: normal; warning (needs attention soon); alert (something is overdue: shown red)."""

    title: str
    value: int | str
    link: str | None = None
    tone: str = "normal"
    note: str = ""  # one short line under the figure

    def __post_init__(self) -> None:
        if self.tone not in TONES:
            raise ValueError(f"card tone must be one of {TONES}, not {self.tone!r}")


@dataclass(frozen=True)
class Platform:
    """What a running platform has: settings, the database, the event bus, its keys and its job queue."""

    settings: Settings
    database: Database
    bus: EventBus
    secret_key: str
    audit_key: SM2KeyPair
    jobs: Jobs

    @classmethod
    def start(cls, settings: Settings, database: Database | None = None) -> Platform:
        """Open the database, read or create the keys, and wire every module's event handlers."""
        keys = settings.keys_dir
        secret = (
            settings.secret_key.get_secret_value()
            if settings.secret_key
            else read_or_create(keys / "secret_key", lambda: secrets.token_urlsafe(48))
        )
        if settings.audit_signing_key and settings.audit_public_key:
            audit_key = SM2KeyPair(settings.audit_signing_key.get_secret_value(), settings.audit_public_key)
        else:
            audit_key = _stored_key_pair(keys / "audit_sm2.key")
        platform = cls(
            settings=settings,
            database=database or Database.from_url(settings.resolved_database_url),
            bus=EventBus(),
            secret_key=secret,
            audit_key=audit_key,
            jobs=Jobs(open_queue(settings.jobs_url, settings.data_dir)),
        )
        for module in load_modules():
            if module.subscribe is not None:
                platform.bus.subscribe_all(module.subscribe(platform))
            if module.jobs is not None:
                module.jobs(platform)
        return platform

    @classmethod
    def from_environment(cls) -> Platform:
        """The platform as the environment's ZHENGSHU_* settings describe it, its database checked first."""
        settings = load_settings()
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        database = Database.from_url(settings.resolved_database_url)
        database.check_reachable()
        return cls.start(settings, database)

    @classmethod
    @contextmanager
    def for_command(cls) -> Iterator[Platform]:
        """The environment's platform for one command, its database connections closed when it is done."""
        platform = cls.from_environment()
        try:
            yield platform
        finally:
            platform.database.dispose()

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.database, self.bus)


def _stored_key_pair(path: Path) -> SM2KeyPair:
    """The SM2 key pair kept in the data directory as `private_hex:public_hex`, generated the first time."""

    def generate() -> str:
        pair = SM2KeyPair.generate()
        return f"{pair.private_key_hex}:{pair.public_key_hex}"

    private, _, public = read_or_create(path, generate).partition(":")
    return SM2KeyPair(private, public)


@dataclass(frozen=True)
class Module:
    """Everything the platform needs to know to plug a module in."""

    name: str  # "identity": URL prefix, table prefix, template folder
    title: str  # 中文名, shown to users
    api: APIRouter | None = None
    pages: APIRouter | None = None
    cli: Sequence[typer.Typer] = ()  # command groups mounted on `zhengshu` (e.g. `users`, `clients`)
    permissions: Sequence[Permission] = ()
    nav: Sequence[NavItem] = ()
    subscribe: Callable[[Platform], Iterable[tuple[type[DomainEvent], Handler]]] | None = None
    templates_package: str | None = None  # package holding templates/<name>/*.html
    authenticate: Callable[[Platform, Request], Actor | None] | None = None  # identity provides this
    # cards for the signed-in home page: called with a fresh unit of work and the signed-in actor, returns
    # only what that actor may see (permissions checked in the module's service, as everywhere)
    cards: Callable[[UnitOfWork, Actor], Sequence[Card]] | None = None
    # background jobs: called once with the started platform, registers the module's tasks on `platform.jobs`
    jobs: Callable[[Platform], None] | None = None


def load_modules(names: Sequence[str] = MODULES) -> list[Module]:
    """Import each named module's `module.py` and return its MODULE, checking names are unique."""
    modules: list[Module] = []
    seen_permissions: set[str] = set()
    for name in names:
        module = importlib.import_module(f"{name}.module").MODULE
        for permission in module.permissions:
            if permission.name in seen_permissions:
                raise RuntimeError(f"permission {permission.name} declared twice")
            seen_permissions.add(permission.name)
        modules.append(module)
    return modules
