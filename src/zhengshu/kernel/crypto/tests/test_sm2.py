"""SM2 signatures through the gmssl-fast adapter: the GM/T 0003.5 vector, round trips, failures, and
interoperability with pysmx (snowland-smx), an independent pure-Python implementation."""

from __future__ import annotations

import dataclasses
import secrets

import pysmx.SM2 as pysmx_sm2
import pytest

from zhengshu.kernel.crypto.sm2 import DEFAULT_UID, SM2_ORDER, SM2KeyPair, sign, verify
from zhengshu.kernel.errors import InvalidInput

# GM/T 0003.5-2012 Annex A (also GB/T 32918.5-2017): signature over the recommended curve with the
# default user id 1234567812345678 and the fixed nonce k below. Z_A and e are the standard's
# intermediate values. The same figures appear in OpenSSL's test/sm2_internal_test.c.
ANNEX_PRIVATE_KEY = "3945208f7b2144b13f36e38ac6d39f95889393692860b51a42fb81ef4df7c5b8"
ANNEX_PUBLIC_KEY = (
    "04"
    "09f9df311e5421a150dd7d161e4bc5c672179fad1833fc076bb08ff356f35020"
    "ccea490ce26775a52dc6ea718cc1aa600aed05fbf35e084a6632f6072da9ad13"
)
ANNEX_MESSAGE = b"message digest"
ANNEX_NONCE = "59276e27d506861a16680f3ad9c02dccef3cc1fa3cdbe4ce6d54b80deac1bc21"
ANNEX_ZA = "b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3"
ANNEX_SIGNATURE = bytes.fromhex(
    "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
    "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa"
)
UID_TEXT = DEFAULT_UID.decode()


@pytest.fixture(scope="module")
def pair() -> SM2KeyPair:
    return SM2KeyPair.generate()


def flip_bit(data: bytes, bit: int) -> bytes:
    flipped = bytearray(data)
    flipped[bit // 8] ^= 1 << (bit % 8)
    return bytes(flipped)


# --- the standard vector -------------------------------------------------------------------------


def test_annex_vector_verifies() -> None:
    assert verify(ANNEX_PUBLIC_KEY, ANNEX_MESSAGE, ANNEX_SIGNATURE)
    assert verify(ANNEX_PUBLIC_KEY[2:], ANNEX_MESSAGE, ANNEX_SIGNATURE)
    assert verify(ANNEX_PUBLIC_KEY.upper(), ANNEX_MESSAGE, ANNEX_SIGNATURE)
    assert not verify(ANNEX_PUBLIC_KEY, b"message digesT", ANNEX_SIGNATURE)


def test_annex_vector_is_reproduced_by_pysmx() -> None:
    """Pins the vector to Z_A with the default uid: pysmx with the Annex nonce gives the same r || s."""
    assert pysmx_sm2.get_za(DEFAULT_UID, ANNEX_PUBLIC_KEY[2:], 64) == ANNEX_ZA
    assert (
        pysmx_sm2.Sign(ANNEX_MESSAGE, ANNEX_PRIVATE_KEY, ANNEX_NONCE, 64, uid=DEFAULT_UID) == ANNEX_SIGNATURE
    )


def test_annex_key_pair_is_accepted_and_signs() -> None:
    pair = SM2KeyPair(ANNEX_PRIVATE_KEY.upper(), ANNEX_PUBLIC_KEY[2:])
    assert pair.private_key_hex == ANNEX_PRIVATE_KEY
    assert pair.public_key_hex == ANNEX_PUBLIC_KEY
    signature = sign(pair.private_key_hex, ANNEX_MESSAGE)
    assert signature != ANNEX_SIGNATURE  # random nonce, not the Annex's fixed k
    assert verify(ANNEX_PUBLIC_KEY, ANNEX_MESSAGE, signature)


# --- round trips and failures --------------------------------------------------------------------


def test_generate_gives_normalised_hex(pair: SM2KeyPair) -> None:
    assert len(pair.private_key_hex) == 64
    assert len(pair.public_key_hex) == 130
    assert pair.public_key_hex.startswith("04")
    assert pair.public_key_hex == pair.public_key_hex.lower()
    assert SM2KeyPair.generate().private_key_hex != pair.private_key_hex


def test_sign_verify_round_trip(pair: SM2KeyPair) -> None:
    for message in (b"", b"abc", "政务数据共享申请 #2024-001".encode(), bytes(range(256)) * 40):
        signature = sign(pair.private_key_hex, message)
        assert len(signature) == 64
        assert verify(pair.public_key_hex, message, signature)
        assert verify(pair.public_key_hex[2:], message, signature)


def test_two_signatures_of_the_same_message_differ(pair: SM2KeyPair) -> None:
    first, second = sign(pair.private_key_hex, b"same"), sign(pair.private_key_hex, b"same")
    assert first != second
    assert verify(pair.public_key_hex, b"same", first)
    assert verify(pair.public_key_hex, b"same", second)


@pytest.mark.parametrize("bit", [0, 7, 60, 111])
def test_flipped_message_bit_fails(pair: SM2KeyPair, bit: int) -> None:
    message = b"approve release of dataset 42"
    signature = sign(pair.private_key_hex, message)
    assert not verify(pair.public_key_hex, flip_bit(message, bit), signature)


@pytest.mark.parametrize("bit", [0, 255, 256, 511])
def test_flipped_signature_bit_fails(pair: SM2KeyPair, bit: int) -> None:
    signature = sign(pair.private_key_hex, b"payload")
    assert not verify(pair.public_key_hex, b"payload", flip_bit(signature, bit))


def test_other_public_key_fails(pair: SM2KeyPair) -> None:
    signature = sign(pair.private_key_hex, b"payload")
    assert not verify(SM2KeyPair.generate().public_key_hex, b"payload", signature)


@pytest.mark.parametrize(
    "signature",
    [
        b"",
        ANNEX_SIGNATURE[:63],
        ANNEX_SIGNATURE[:32],
        ANNEX_SIGNATURE + b"\x00",
        bytes(64),  # r = s = 0
        SM2_ORDER.to_bytes(32, "big") + ANNEX_SIGNATURE[32:],  # r = n
        b"\xff" * 64,
        bytes.fromhex(
            "3046022100" + ANNEX_SIGNATURE[:32].hex() + "022100" + ANNEX_SIGNATURE[32:].hex()
        ),  # DER
        ANNEX_SIGNATURE.hex(),  # hex text, not bytes
        None,
    ],
)
def test_malformed_signature_returns_false(signature: object) -> None:
    assert verify(ANNEX_PUBLIC_KEY, ANNEX_MESSAGE, signature) is False  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "public_key",
    [
        "",
        ANNEX_PUBLIC_KEY[:-2],
        ANNEX_PUBLIC_KEY + "00",
        "05" + ANNEX_PUBLIC_KEY[2:],  # 130 characters must start with 04
        "02" + ANNEX_PUBLIC_KEY[2:66],  # compressed form is not accepted
        ANNEX_PUBLIC_KEY[:-1] + "g",
        " " + ANNEX_PUBLIC_KEY[1:],
        "04" + "11" * 64,  # not on the curve
        "00" * 65,
        None,
        bytes.fromhex(ANNEX_PUBLIC_KEY),
    ],
)
def test_malformed_public_key_returns_false(public_key: object) -> None:
    assert verify(public_key, ANNEX_MESSAGE, ANNEX_SIGNATURE) is False  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "private_key",
    [
        "",
        ANNEX_PRIVATE_KEY[:-1],
        ANNEX_PRIVATE_KEY + "0",
        ANNEX_PRIVATE_KEY[:-1] + "x",
        "00" * 32,  # d = 0
        f"{SM2_ORDER - 1:064x}",  # d = n - 1: d + 1 has no inverse mod n
        f"{SM2_ORDER:064x}",
        "ff" * 32,
    ],
)
def test_sign_rejects_bad_private_key(private_key: str) -> None:
    with pytest.raises(InvalidInput):
        sign(private_key, b"payload")


