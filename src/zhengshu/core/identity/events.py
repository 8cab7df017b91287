"""Events of the identity module (past tense; the audit log records each one)."""

from __future__ import annotations

from dataclasses import dataclass

from zhengshu.kernel.events import DomainEvent


@dataclass(frozen=True, kw_only=True)
class OrganisationsSeeded(DomainEvent):
    action = "identity.organisations_seeded"
    added: int
    updated: int


@dataclass(frozen=True, kw_only=True)
class UserCreated(DomainEvent):
    action = "identity.user_created"
    username: str
    organisation_code: str
    roles: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class PasswordReset(DomainEvent):
    action = "identity.password_reset"
    username: str


@dataclass(frozen=True, kw_only=True)
class UserSignedIn(DomainEvent):
    action = "identity.user_signed_in"


@dataclass(frozen=True, kw_only=True)
class SignInFailed(DomainEvent):
    action = "identity.sign_in_failed"
    reason: str


@dataclass(frozen=True, kw_only=True)
class AccountLockedOut(DomainEvent):
    action = "identity.account_locked_out"
    locked_until: str


@dataclass(frozen=True, kw_only=True)
class CitizenSignedIn(DomainEvent):
    """A citizen signed in as themselves (the actor is named by their subject hash, not their number)."""

    action = "identity.citizen_signed_in"


@dataclass(frozen=True, kw_only=True)
class UserSignedOut(DomainEvent):
    action = "identity.user_signed_out"


@dataclass(frozen=True, kw_only=True)
class ApiClientCreated(DomainEvent):
    action = "identity.api_client_created"
    client_key: str
    organisation_code: str


@dataclass(frozen=True, kw_only=True)
class TokenIssued(DomainEvent):
    action = "identity.token_issued"
    expires_in: int


@dataclass(frozen=True, kw_only=True)
class TokenRefused(DomainEvent):
    action = "identity.token_refused"
    reason: str
