"""Every kind of dirt the synthetic city injects into its person sources is undone by a standardiser or flagged
by a rule, row by row against the city's ground truth."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from zhengshu.core.quality.tests.city import recall, recall_by_kind
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "city"
    generate_city(CityConfig(persons=300, seed=5), out)
    return out


def test_every_injected_error_class_is_fixed_or_flagged(city: Path) -> None:
    by_kind = {r["kind"]: r for r in recall_by_kind(recall(city)).iter_rows(named=True)}
    expected = {"date_format", "legacy_id", "lowercase_x", "full_width", "stray_space", "traditional",
                "phone_format", "address_variant", "wrong_check", "missing", "stale", "duplicate", "typo"}
    assert expected <= set(by_kind)
    for kind in expected - {"typo"}:
        assert by_kind[kind]["missed"] == 0, by_kind[kind]
    # a typo is caught only where an ID number (or an address) ties the row to the register
    assert by_kind["typo"]["recall"] >= 60  # transit cards carry a name and a phone only
    assert by_kind["wrong_check"]["flagged"] == by_kind["wrong_check"]["rows"]  # never "fixed" by guessing


def test_standardised_register_values_are_standard(city: Path) -> None:
    from zhengshu.core.quality.tests.city import REGISTER, check_source

    check = check_source(city, REGISTER, "utf-8", None)
    clean = check.clean
    assert clean["出生日期"].drop_nulls().str.contains(r"^\d{4}-\d{2}-\d{2}$").all()
    assert clean["户籍地址"].drop_nulls().str.starts_with("河北省秦皇岛市").all()
    assert not clean["公民身份号码"].drop_nulls().str.contains(r"[ｘx\s]").any()
    assert clean.filter(pl.col("公民身份号码").str.len_chars() != 18).height == 0