def test_key_pair_rejects_a_mismatched_or_malformed_half(pair: SM2KeyPair) -> None:
    with pytest.raises(InvalidInput):
        SM2KeyPair(pair.private_key_hex, SM2KeyPair.generate().public_key_hex)
    with pytest.raises(InvalidInput):
        SM2KeyPair(pair.private_key_hex, "04" + "11" * 64)
    with pytest.raises(InvalidInput):
        SM2KeyPair("zz" * 32, pair.public_key_hex)


def test_key_pair_hides_private_key_and_is_frozen(pair: SM2KeyPair) -> None:
    assert pair.private_key_hex not in repr(pair)
    assert pair.public_key_hex in repr(pair)
    with pytest.raises(dataclasses.FrozenInstanceError):
        pair.public_key_hex = ANNEX_PUBLIC_KEY  # type: ignore[misc]


def test_only_the_default_uid_is_supported(pair: SM2KeyPair) -> None:
    signature = sign(pair.private_key_hex, b"payload", uid=b"1234567812345678")
    assert verify(pair.public_key_hex, b"payload", signature, uid=b"1234567812345678")
    with pytest.raises(InvalidInput):
        sign(pair.private_key_hex, b"payload", uid=b"ALICE123@YAHOO.COM")
    with pytest.raises(InvalidInput):
        verify(pair.public_key_hex, b"payload", signature, uid=b"ALICE123@YAHOO.COM")


def test_message_must_be_bytes(pair: SM2KeyPair) -> None:
    with pytest.raises(TypeError):
        sign(pair.private_key_hex, "text")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        verify(pair.public_key_hex, "text", bytes(64))  # type: ignore[arg-type]


# --- interoperability with pysmx -----------------------------------------------------------------
# pysmx takes the public key as x || y (no 04) and needs uid= to hash SM3(Z_A || M); without uid it
# treats the message itself as the digest e.


def test_adapter_signature_verifies_with_pysmx(pair: SM2KeyPair) -> None:
    message = "跨部门数据交换回执".encode()
    signature = sign(pair.private_key_hex, message)
    assert pysmx_sm2.Verify(signature, message, pair.public_key_hex[2:], 64, uid=DEFAULT_UID)
    assert pysmx_sm2.Verify(signature, message, pair.public_key_hex[2:], 64, uid=UID_TEXT)
    assert not pysmx_sm2.Verify(signature, message + b"!", pair.public_key_hex[2:], 64, uid=DEFAULT_UID)


def test_pysmx_signature_verifies_with_adapter() -> None:
    public_key, private_key = pysmx_sm2.generate_keypair(64)  # bytes: x || y, d
    message = b"signed elsewhere"
    signature = None
    while signature is None:  # pysmx returns None for the (negligible) degenerate nonces
        nonce = f"{secrets.randbelow(SM2_ORDER - 1) + 1:064x}"
        signature = pysmx_sm2.Sign(message, private_key.hex(), nonce, 64, uid=DEFAULT_UID)
    assert verify(public_key.hex(), message, signature)
    assert verify("04" + public_key.hex(), message, signature)
    assert not verify(public_key.hex(), b"signed elsewherE", signature)
    assert SM2KeyPair(private_key.hex(), public_key.hex()).public_key_hex == "04" + public_key.hex()
