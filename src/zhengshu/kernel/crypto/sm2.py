"""SM2 signatures (GB/T 32918 / GM/T 0003, 椭圆曲线公钥密码算法): the one adapter over `gmssl-fast`.

Formats, fixed here so nothing else has to guess:

- private key: 64 hex characters, the scalar d in [1, n-2];
- public key: uncompressed point, `04 || x || y` as 130 hex characters. Input may also omit the `04`
  prefix (128 hex characters); output is always the 130-character form, lowercase;
- signature: raw `r || s`, 64 bytes (see `der.py` for the DER form of GM/T 0009);
- digest: e = SM3(Z_A || M) with the default user id (用户标识) `1234567812345678`. gmssl-fast has no way
  to choose another id, so `uid` exists to make the choice explicit and anything else is rejected.

gmssl-fast cannot hand back the public key it derives from a private key, so there is no
`public_key_from_private`: keep the public key beside the private key (`SM2KeyPair`).
GmSSL writes a diagnostic trace to the process's stderr on every failed verification or rejected key;
that noise is expected and is not an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import gmssl_fast

from zhengshu.kernel.errors import InvalidInput

DEFAULT_UID = b"1234567812345678"
SM2_ORDER = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
SIGNATURE_SIZE = 64

_HEX_64 = re.compile(r"[0-9a-fA-F]{64}")
_HEX_128 = re.compile(r"[0-9a-fA-F]{128}")
_LIBRARY_ERRORS = (ValueError, TypeError, gmssl_fast.GmsslError)


def _check_uid(uid: bytes) -> None:
    if bytes(uid) != DEFAULT_UID:
        raise InvalidInput(
            "SM2 用户标识只支持默认值 1234567812345678（gmssl-fast 不能指定其他值）", field="uid"
        )


def _message(message: bytes) -> bytes:
    if not isinstance(message, bytes | bytearray | memoryview):
        raise TypeError(f"message must be bytes, not {type(message).__name__}")
    return bytes(message)


def _private_key(private_key_hex: str) -> str:
    """Validate a private key and return it lowercase."""
    if not isinstance(private_key_hex, str) or not _HEX_64.fullmatch(private_key_hex):
        raise InvalidInput("SM2 私钥必须是 64 个十六进制字符", field="private_key")
    if not 1 <= int(private_key_hex, 16) <= SM2_ORDER - 2:
        raise InvalidInput("SM2 私钥超出范围：必须在 [1, n-2] 之内", field="private_key")
    return private_key_hex.lower()


def _public_key(public_key_hex: str) -> str:
    """Validate the shape of a public key and return it as 130 lowercase hex characters (`04 || x || y`).

    Whether the point lies on the curve is checked by GmSSL when the key is used.
    """
    if isinstance(public_key_hex, str):
        # 128 characters are x || y without the prefix (x may itself begin with 04, so go by length only).
        prefixed = len(public_key_hex) == 130 and public_key_hex.startswith("04")
        body = public_key_hex[2:] if prefixed else public_key_hex
        if _HEX_128.fullmatch(body):
            return "04" + body.lower()
    raise InvalidInput(
        "SM2 公钥必须是 130 个十六进制字符（04‖x‖y）或不带 04 前缀的 128 个字符", field="public_key"
    )


@dataclass(frozen=True)
class SM2KeyPair:
    """An SM2 key pair, both halves as hex (formats in the module docstring).

    Construction normalises both keys and checks that they belong together; the private key is left
    out of `repr` so it does not end up in logs.
    """

    private_key_hex: str = field(repr=False)
    public_key_hex: str

    def __post_init__(self) -> None:
        private_key = _private_key(self.private_key_hex)
        public_key = _public_key(self.public_key_hex)
        try:
            # GmSSL checks that the given public key is d·G when it loads the pair.
            gmssl_fast.SM2(private_key=private_key, public_key=public_key).sign(b"")
        except _LIBRARY_ERRORS:
            raise InvalidInput("SM2 公钥与私钥不匹配，或公钥不在曲线上", field="public_key") from None
        object.__setattr__(self, "private_key_hex", private_key)
        object.__setattr__(self, "public_key_hex", public_key)

    @classmethod
    def generate(cls) -> SM2KeyPair:
        """A fresh key pair from GmSSL's CSPRNG (the operating system's random source)."""
        generated = gmssl_fast.SM2.generate()
        if generated.private_key_hex is None or generated.public_key_hex is None:
            raise RuntimeError("gmssl-fast returned an incomplete SM2 key pair")
        return cls(generated.private_key_hex, generated.public_key_hex)


def sign(private_key_hex: str, message: bytes, uid: bytes = DEFAULT_UID) -> bytes:
    """Sign `message` (SM3 with Z_A, random nonce); return the raw 64-byte `r || s`.

    Raises `InvalidInput` for a malformed or out-of-range private key or a non-default `uid`, and
    `TypeError` when `message` is not bytes.
    """
    _check_uid(uid)
    data = _message(message)
    private_key = _private_key(private_key_hex)
    try:
        return gmssl_fast.SM2(private_key=private_key).sign(data)
    except (ValueError, gmssl_fast.GmsslError):
        raise InvalidInput("SM2 私钥无法用于签名", field="private_key") from None


def verify(public_key_hex: str, message: bytes, signature: bytes, uid: bytes = DEFAULT_UID) -> bool:
    """Whether `signature` (raw `r || s`) is a valid SM2 signature of `message` under `public_key_hex`.

    Returns False, and never raises, for a wrong, malformed or truncated signature and for a malformed
    public key or one not on the curve. Raises `InvalidInput` only for a non-default `uid` (a caller's
    mistake, not bad data) and `TypeError` when `message` is not bytes.
    """
    _check_uid(uid)
    data = _message(message)
    if not isinstance(signature, bytes | bytearray) or len(signature) != SIGNATURE_SIZE:
        return False
    try:
        public_key = _public_key(public_key_hex)
    except InvalidInput:
        return False
    try:
        return bool(gmssl_fast.SM2(public_key=public_key).verify(data, bytes(signature)))
    except _LIBRARY_ERRORS:
        return False
