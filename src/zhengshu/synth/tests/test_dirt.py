"""Each kind of dirt lands at its configured rate, changes what it says it changed, and is recorded."""

from __future__ import annotations

import numpy as np
import pytest

from zhengshu.kernel.identifiers import is_valid_id_number
from zhengshu.synth.config import DirtRates
from zhengshu.synth.dirt import TableBuilder

ROWS = 20_000


def _builder(rates: DirtRates, column: str, values) -> TableBuilder:
    rng = np.random.Generator(np.random.PCG64(5))
    return TableBuilder("测试局", "测试表", "person", np.arange(ROWS).astype(str), rng, rates).column(column, values)


def _share(table, label: str) -> float:
    return sum(label in errors for errors in table.errors) / len(table.errors)


def _within(observed: float, rate: float, eligible: float = 1.0) -> bool:
    expected = rate * eligible
    sigma = (expected * (1 - expected) / ROWS) ** 0.5
    return abs(observed - expected) <= 4 * sigma + 1e-9


@pytest.mark.parametrize(("method", "rate_name", "values"), [
    ("stray_space", "stray_space", ["张伟"] * ROWS),
    ("full_width", "full_width", ["130302199003071234"] * ROWS),
    ("phone", "phone_format", ["13812345678"] * ROWS),
    ("address", "address_variant", ["河北省秦皇岛市海港区文化路12号"] * ROWS),
    ("typo", "typo", ["王伟"] * ROWS),
    ("traditional", "traditional", ["刘国华"] * ROWS),
])
def test_each_kind_lands_at_its_rate(method: str, rate_name: str, values: list[str]) -> None:
    rates = DirtRates(**{rate_name: 0.1})
    builder = _builder(rates, "值", values)
    getattr(builder, method)("值")
    kind = {"phone": "phone_format", "address": "address_variant"}.get(method, method)
    assert _within(_share(builder, f"值:{kind}"), 0.1)
    changed = sum(v != values[0] for v in builder.columns["值"])
    assert changed == sum(f"值:{kind}" in e for e in builder.errors)


def test_id_number_dirt_and_missing_values() -> None:
    numbers = ["11010519491231002X"] * ROWS  # born in the 1900s: it can have a 15-digit form
    rates = DirtRates(legacy_id=0.05, lowercase_x=0.5, wrong_check=0.05, missing=0.1)
    builder = _builder(rates, "证件号码", numbers).id_number("证件号码").missing("证件号码")
    assert _within(_share(builder, "证件号码:legacy_id"), 0.05)
    assert _within(_share(builder, "证件号码:lowercase_x"), 0.5, eligible=0.95)
    assert _within(_share(builder, "证件号码:missing"), 0.1)
    for value, errors in zip(builder.columns["证件号码"], builder.errors, strict=True):
        if value is None:
            continue
        if any(e.endswith(("legacy_id", "wrong_check")) for e in errors):
            assert not is_valid_id_number(value)
        elif "证件号码:lowercase_x" in errors:
            assert value.endswith("x") and is_valid_id_number(value.upper())
        else:
            assert value == numbers[0]


def test_dates_take_other_forms_at_their_rate() -> None:
    days = np.full(ROWS, np.datetime64("2023-01-05"))
    builder = _builder(DirtRates(date_format=0.3), "日期", ["x"] * ROWS).dates("日期", days, "iso")
    assert _within(_share(builder, "日期:date_format"), 0.3)
    forms = {v for v in builder.columns["日期"]}
    assert forms == {"2023-01-05", "2023年1月5日", "2023/1/5", "20230105", "44931", "2023.01.05"}


def test_duplicates_follow_their_original_and_are_recorded() -> None:
    builder = _builder(DirtRates(duplicate=0.05), "值", [str(i) for i in range(ROWS)])
    table = builder.build()
    copies = [i for i, e in enumerate(table.errors) if "row:duplicate" in e]
    assert _within(len(copies) / ROWS, 0.05)
    for i in copies:
        assert table.subjects[i] == table.subjects[i - 1]
        assert table.columns["值"][i] == table.columns["值"][i - 1]
