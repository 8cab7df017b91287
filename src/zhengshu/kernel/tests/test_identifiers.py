"""ID numbers and credit codes against the examples printed in the standards and independent checkers."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric, uscc

from zhengshu.kernel.identifiers import (
    USCC_CHARSET,
    id_check_char,
    id_sex,
    is_valid_credit_code,
    is_valid_id_number,
    org_code_check_char,
    upgrade_id_number,
    uscc_check_char,
)


@pytest.mark.parametrize("number", ["11010519491231002X", "440524188001010014", "360426199101010071",
                                    "44011320141005001X", "130302199003071234", "13030420010101002X"])
def test_valid_id_numbers(number: str) -> None:
    assert is_valid_id_number(number)


@pytest.mark.parametrize("number", ["36042619910102009X", "360426199113010079", "13030219900307123",
                                    "130302199003071235", "13030219900307123x", "１30302199003071234"])
def test_invalid_id_numbers(number: str) -> None:
    assert not is_valid_id_number(number)


def test_sex_and_the_15_digit_upgrade() -> None:
    assert upgrade_id_number("130302900307123") == "130302199003071234"
    assert id_sex("130302199003071234") == "男" and id_sex("13030420010101002X") == "女"


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_id_check_agrees_with_python_stdnum(body: str) -> None:
    assert id_check_char(body) == ric.calc_check_digit(body + "0")  # stdnum wants the 18 characters


@pytest.mark.parametrize("code", ["91110000600037341L", "121200004013590816", "91620105L015101280",
                                  "91310115MA1K3BTP2B", "9144030071526726XG", "92340602MA2PBMEM24",
                                  "91130300MA0CXXX16J", "12130300401359081R"])
def test_valid_credit_codes(code: str) -> None:
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", ["91110000600037341N", "9111000060003IOZSV", "91110000600037351L",
                                  "9111000060003734L"])
def test_invalid_credit_codes(code: str) -> None:
    # the third has a wrong inner organisation-code character, made consistent with its outer check
    if code == "91110000600037351L":
        code = code[:17] + uscc_check_char(code[:17])
    assert not is_valid_credit_code(code)


@given(st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17))
def test_credit_check_agrees_with_python_stdnum(body: str) -> None:
    assert uscc_check_char(body) == uscc.calc_check_digit(body)


def test_org_code_check() -> None:
    assert org_code_check_char("60003734") == "1"  # 91110000600037341L: 600037341
    assert org_code_check_char("MA0CXXX1") == "6"
