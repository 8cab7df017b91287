"""The tables about legal entities and the statistics by district: well formed, about subjects that exist,
sent in their offices' formats, true to the truth except where links say otherwise, with their planted
anomalies, outbreaks and overdue inspections marked, seasonal, and the same for the same seed."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from zhengshu.synth.config import AS_OF, DirtRates
from zhengshu.synth.dirt import SourceTable
from zhengshu.synth.entities import assign_employers, generate_entities
from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.people import generate_people
from zhengshu.synth.sources import TrueCity
from zhengshu.synth.sources.entity_sources import ENTITY_SOURCES
from zhengshu.synth.streams import Streams
from zhengshu.synth.writers import FileFormat, write

PERSONS = 3000
FORMATS = {  # table: (kind, encoding, title)
    "企业登记": ("xlsx", "utf-8", "秦皇岛市市场主体登记信息"), "行政许可": ("csv", "utf-8", None),
    "行政处罚": ("json", "utf-8", None), "特种设备": ("xlsx", "utf-8", "秦皇岛市在用特种设备登记台账"),
    "纳税信息": ("csv", "gb18030", None), "法定传染病日报": ("csv", "utf-8", None),
    "主要经济指标": ("xlsx", "utf-8", "秦皇岛市分县区主要经济指标（2019年1月—2026年5月）"),
}
CREDIT_COLUMNS = {"企业登记": "统一社会信用代码", "行政许可": "统一社会信用代码", "行政处罚": "统一社会信用代码",
                  "特种设备": "使用单位信用代码", "纳税信息": "纳税人识别号"}
NAME_COLUMNS = {"企业登记": "企业名称", "行政许可": "行政相对人名称", "行政处罚": "当事人名称", "特种设备": "使用单位",
                "纳税信息": "纳税人名称"}


def _city(seed: int) -> TrueCity:
    streams = Streams(seed)
    people, households = generate_people(streams, PERSONS)
    entities = generate_entities(streams, people)
    people = assign_employers(streams, people, entities)
    return TrueCity(streams, DirtRates(), people, households, entities)


@pytest.fixture(scope="module")
def city() -> TrueCity:
    return _city(5)


@pytest.fixture(scope="module")
def tables(city: TrueCity) -> dict[str, tuple[SourceTable, FileFormat]]:
    return {table.name: (table, fmt) for source in ENTITY_SOURCES for table, fmt in source(city)}


def _frame(table: SourceTable) -> pl.DataFrame:
    """The table's columns, its subjects and each row's errors (";"-joined), and whether a row is a copy."""
    return pl.DataFrame({**{h: pl.Series(h, list(v), dtype=pl.String) for h, v in table.columns.items()},
                         "_subject": list(table.subjects), "_errors": [";".join(e) for e in table.errors],
                         "_copy": ["row:duplicate" in e for e in table.errors]})


def _day(value: str | None) -> date | None:
    """A date in any of the forms the offices write (ISO, 2025年1月5日, 2025/1/5, 20250105, Excel, dotted)."""
    if value is None:
        return None
    text = unicodedata.normalize("NFKC", value).strip()
    if re.fullmatch(r"\d{5}", text):
        return date(1899, 12, 30) + timedelta(days=int(text))
    if re.fullmatch(r"\d{8}", text):
        return date(int(text[:4]), int(text[4:6]), int(text[6:]))
    y, m, d = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", text).groups()
    return date(int(y), int(m), int(d))


def test_every_table_is_well_formed_about_subjects_that_exist_and_in_its_format(
        city: TrueCity, tables: dict, tmp_path: Path) -> None:
    assert set(tables) == set(FORMATS)
    entities = set(city.entities["entity_id"])
    districts = {d.code for d in DISTRICTS}
    for name, (table, fmt) in tables.items():
        assert table.rows > 0, name
        assert all(len(values) == table.rows for values in table.columns.values()), name
        assert len(table.errors) == table.rows
        assert set(table.subjects) <= (districts if table.subject_kind == "district" else entities), name
        assert table.subject_kind == ("district" if name in ("主要经济指标", "法定传染病日报") else "entity")
        kind, encoding, title = FORMATS[name]
        assert (fmt.kind, fmt.title) == (kind, title) and (kind != "csv" or fmt.encoding == encoding), name
        assert write(table, fmt, tmp_path / table.department).stat().st_size > 0  # GB18030 takes every value


def test_credit_codes_and_names_are_the_truths_except_where_links_record_an_error(
        city: TrueCity, tables: dict) -> None:
    truth = dict(zip(city.entities["entity_id"], city.entities.select("credit_code", "name").iter_rows(),
                     strict=True))
    spoiled = 0
    for name, column in CREDIT_COLUMNS.items():
        frame = _frame(tables[name][0])
        for code, title, subject, errors in frame.select(column, NAME_COLUMNS[name], "_subject", "_errors").iter_rows():
            labels = errors.split(";")
            code_error = any(e.startswith(f"{column}:") for e in labels)
            assert (code == truth[subject][0]) != code_error, (name, code, errors)
            assert (title == truth[subject][1]) != any(e.startswith(f"{NAME_COLUMNS[name]}:") for e in labels)
            spoiled += code_error
    assert spoiled > 0


def test_the_register_holds_every_market_entity_with_its_representative(city: TrueCity, tables: dict) -> None:
    frame = _frame(tables["企业登记"][0]).filter(~pl.col("_copy"))
    market = city.entities.filter(pl.col("kind_code").is_in(["91", "92", "93"]))
    assert frame["_subject"].to_list() == market["entity_id"].to_list()
    people = dict(zip(city.people["person_id"], city.people["id_number"], strict=True))
    for number, person, errors in zip(frame["法定代表人证件号码"], market["legal_representative_id"], frame["_errors"],
                                      strict=True):
        assert (number == people[person]) != ("法定代表人证件号码:" in errors)


def test_licences_run_forward_and_penalties_are_numbered(tables: dict) -> None:
    licences = _frame(tables["行政许可"][0])
    for start, end, decided in licences.select("有效期自", "有效期至", "许可决定日期").iter_rows():
        assert _day(decided) == _day(start) < _day(end) and _day(start) <= AS_OF
    penalties = _frame(tables["行政处罚"][0]).filter(~pl.col("_copy"))
    assert penalties["处罚决定书文号"].n_unique() == len(penalties)
    assert penalties["处罚决定书文号"].str.contains(r"^秦\S*市监罚〔20(23|24|25|26)〕\d+号$").all()


def test_overdue_special_equipment_is_exactly_what_is_marked(tables: dict) -> None:
    frame = _frame(tables["特种设备"][0])
    codes = frame.filter(~pl.col("_copy"))["设备注册代码"]
    assert codes.str.contains(r"^\d{20}$").all() and codes.n_unique() == len(codes)
    marked = frame["_errors"].str.contains("下次检验日期:overdue").to_list()
    overdue = [_day(v) < AS_OF for v in frame["下次检验日期"]]
    assert any(marked) and marked == overdue
    assert all(_day(last) < _day(after) for last, after in frame.select("上次检验日期", "下次检验日期").iter_rows())


def test_taxes_are_paid_at_most_in_full_for_2023_to_2025(tables: dict) -> None:
    frame = _frame(tables["纳税信息"][0])
    assert frame["所属期"].str.contains(r"^(2023|2024|2025)-\d\d-\d\d至\d{4}-12-31$").all()
    due, paid = frame["应纳税额（元）"].cast(pl.Float64), frame["实缴税额（元）"].cast(pl.Float64)
    assert (paid <= due).all() and (paid < due).any()
    assert set(frame["纳税信用等级"].drop_nulls()) <= {"A", "B", "M", "C", "D"}


def _statistics(tables: dict) -> pl.DataFrame:
    return _frame(tables["主要经济指标"][0]).filter(~pl.col("_copy")).with_columns(
        year=pl.col("期别").str.slice(0, 4).cast(pl.Int32), value=pl.col("本期值").cast(pl.Float64),
        month=pl.col("期别").str.extract(r"年(\d+)月", 1).cast(pl.Int32), anomaly=pl.col("_errors").str.contains(
            "本期值:anomaly"))


def test_planted_anomalies_stand_out_from_the_same_month_of_other_years(tables: dict) -> None:
    frame = _statistics(tables).filter(pl.col("month").is_not_null())
    assert 4 <= frame["anomaly"].sum() <= 6
    keys = ["_subject", "指标", "month"]
    other_years = frame.join(frame.select(*keys, other_year="year", other="value", other_anomaly="anomaly"), on=keys)
    other_years = other_years.filter((pl.col("other_year") - pl.col("year")).abs() == 1, ~pl.col("other_anomaly"))
    ratio = other_years.group_by(*keys, "year", "anomaly").agg((pl.col("value") / pl.col("other").mean()).first())
    planted = ratio.filter(pl.col("anomaly"))["value"]
    assert ((planted < 0.6) | (planted > 1.8)).all(), planted
    usual = ratio.filter(~pl.col("anomaly"), pl.col("指标") != "固定资产投资", pl.col("value").is_not_nan())["value"]
    assert ((usual > 0.6) & (usual < 1.8)).mean() > 0.97


def test_statistics_cover_2019_to_may_2026_with_their_seasons(tables: dict) -> None:
    frame = _statistics(tables)
    gdp = frame.filter(pl.col("指标") == "地区生产总值")
    assert gdp["期别"].str.contains(r"^\d{4}年第[1-4]季度$").all() and gdp["month"].is_null().all()
    periods = set(frame.filter(pl.col("_subject") == "130302", pl.col("指标") == "进出口总额")["期别"])
    assert len(periods) == 89 and {"2019年1月", "2026年5月"} <= periods
    normal = frame.filter(~pl.col("anomaly"))
    for year in range(2019, 2026):
        retail = normal.filter(pl.col("_subject") == "130304", pl.col("指标") == "社会消费品零售总额",
                               pl.col("year") == year)
        by_month = dict(zip(retail["month"], retail["value"], strict=True))
        assert by_month.get(7, np.inf) > 1.5 * by_month.get(3, 0), year  # the beach season in 北戴河
        investment = normal.filter(pl.col("_subject") == "130302", pl.col("指标") == "固定资产投资",
                                   pl.col("year") == year)
        by_month = dict(zip(investment["month"], investment["value"], strict=True))
        assert by_month.get(12, np.inf) > by_month.get(1, 0), year


def _cases(tables: dict) -> pl.DataFrame:
    frame = _frame(tables["法定传染病日报"][0]).filter(~pl.col("_copy"))
    return frame.with_columns(day=pl.Series([_day(v) for v in frame["日期"]]), cases=pl.col("新增病例数").cast(
        pl.Int64), outbreak=pl.col("_errors").str.contains("新增病例数:outbreak"))


def test_every_day_district_and_disease_has_a_row_and_flu_peaks_in_winter(tables: dict) -> None:
    frame = _cases(tables)
    days = (AS_OF - date(2025, 1, 1)).days + 1
    assert len(frame) == days * len(DISTRICTS) * frame["病种"].n_unique()
    assert frame.select("day", "_subject", "病种").n_unique() == len(frame)
    flu = frame.filter(pl.col("病种") == "流行性感冒", ~pl.col("outbreak"))
    january = flu.filter(pl.col("day").dt.month() == 1)["cases"].sum()
    july = flu.filter(pl.col("day").dt.month() == 7)["cases"].sum()
    assert january > 3 * july


def test_three_to_five_outbreaks_raise_counts_sharply_and_are_marked(tables: dict) -> None:
    frame = _cases(tables)
    outbreaks = frame.filter(pl.col("outbreak")).group_by("_subject", "病种").agg(
        pl.col("day").min().alias("start"), pl.col("day").max().alias("end"), pl.len(), pl.col("cases").mean())
    assert 3 <= len(outbreaks) <= 5
    for subject, disease, start, end, days, mean in outbreaks.iter_rows():
        assert 4 <= days <= 14 and (end - start).days == days - 1  # consecutive days
        around = frame.filter(pl.col("_subject") == subject, pl.col("病种") == disease, ~pl.col("outbreak"),
                              (pl.col("day") - start).dt.total_days().abs() < 45)
        assert mean >= 3 and mean > 3 * around["cases"].mean(), (subject, disease)


def test_the_same_seed_gives_identical_tables(tables: dict) -> None:
    again = {table.name: table for source in ENTITY_SOURCES for table, _ in source(_city(5))}
    for name, (table, _) in tables.items():
        other = again[name]
        assert list(table.columns) == list(other.columns)
        for header, values in table.columns.items():
            assert values.tolist() == other.columns[header].tolist(), (name, header)
        assert table.subjects.tolist() == other.subjects.tolist() and table.errors == other.errors
