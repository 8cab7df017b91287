"""Raw r||s ↔ DER SEQUENCE { INTEGER r, INTEGER s } (GM/T 0009)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengshu.kernel.crypto.der import der_to_raw, raw_to_der
from zhengshu.kernel.errors import InvalidInput

SCALARS = st.integers(min_value=0, max_value=2**256 - 1)

# GM/T 0003.5-2012 Annex A signature (also in test_sm2.py): r has its top bit set, so DER pads it with 00.
R = "f5a03b0648d2c4630eeac513e1bb81a15944da3827d5b74143ac7eaceee720b3"
S = "b1b6aa29df212fd8763182bc0d421ca1bb9038fd1f7f42d4840b69c485bbc1aa"


@given(SCALARS, SCALARS)
def test_round_trip(r: int, s: int) -> None:
    raw = r.to_bytes(32, "big") + s.to_bytes(32, "big")
    der = raw_to_der(raw)
    assert der[0] == 0x30
    assert der_to_raw(der) == raw


def test_known_encoding() -> None:
    der = bytes.fromhex("3046" + "022100" + R + "022100" + S)
    assert raw_to_der(bytes.fromhex(R + S)) == der
    assert der_to_raw(der) == bytes.fromhex(R + S)


def test_small_values_are_minimal_and_left_padded() -> None:
    raw = (1).to_bytes(32, "big") + (0x7F).to_bytes(32, "big")
    assert raw_to_der(raw) == bytes.fromhex("3006020101") + bytes.fromhex("02017f")
    assert der_to_raw(bytes.fromhex("3006020101") + bytes.fromhex("02017f")) == raw


@pytest.mark.parametrize("length", [0, 63, 65, 128])
def test_raw_to_der_rejects_wrong_length(length: int) -> None:
    with pytest.raises(InvalidInput):
        raw_to_der(bytes(length))


@pytest.mark.parametrize(
    "der_hex",
    [
        "",
        "30",
        "3006020101020101" + "00",  # trailing byte
        "3009020101020101020101",  # three integers
        "3003020101",  # one integer
        "3106020101020101",  # SET instead of SEQUENCE
        "308106020101020101",  # non-minimal length
        "300702020001020101",  # non-minimal integer
        "30060201ff020101",  # negative r
        "3006040101020101",  # OCTET STRING instead of INTEGER
        "3026022101" + "00" * 32 + "020101",  # r = 2**256, one byte too wide
        "3046" + "022100" + R + "022100" + S[:-2],  # truncated
    ],
)
def test_der_to_raw_rejects_malformed(der_hex: str) -> None:
    with pytest.raises(InvalidInput):
        der_to_raw(bytes.fromhex(der_hex))
