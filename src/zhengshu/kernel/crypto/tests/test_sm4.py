"""SM4 block vectors (GB/T 32907) and SM4-GCM field encryption."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from pysmx.SM4 import ENCRYPT, Sm4

from zhengshu.kernel.crypto.sm4 import sm4_decrypt_block, sm4_encrypt_block, sm4_gcm_decrypt, sm4_gcm_encrypt
from zhengshu.kernel.errors import IntegrityError, InvalidInput

# GB/T 32907-2016, Appendix A: key and plaintext are the same 16 bytes.
KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")
CIPHERTEXT = bytes.fromhex("681edf34d206965e86b3e94f536e4246")
CIPHERTEXT_AFTER_1_000_000 = bytes.fromhex("595298c7c6fd271f0402f804c33d3f66")


def test_sm4_standard_vector() -> None:
    assert sm4_encrypt_block(KEY, KEY) == CIPHERTEXT
    assert sm4_decrypt_block(KEY, CIPHERTEXT) == KEY


def test_sm4_standard_vector_iterated_a_million_times() -> None:
    # Appendix A example 2. One encryptor reused: the same primitive as `sm4_encrypt_block` (~0.3 s),
    # whereas a million calls of the wrapper would take several seconds.
    encryptor = Cipher(algorithms.SM4(KEY), modes.ECB()).encryptor()
    block = KEY
    for _ in range(1_000_000):
        block = encryptor.update(block)
    assert block == CIPHERTEXT_AFTER_1_000_000


def test_sm4_iterated_wrapper_agrees_with_pysmx() -> None:
    reference = Sm4()
    reference.set_key(KEY, ENCRYPT)
    ours = theirs = KEY
    for _ in range(1000):
        ours = sm4_encrypt_block(KEY, ours)
        theirs = bytes(reference.one_round(reference.sk, theirs))
    assert ours == theirs
    for _ in range(1000):
        ours = sm4_decrypt_block(KEY, ours)
    assert ours == KEY


@pytest.mark.parametrize(
    ("key", "block"), [(KEY[:15], KEY), (KEY + b"\x00", KEY), (KEY, KEY[:15]), (KEY, KEY * 2)]
)
def test_sm4_block_rejects_wrong_sizes(key: bytes, block: bytes) -> None:
    with pytest.raises(InvalidInput):
        sm4_encrypt_block(key, block)
    with pytest.raises(InvalidInput):
        sm4_decrypt_block(key, block)


@pytest.mark.parametrize(
    "plaintext", [b"", b"x", "张三 身份证号 110101199003077777".encode(), bytes(range(256)) * 5]
)
def test_gcm_round_trip(plaintext: bytes) -> None:
    token = sm4_gcm_encrypt(KEY, plaintext, b"person.id_number#42")
    assert len(token) == 12 + len(plaintext) + 16
    assert sm4_gcm_decrypt(KEY, token, b"person.id_number#42") == plaintext


def test_gcm_nonce_is_fresh_each_time() -> None:
    first, second = sm4_gcm_encrypt(KEY, b"same"), sm4_gcm_encrypt(KEY, b"same")
    assert first[:12] != second[:12]
    assert first != second


def test_gcm_token_layout_is_nonce_ciphertext_tag() -> None:
    token = sm4_gcm_encrypt(KEY, b"layout", b"ad")
    nonce, ciphertext, tag = token[:12], token[12:-16], token[-16:]
    decryptor = Cipher(algorithms.SM4(KEY), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(b"ad")
    assert decryptor.update(ciphertext) + decryptor.finalize() == b"layout"


@pytest.mark.parametrize("position", [0, 11, 12, 15, -16, -1])
def test_gcm_tampered_token_fails(position: int) -> None:
    token = bytearray(sm4_gcm_encrypt(KEY, b"secret field"))
    token[position] ^= 0x01
    with pytest.raises(IntegrityError):
        sm4_gcm_decrypt(KEY, bytes(token))


def test_gcm_wrong_associated_data_fails() -> None:
    token = sm4_gcm_encrypt(KEY, b"secret field", b"row 1")
    with pytest.raises(IntegrityError):
        sm4_gcm_decrypt(KEY, token, b"row 2")
    with pytest.raises(IntegrityError):
        sm4_gcm_decrypt(KEY, token)


def test_gcm_wrong_key_fails() -> None:
    token = sm4_gcm_encrypt(KEY, b"secret field")
    with pytest.raises(IntegrityError):
        sm4_gcm_decrypt(bytes(16), token)


@pytest.mark.parametrize("length", [0, 1, 27])
def test_gcm_truncated_token_fails(length: int) -> None:
    token = sm4_gcm_encrypt(KEY, b"")
    assert len(token) == 28
    with pytest.raises(IntegrityError):
        sm4_gcm_decrypt(KEY, token[:length])


@pytest.mark.parametrize("key", [b"", KEY[:15], KEY + KEY])
def test_gcm_rejects_bad_key_length(key: bytes) -> None:
    with pytest.raises(InvalidInput):
        sm4_gcm_encrypt(key, b"x")
    with pytest.raises(InvalidInput):
        sm4_gcm_decrypt(key, bytes(40))
