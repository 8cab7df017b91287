"""Actor: who is acting. A signed-in user, a department's API client, the public, a citizen signed in as
themselves, or the platform itself."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum


class ActorKind(StrEnum):
    USER = "user"  # 用户: a person signed in on the web or the CLI
    CLIENT = "client"  # 接入系统: a department's system with an API key
    PUBLIC = "public"  # 公众: anonymous
    SYSTEM = "system"  # 平台: the platform's own jobs and commands run by an operator
    CITIZEN = "citizen"  # 公众（实名）: a person signed in as themselves; `id` is their subject hash


@dataclass(frozen=True)
class Actor:
    """Who does a thing, in which department, with which roles, from which address."""

    kind: ActorKind
    id: str
    name: str
    department_code: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    client_address: str | None = None

    @property
    def label(self) -> str:
        """How the audit log names this actor: `user:zhangsan`."""
        return f"{self.kind.value}:{self.id}"

    def at(self, client_address: str | None) -> Actor:
        """The same actor seen from a given network address."""
        return replace(self, client_address=client_address)


PUBLIC = Actor(kind=ActorKind.PUBLIC, id="anonymous", name="公众")


def system_actor(name: str = "平台", *, client_address: str | None = "local") -> Actor:
    """The platform acting on its own: seeding, migrations, an operator's command line."""
    return Actor(kind=ActorKind.SYSTEM, id="system", name=name, roles=frozenset({"system"}),
                 client_address=client_address)
