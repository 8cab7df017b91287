"""SM4 (GB/T 32907-2016, 分组密码算法) on `cryptography`: one-block ECB and SM4-GCM field encryption.

`sm4_gcm_encrypt` / `sm4_gcm_decrypt` are what the platform uses to protect stored fields (字段加密).
A token is `nonce (12 bytes) || ciphertext || tag (16 bytes)`. The nonce is random, so one key should
encrypt no more than about 2**32 values before it is rotated (the usual bound for random 96-bit GCM nonces).
"""

from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from zhengshu.kernel.errors import IntegrityError, InvalidInput

SM4_KEY_SIZE = 16
SM4_BLOCK_SIZE = 16
GCM_NONCE_SIZE = 12
GCM_TAG_SIZE = 16


def _check_key(key: bytes) -> None:
    if len(key) != SM4_KEY_SIZE:
        raise InvalidInput(f"SM4 密钥必须是 {SM4_KEY_SIZE} 字节，实际 {len(key)} 字节", field="key")


def _check_block(block: bytes) -> None:
    if len(block) != SM4_BLOCK_SIZE:
        raise InvalidInput(f"SM4 分组必须是 {SM4_BLOCK_SIZE} 字节，实际 {len(block)} 字节", field="block")


def sm4_encrypt_block(key: bytes, block: bytes) -> bytes:
    """Encrypt exactly one 16-byte block (ECB, no padding). A primitive for test vectors, not for data."""
    _check_key(key)
    _check_block(block)
    encryptor = Cipher(algorithms.SM4(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def sm4_decrypt_block(key: bytes, block: bytes) -> bytes:
    """Decrypt exactly one 16-byte block (ECB, no padding); the inverse of `sm4_encrypt_block`."""
    _check_key(key)
    _check_block(block)
    decryptor = Cipher(algorithms.SM4(key), modes.ECB()).decryptor()
    return decryptor.update(block) + decryptor.finalize()


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, associated_data: bytes = b"") -> bytes:
    """Encrypt and authenticate `plaintext`; return `nonce || ciphertext || tag`.

    `associated_data` (附加认证数据, e.g. table, column and row id) is authenticated but not stored:
    the same bytes must be given to `sm4_gcm_decrypt`, which binds a token to its place.
    """
    _check_key(key)
    nonce = os.urandom(GCM_NONCE_SIZE)
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(associated_data)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return nonce + ciphertext + encryptor.tag


def sm4_gcm_decrypt(key: bytes, token: bytes, associated_data: bytes = b"") -> bytes:
    """Check and decrypt a token made by `sm4_gcm_encrypt`.

    Raises `InvalidInput` for a key that is not 16 bytes, and `IntegrityError` when the token cannot be
    authentic: too short to hold a nonce and a tag, a wrong key, altered bytes, or other associated data.
    """
    _check_key(key)
    if len(token) < GCM_NONCE_SIZE + GCM_TAG_SIZE:
        raise IntegrityError(
            f"SM4-GCM 密文过短：至少 {GCM_NONCE_SIZE + GCM_TAG_SIZE} 字节，实际 {len(token)} 字节",
            field="token",
        )
    nonce = token[:GCM_NONCE_SIZE]
    ciphertext = token[GCM_NONCE_SIZE:-GCM_TAG_SIZE]
    tag = token[-GCM_TAG_SIZE:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(associated_data)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag:
        raise IntegrityError(
            "SM4-GCM 认证标签校验失败：密文被篡改，或密钥、附加数据不符", field="token"
        ) from None
