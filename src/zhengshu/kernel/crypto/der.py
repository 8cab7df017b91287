"""SM2 signature encodings: raw `r || s` (64 bytes) and DER `SEQUENCE { INTEGER r, INTEGER s }` (GM/T 0009).

The SM2 adapter works with raw signatures; certificates, CMS/PKCS#7 and most Java stacks use DER.
Both converters are pure codecs: they check the shape (strict DER, r and s non-negative and below 2**256),
not whether r and s lie in [1, n-1] — `sm2.verify` decides that.
"""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature

from zhengshu.kernel.errors import InvalidInput

SCALAR_SIZE = 32
RAW_SIGNATURE_SIZE = 2 * SCALAR_SIZE


def raw_to_der(sig: bytes) -> bytes:
    """Encode a 64-byte raw `r || s` signature (big-endian, 32 bytes each) as DER."""
    if len(sig) != RAW_SIGNATURE_SIZE:
        raise InvalidInput(
            f"SM2 裸签名必须是 {RAW_SIGNATURE_SIZE} 字节（r‖s），实际 {len(sig)} 字节", field="signature"
        )
    r = int.from_bytes(sig[:SCALAR_SIZE], "big")
    s = int.from_bytes(sig[SCALAR_SIZE:], "big")
    return encode_dss_signature(r, s)


def der_to_raw(der: bytes) -> bytes:
    """Decode a DER `SEQUENCE { INTEGER r, INTEGER s }` into 64-byte raw `r || s`.

    Rejects with `InvalidInput` anything that is not strict DER (trailing bytes, non-minimal lengths or
    integers, negative integers) and any r or s too wide for 32 bytes.
    """
    try:
        r, s = decode_dss_signature(der)
    except ValueError:
        raise InvalidInput(
            "SM2 签名不是合法的 DER 编码（应为 SEQUENCE { INTEGER r, INTEGER s }）", field="signature"
        ) from None
    if r < 0 or s < 0 or r.bit_length() > 8 * SCALAR_SIZE or s.bit_length() > 8 * SCALAR_SIZE:
        raise InvalidInput("SM2 签名的 r、s 必须是不超过 32 字节的非负整数", field="signature")
    return r.to_bytes(SCALAR_SIZE, "big") + s.to_bytes(SCALAR_SIZE, "big")
