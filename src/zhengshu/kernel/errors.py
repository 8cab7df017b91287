"""Domain errors. Code raises these; `web.errors` and `cli` map them to HTTP statuses and exit codes in one place.

Messages are written for the person who will read them: Chinese for users, naming the field and the rule broken.
"""

from __future__ import annotations


class ZhengshuError(Exception):
    """Base of every error the platform raises on purpose."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None, details: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.details = details or {}


class InvalidInput(ZhengshuError):
    """The input breaks a rule (syntax or meaning). Names the field and the rule."""

    code = "invalid_input"


class NotFound(ZhengshuError):
    """The thing does not exist, or the actor may not know that it exists (deny looks like absence)."""

    code = "not_found"


class NotAuthenticated(ZhengshuError):
    """No valid credentials: a missing, forged or expired token or session, a wrong password."""

    code = "not_authenticated"


class AccountLocked(NotAuthenticated):
    """Too many failed sign-ins; the account is locked for a while."""

    code = "account_locked"


class Conflict(ZhengshuError):
    """The request clashes with the current state (a duplicate, a transition not allowed from here)."""

    code = "conflict"


class QuotaExceeded(Conflict):
    """A quota or rate limit is used up for now; trying again later may succeed."""

    code = "quota_exceeded"


class UpstreamFailed(ZhengshuError):
    """A department's live API, called on a user's behalf, failed or answered with something unusable."""

    code = "upstream_failed"


class UpstreamTimeout(UpstreamFailed):
    """A department's live API did not answer in time."""

    code = "upstream_timeout"


class IntegrityError(ZhengshuError):
    """Stored data failed a cryptographic or structural integrity check (a bad tag, a broken chain)."""

    code = "integrity_error"


class ConfigurationError(ZhengshuError):
    """A setting is missing or wrong, or a required service (the database) cannot be reached."""

    code = "configuration_error"
