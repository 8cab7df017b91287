"""Keyed hashes of subjects (数据主体: a person by ID number, an enterprise by credit code) and keyed
pseudonyms, both HMAC-SM3 of a value's canonical text under a key derived from the platform secret.

The exchange names the subjects of every record it returns by `subject_hash` in the audit trail and its call
log; identity names a citizen signed in by ID number with the same hash, so "who read my data" (谁查询了我的
数据) finds every read of a person without the platform ever storing their number in its logs. Changing a
derivation label (`…v1`) rotates the keys.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from typing import Any

from zhengshu.kernel.crypto import hmac_sm3

SUBJECT_HASH_LENGTH = 32  # hex characters (128 bits) kept per subject


def derive_key(platform_secret: str | bytes, purpose: str, scope: str = "") -> bytes:
    """A 32-byte key for one purpose (and scope) derived from the platform secret by HMAC-SM3."""
    secret = platform_secret.encode() if isinstance(platform_secret, str) else platform_secret
    return hmac_sm3(secret, f"zhengshu.exchange.{purpose}.v1\x00{scope}".encode())


def subject_key(platform_secret: str | bytes) -> bytes:
    """The platform-wide key of subject hashes (never given out)."""
    return derive_key(platform_secret, "subject")


def text_of(value: Any) -> str:
    """A value as text: dates and times in ISO form."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def canonical(value: Any) -> str:
    """The text a value is hashed and compared as: NFKC, trimmed, upper-case; dates in ISO form."""
    return unicodedata.normalize("NFKC", text_of(value)).strip().upper()


def pseudonym(key: bytes, value: Any) -> str:
    """HMAC-SM3 of the canonical value under the key, 64 hex characters."""
    return hmac_sm3(key, canonical(value).encode()).hex()


def subject_hash(key: bytes, value: Any) -> str:
    """How the platform names a subject in its logs (see `subject_key`)."""
    return pseudonym(key, value)[:SUBJECT_HASH_LENGTH]
