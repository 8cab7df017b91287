"""Check characters of national identifiers as Polars expressions, for whole columns at once.

The algorithms and their weights are the kernel's (`kernel.identifiers`: GB 11643 MOD 11-2, GB 32100 MOD 31 with
the inner GB 11714 character); the kernel checks one value at a time in Python, which costs seconds on a
million-row load, so the same arithmetic is written here over whole columns, and the tests hold it equal to the
kernel's functions on generated numbers.

The weighted sums are not taken character by character. Each scheme's weights are the powers of a number modulo
the scheme's modulus (GB 11643: 2^(17-i) mod 11; GB 11714: 2^(8-i) mod 11; GB 32100: 3^i mod 31), so reading
the characters as one integer in a base congruent to that number gives the same sum modulo the modulus:

- GB 11643: Σ d_i·2^(17-i) ≡ 2·Σ d_i·13^(16-i) (mod 11), and the 17 digits read in base 13 fit in an Int64;
- GB 11714: the 8 characters (values 0–34 in a credit code: no Z) read in base 35 ≡ 2 (mod 11), times 2;
- GB 32100: Σ v_i·3^i ≡ Σ v_i·34^i (mod 31): the 17 characters, translated to their value as a base-34 digit
  and reversed, read in base 34 in two parts (34^17 would overflow).

One `str.to_integer` per scheme instead of 17 slices; `id_facts` gives a column's derived values (valid,
birth date, sex) once, for every rule that needs them.
"""

from __future__ import annotations

import polars as pl

from zhengshu.kernel.identifiers import ID_CHECK, USCC_CHARSET

ID_SHAPE = r"^\d{17}[\dX]$"
USCC_SHAPE = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"
# A credit-code character → the base-34 digit whose value is its GB 32100 value (J = 18 → "I", …, Y = 30 → "U").
_USCC_AS_DIGIT = {c: "0123456789ABCDEFGHIJKLMNOPQRSTU"[i] for i, c in enumerate(USCC_CHARSET) if i >= 18}
_B34_POW9_MOD31 = pow(34, 9, 31)


def id_check_char(body17: pl.Expr) -> pl.Expr:
    """The GB 11643 check character of 17 digits (null when they are not 17 digits)."""
    value = pl.when(body17.str.contains(r"^\d{17}$")).then(body17.str.to_integer(base=13, strict=False))
    return _id_check_of(value)


def _id_check_of(base13: pl.Expr) -> pl.Expr:
    return (base13 % 11 * 2 % 11).replace_strict(dict(enumerate(ID_CHECK)), return_dtype=pl.String, default=None)


def id_birth(number: pl.Expr) -> pl.Expr:
    """The birth date inside an 18-digit number (null when it is not a real date)."""
    return number.str.slice(6, 8).str.to_date("%Y%m%d", strict=False)


def id_number_valid(number: pl.Expr) -> pl.Expr:
    """18 characters, a real birth date and the right check character (null in, null out)."""
    check = _id_check_of(number.str.slice(0, 17).str.to_integer(base=13, strict=False))
    return (number.str.contains(ID_SHAPE) & id_birth(number).is_not_null()
            & (number.str.slice(17, 1) == check).fill_null(False))


def id_sex_code(number: pl.Expr) -> pl.Expr:
    """'1' (男) or '2' (女) from the parity of the 17th digit."""
    return pl.when(number.str.slice(16, 1).cast(pl.Int32, strict=False) % 2 == 1).then(pl.lit("1")).otherwise(
        pl.lit("2"))


def id_facts(column: str, prefix: str) -> dict[str, pl.Expr]:
    """A column's ID-number facts as named expressions, to compute once and share between rules:
    `{prefix}valid` (GB 11643), `{prefix}birth` (date), `{prefix}sex` ('1'/'2')."""
    number = pl.col(column)
    return {f"{prefix}valid": id_number_valid(number), f"{prefix}birth": id_birth(number),
            f"{prefix}sex": id_sex_code(number)}


def upgrade_15(number: pl.Expr) -> pl.Expr:
    """A 15-digit (GB 11643-1989) number as 18: the century 19 inserted, the check character appended."""
    body = pl.concat_str([number.str.slice(0, 6), pl.lit("19"), number.str.slice(6, 9)])
    return pl.concat_str([body, id_check_char(body)])


def credit_code_valid(code: pl.Expr) -> pl.Expr:
    """A valid 统一社会信用代码: its shape, the inner GB 11714 character and the GB 32100 check character."""
    org_remainder = 11 - code.str.slice(8, 8).str.to_integer(base=35, strict=False) % 11 * 2 % 11
    org_check = org_remainder.replace_strict({10: "X", 11: "0"}, default=org_remainder.cast(pl.String),
                                             return_dtype=pl.String)
    reversed_body = code.str.slice(0, 17).str.replace_many(_USCC_AS_DIGIT).str.reverse()
    high = reversed_body.str.slice(0, 8).str.to_integer(base=34, strict=False)  # characters 17…10
    low = reversed_body.str.slice(8, 9).str.to_integer(base=34, strict=False)  # characters 9…1
    total = (low % 31 + _B34_POW9_MOD31 * (high % 31)) % 31
    check = ((31 - total) % 31).replace_strict(dict(enumerate(USCC_CHARSET)), return_dtype=pl.String, default=None)
    return (code.str.contains(USCC_SHAPE) & (code.str.slice(16, 1) == org_check).fill_null(False)
            & (code.str.slice(17, 1) == check).fill_null(False))
