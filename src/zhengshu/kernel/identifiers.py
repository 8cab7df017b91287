"""National identifiers and their check characters, checked the same way everywhere in the platform.

- 公民身份号码 (citizen ID number), GB 11643-1999: 6-digit area code, 8-digit birth date, 3-digit sequence (odd
  for men, even for women), ISO 7064 MOD 11-2 check character; the 15-digit 1989 form is upgraded to 18.
- 统一社会信用代码 (unified social credit code), GB 32100-2015: registration authority, entity type, 6-digit area
  code, the 9-character organisation code of GB 11714 (with its own check character), and a MOD 31 check.

Written here rather than taken from python-stdnum because stdnum checks neither the inner GB 11714 character
nor codes whose first characters are letters (军队 A, 农村集体 N, 其他 Y), and the synthetic city needs the
check characters computed for a million numbers at a time (see `ID_WEIGHTS`, `USCC_WEIGHTS`).
"""

from __future__ import annotations

from datetime import date

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)  # 2^(18-i) mod 11
ID_CHECK = "10X98765432"  # indexed by the weighted sum mod 11

USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # 3^(i-1) mod 31
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714 organisation code
_USCC_VALUE = {c: i for i, c in enumerate(USCC_CHARSET)}


def id_check_char(body17: str) -> str:
    """The check character of the first 17 digits of a citizen ID number."""
    return ID_CHECK[sum(int(d) * w for d, w in zip(body17, ID_WEIGHTS, strict=True)) % 11]


def id_birth_date(number: str) -> date | None:
    """The birth date inside an 18-digit ID number, or None when it is not a real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_valid_id_number(number: str) -> bool:
    """Whether `number` is a well-formed 18-character ID number with a real birth date and the right check."""
    if len(number) != 18 or not number[:17].isdigit() or not number[:17].isascii():
        return False
    return id_birth_date(number) is not None and number[17] == id_check_char(number[:17])


def id_sex(number: str) -> str:
    """'男' or '女', from the parity of the sequence code (the 17th digit)."""
    return "男" if int(number[16]) % 2 else "女"


def upgrade_id_number(number15: str) -> str:
    """A 15-digit (GB 11643-1989) number as 18 digits: the century 19 inserted, the check character added."""
    body = number15[:6] + "19" + number15[6:15]
    return body + id_check_char(body)


def org_code_check_char(body8: str) -> str:
    """The GB 11714 check character of an organisation code's first 8 characters (digits and capitals)."""
    total = sum(_alnum_value(c) * w for c, w in zip(body8, ORG_WEIGHTS, strict=True))
    remainder = 11 - total % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def uscc_check_char(body17: str) -> str:
    """The GB 32100 check character of a credit code's first 17 characters."""
    total = sum(_USCC_VALUE[c] * w for c, w in zip(body17, USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def is_valid_credit_code(code: str) -> bool:
    """Whether `code` is a valid 统一社会信用代码, its inner organisation code's check character included."""
    if len(code) != 18 or any(c not in _USCC_VALUE for c in code):
        return False
    if not code[2:8].isdigit():
        return False
    org = code[8:17]
    if org_code_check_char(org[:8]) != org[8]:
        return False
    return code[17] == uscc_check_char(code[:17])


def _alnum_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10
