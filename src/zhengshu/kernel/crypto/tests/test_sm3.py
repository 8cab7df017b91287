"""SM3, HMAC-SM3 and the hash-chain step against GB/T 32905 vectors and independent implementations."""

from __future__ import annotations

import gmssl_fast
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pysmx.SM3 import digest as pysmx_sm3

from zhengshu.kernel.crypto.sm3 import (
    chain_hash,
    hmac_sm3,
    hmac_sm3_verify,
    sm3_hash,
    sm3_hash_cryptography,
    sm3_hex,
)
from zhengshu.kernel.errors import InvalidInput

SM3_BLOCK_SIZE = 64


def rfc2104_hmac_sm3(key: bytes, data: bytes) -> bytes:
    """HMAC written out from RFC 2104 over pysmx's pure-Python SM3, independent of `cryptography`."""
    if len(key) > SM3_BLOCK_SIZE:
        key = pysmx_sm3(key)
    key = key.ljust(SM3_BLOCK_SIZE, b"\x00")
    inner = pysmx_sm3(bytes(b ^ 0x36 for b in key) + data)
    return pysmx_sm3(bytes(b ^ 0x5C for b in key) + inner)


ABC = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"  # GB/T 32905-2016 A.1
ABCD_X16 = "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"  # A.2, two blocks


def test_sm3_standard_vector_abc() -> None:
    assert sm3_hex(b"abc") == ABC


def test_sm3_standard_vector_abcd_x16() -> None:
    assert sm3_hex(b"abcd" * 16) == ABCD_X16


def test_the_cryptography_path_meets_the_standard_vectors_too() -> None:
    # sm3_hash prefers hashlib's OpenSSL where it has SM3; the fallback must be just as right.
    assert sm3_hash_cryptography(b"abc").hex() == ABC
    assert sm3_hash_cryptography(b"abcd" * 16).hex() == ABCD_X16
    assert sm3_hash_cryptography(b"x" * 1000) == sm3_hash(b"x" * 1000)


def test_sm3_hash_is_32_bytes_and_matches_hex() -> None:
    assert len(sm3_hash(b"")) == 32
    assert sm3_hash(b"abc").hex() == sm3_hex(b"abc")


@given(st.binary(max_size=300))
def test_sm3_agrees_with_pysmx(data: bytes) -> None:
    assert sm3_hash(data) == pysmx_sm3(data)


@pytest.mark.parametrize(
    ("key", "data"),
    [
        (b"key", b"The quick brown fox jumps over the lazy dog"),
        (b"", b""),
        (b"\x0b" * 20, b"Hi There"),
        (b"k" * 64, b"exactly one block of key"),
        (b"k" * 65, b"key longer than a block is hashed first"),
        (b"\xaa" * 131, b"\xdd" * 50),
    ],
)
def test_hmac_sm3_matches_rfc2104_and_gmssl(key: bytes, data: bytes) -> None:
    tag = hmac_sm3(key, data)
    assert len(tag) == 32
    assert tag == rfc2104_hmac_sm3(key, data)
    assert tag == gmssl_fast.sm3_hmac(key, data)


def test_hmac_sm3_verify() -> None:
    tag = hmac_sm3(b"key", b"data")
    assert hmac_sm3_verify(b"key", b"data", tag)
    assert not hmac_sm3_verify(b"key", b"datA", tag)
    assert not hmac_sm3_verify(b"kex", b"data", tag)
    assert not hmac_sm3_verify(b"key", b"data", tag[:-1])


def test_chain_hash_is_sm3_of_concatenation() -> None:
    genesis = bytes(32)
    first = chain_hash(genesis, b"event 1")
    second = chain_hash(first, b"event 2")
    assert first == pysmx_sm3(genesis + b"event 1")
    assert second == pysmx_sm3(first + b"event 2")
    assert chain_hash(genesis, b"event 2") != second


@pytest.mark.parametrize("previous", [b"", bytes(31), bytes(33)])
def test_chain_hash_rejects_a_previous_that_is_not_a_digest(previous: bytes) -> None:
    with pytest.raises(InvalidInput):
        chain_hash(previous, b"payload")
