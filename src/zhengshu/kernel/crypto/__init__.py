"""National cryptography (国密) adapters: SM3 digests, HMAC-SM3 and hash chains (`sm3`), SM4 block and
SM4-GCM field encryption (`sm4`), SM2 key pairs and signatures over gmssl-fast (`sm2`), and the
raw ↔ DER signature codec (`der`). Everything else in the platform calls these functions rather than a
cryptography library directly; bad input raises `InvalidInput`, a failed authentication `IntegrityError`.
"""

from __future__ import annotations

from zhengshu.kernel.crypto.der import der_to_raw, raw_to_der
from zhengshu.kernel.crypto.sm2 import DEFAULT_UID, SM2KeyPair, sign, verify
from zhengshu.kernel.crypto.sm3 import chain_hash, hmac_sm3, hmac_sm3_verify, sm3_hash, sm3_hex
from zhengshu.kernel.crypto.sm4 import sm4_decrypt_block, sm4_encrypt_block, sm4_gcm_decrypt, sm4_gcm_encrypt

__all__ = [
    "DEFAULT_UID",
    "SM2KeyPair",
    "chain_hash",
    "der_to_raw",
    "hmac_sm3",
    "hmac_sm3_verify",
    "raw_to_der",
    "sign",
    "sm3_hash",
    "sm3_hex",
    "sm4_decrypt_block",
    "sm4_encrypt_block",
    "sm4_gcm_decrypt",
    "sm4_gcm_encrypt",
    "verify",
]
