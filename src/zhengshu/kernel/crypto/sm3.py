"""SM3 (GB/T 32905-2016, 杂凑算法): digest, HMAC-SM3 and a hash-chain step, on `cryptography`.

SM3 yields a 32-byte digest. HMAC-SM3 is the RFC 2104 construction with SM3 (block size 64 bytes).
Plain digests go through `hashlib` when the Python's OpenSSL offers SM3 (Debian's does): the same OpenSSL
code with half the per-call overhead, which matters when the audit chain is verified record by record.
Elsewhere they fall back to `cryptography`'s bundled OpenSSL; the standard vectors test both paths.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac

from zhengshu.kernel.errors import InvalidInput

SM3_DIGEST_SIZE = 32


def sm3_hash_cryptography(data: bytes) -> bytes:
    """The 32-byte SM3 digest of `data`, computed by `cryptography`."""
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def _sm3_hash_hashlib(data: bytes) -> bytes:
    return hashlib.new("sm3", data).digest()


HASHLIB_HAS_SM3 = "sm3" in hashlib.algorithms_available
sm3_hash: Callable[[bytes], bytes] = _sm3_hash_hashlib if HASHLIB_HAS_SM3 else sm3_hash_cryptography
sm3_hash.__doc__ = "The 32-byte SM3 digest of `data`."


def sm3_hex(data: bytes) -> str:
    """The SM3 digest of `data` as 64 lowercase hex characters."""
    return sm3_hash(data).hex()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    """The 32-byte HMAC-SM3 tag of `data` under `key` (any key length; long keys are hashed first)."""
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def hmac_sm3_verify(key: bytes, data: bytes, tag: bytes) -> bool:
    """Whether `tag` is the HMAC-SM3 of `data` under `key`, compared in constant time."""
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    try:
        mac.verify(tag)
    except InvalidSignature:
        return False
    return True


def chain_hash(previous: bytes, payload: bytes) -> bytes:
    """One step of a hash chain (哈希链): SM3(previous || payload).

    `previous` must be the 32-byte digest of the preceding link, so the concatenation is unambiguous
    (the payload always starts at byte 32). The value used for the first link (for example 32 zero
    bytes) is the caller's convention; this function only enforces the length.
    """
    if len(previous) != SM3_DIGEST_SIZE:
        raise InvalidInput(
            f"哈希链的前一环必须是 {SM3_DIGEST_SIZE} 字节的 SM3 摘要，实际 {len(previous)} 字节",
            field="previous",
        )
    return sm3_hash(previous + payload)
