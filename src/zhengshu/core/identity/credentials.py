"""Credentials: argon2 password and secret hashes, and signed short-lived bearer tokens for API clients."""

from __future__ import annotations

import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from zhengshu.kernel.errors import NotAuthenticated

_hasher = PasswordHasher()
# A hash of a random password, verified against when a username is unknown, so that an unknown username
# costs the same time as a wrong password and timing does not reveal which accounts exist.
_DECOY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(secret_hash: str | None, secret: str) -> bool:
    try:
        return _hasher.verify(secret_hash or _DECOY_HASH, secret) and secret_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def new_client_key() -> str:
    return "zs_" + secrets.token_hex(10)


def new_client_secret() -> str:
    return secrets.token_urlsafe(32)


def new_password() -> str:
    """A random password that satisfies the password rule (used for demo accounts)."""
    return "Zs-" + secrets.token_urlsafe(9) + "9a"


class TokenSigner:
    """Bearer tokens: the client key, signed and timestamped with the platform secret (itsdangerous)."""

    def __init__(self, secret_key: str, ttl_seconds: int) -> None:
        self._serializer = URLSafeTimedSerializer(secret_key, salt="zhengshu.api-token")
        self.ttl_seconds = ttl_seconds

    def issue(self, client_key: str) -> str:
        return self._serializer.dumps({"client": client_key})

    def client_key(self, token: str) -> str:
        """The client a token was issued to; a forged or expired token raises NotAuthenticated."""
        try:
            payload = self._serializer.loads(token, max_age=self.ttl_seconds)
        except SignatureExpired as exc:
            raise NotAuthenticated("访问令牌已过期，请重新获取。") from exc
        except BadSignature as exc:
            raise NotAuthenticated("访问令牌无效。") from exc
        if not isinstance(payload, dict) or not isinstance(payload.get("client"), str):
            raise NotAuthenticated("访问令牌无效。")
        return payload["client"]
