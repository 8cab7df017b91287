"""The departments' tables about people: rectangular, about real people, in the formats the departments
send, with identifiers and names equal to the truth wherever links record no error, and identical for the
same seed."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest

from zhengshu.kernel.identifiers import id_sex
from zhengshu.synth.config import AS_OF, DirtRates
from zhengshu.synth.dirt import SourceTable
from zhengshu.synth.entities import assign_employers, generate_entities
from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.people import generate_people
from zhengshu.synth.sources import TrueCity
from zhengshu.synth.sources.people_sources import PEOPLE_SOURCES
from zhengshu.synth.streams import Streams
from zhengshu.synth.writers import FileFormat, write

PERSONS = 3000
# dirtier than the default, so that every kind of error shows up in a small city
RATES = DirtRates(typo=0.2, traditional=0.1, full_width=0.1, stray_space=0.1, legacy_id=0.1, wrong_check=0.1,
                  missing=0.1, duplicate=0.05)
FORMATS = {  # (department, table) -> (kind, encoding, title row)
    ("市卫健委", "出生医学证明"): ("xlsx", "utf-8", True),
    ("市人社局", "社保参保"): ("csv", "gb18030", False),
    ("市民政局", "婚姻登记"): ("xlsx", "utf-8", True),
    ("市教育局", "中小学生学籍"): ("json", "utf-8", False),
    ("市住建局", "房产登记"): ("csv", "utf-8-sig", False),
    ("市公积金中心", "个人缴存账户"): ("sqlite", "utf-8", False),
    ("秦皇岛市自来水公司", "用水户"): ("csv", "utf-8", False),
    ("国网秦皇岛供电公司", "用电户"): ("csv", "gb18030", False),
    ("秦皇岛市燃气公司", "用气户"): ("xlsx", "utf-8", True),
    ("秦皇岛市热力公司", "供热户"): ("jsonl", "utf-8", False),
    ("市交通运输局", "公交卡持卡人"): ("csv", "gb18030", False),
    ("市旅游文广局", "酒店客房预订"): ("jsonl", "utf-8", False),
}
SUBJECT_ID = {"社保参保": "身份证号", "婚姻登记": "男方身份证号", "中小学生学籍": "身份证号", "房产登记": "证件号码",
              "个人缴存账户": "证件号码", "酒店客房预订": "证件号码"}
SUBJECT_NAME = {"出生医学证明": "新生儿姓名", "社保参保": "姓名", "婚姻登记": "男方姓名", "中小学生学籍": "姓名",
                "房产登记": "权利人", "个人缴存账户": "姓名", "用水户": "户名", "用电户": "户名", "用气户": "户名",
                "供热户": "户名", "公交卡持卡人": "持卡人姓名", "酒店客房预订": "入住人姓名"}
KEYS = {"出生医学证明": "出生医学证明编号", "婚姻登记": "证字号", "中小学生学籍": "学籍号", "房产登记": "不动产权证号",
        "个人缴存账户": "个人账号", "用水户": "户号", "用电户": "户号", "用气户": "户号", "供热户": "户号",
        "公交卡持卡人": "卡号", "酒店客房预订": "订单号"}


def _city(seed: int) -> TrueCity:
    streams = Streams(seed)
    people, households = generate_people(streams, PERSONS)
    entities = generate_entities(streams, people)
    people = assign_employers(streams, people, entities)
    return TrueCity(streams, RATES, people, households, entities)


def _build(city: TrueCity) -> list[tuple[SourceTable, FileFormat]]:
    return [output for source in PEOPLE_SOURCES for output in source(city)]


@pytest.fixture(scope="module")
def city() -> TrueCity:
    return _city(5)


@pytest.fixture(scope="module")
def tables(city: TrueCity) -> list[tuple[SourceTable, FileFormat]]:
    return _build(city)


def _errors(table: SourceTable, row: int, column: str) -> bool:
    return any(e.startswith(f"{column}:") for e in table.errors[row])


def test_every_table_is_rectangular_about_real_people_and_sent_as_the_department_sends_it(
        city: TrueCity, tables: list[tuple[SourceTable, FileFormat]]) -> None:
    ids = set(city.people["person_id"])
    assert {(t.department, t.name) for t, _ in tables} == set(FORMATS)
    for table, fmt in tables:
        assert table.rows > 0 and table.subject_kind == "person", table.name
        assert len(table.errors) == table.rows
        assert all(len(values) == table.rows for values in table.columns.values()), table.name
        assert set(table.subjects) <= ids, table.name
        kind, encoding, titled = FORMATS[(table.department, table.name)]
        assert (fmt.kind, fmt.encoding, fmt.title is not None) == (kind, encoding, titled), table.name


def test_identifiers_and_names_equal_the_truth_unless_links_record_an_error(
        city: TrueCity, tables: list[tuple[SourceTable, FileFormat]]) -> None:
    truth = dict(zip(city.people["person_id"], city.people.select("id_number", "name").iter_rows(), strict=True))
    for table, _ in tables:
        for column, field in ((SUBJECT_ID.get(table.name), 0), (SUBJECT_NAME[table.name], 1)):
            if column is None:
                continue
            for row, (value, subject) in enumerate(zip(table.columns[column], table.subjects, strict=True)):
                assert (value == truth[subject][field]) != _errors(table, row, column), (table.name, column, row)
    pupils = next(t for t, _ in tables if t.name == "中小学生学籍")
    assert all(key == "G" + truth[s][0] for key, s in zip(pupils.columns["学籍号"], pupils.subjects, strict=True))


def test_the_other_people_in_a_row_are_real_and_of_the_right_sex(
        city: TrueCity, tables: list[tuple[SourceTable, FileFormat]]) -> None:
    people = {n: (h, s) for n, h, s in city.people.select("id_number", "household_id", "sex").iter_rows()}
    household = dict(zip(city.people["person_id"], city.people["household_id"], strict=True))
    by_name = {t.name: t for t, _ in tables}
    births = by_name["出生医学证明"]
    for column, sex in (("母亲身份证号", "女"), ("父亲身份证号", "男")):
        for row, value in enumerate(births.columns[column]):
            if value is not None and not _errors(births, row, column):
                assert people[value] == (household[births.subjects[row]], sex)
    marriages = by_name["婚姻登记"]
    for row, value in enumerate(marriages.columns["女方身份证号"]):
        if value is not None and not _errors(marriages, row, "女方身份证号"):
            assert people[value][1] == "女" and id_sex(value) == "女"


def test_the_dead_and_the_departed_are_marked_and_keys_are_unique(
        city: TrueCity, tables: list[tuple[SourceTable, FileFormat]]) -> None:
    status = dict(zip(city.people["person_id"], city.people["status"], strict=True))
    for table, _ in tables:
        for subject, errors in zip(table.subjects, table.errors, strict=True):
            assert (status[subject] == "死亡") == ("subject:deceased" in errors), table.name
            assert (status[subject] == "迁出") == ("subject:left" in errors), table.name
        if table.name in KEYS:
            originals = [v for v, e in zip(table.columns[KEYS[table.name]], table.errors, strict=True)
                         if "row:duplicate" not in e]
            assert None not in originals and len(set(originals)) == len(originals), table.name


def test_each_table_draws_the_right_people(city: TrueCity, tables: list[tuple[SourceTable, FileFormat]]) -> None:
    p = city.people
    age = dict(zip(p["person_id"], (np.datetime64(AS_OF, "D") - p["birth_date"].to_numpy()).astype(int) / 365.25,
                   strict=True))
    by_name = {t.name: t for t, _ in tables}
    assert max(age[s] for s in by_name["出生医学证明"].subjects) < 10.01
    assert all(6 <= age[s] < 19 for s in by_name["中小学生学籍"].subjects)
    assert all(age[s] >= 7 for s in by_name["公交卡持卡人"].subjects)
    cards = by_name["公交卡持卡人"]
    for subject, kind in zip(cards.subjects, cards.columns["卡类型"], strict=True):
        assert (kind == "学生卡") == (age[subject] < 19) and (kind != "老年卡" or age[subject] >= 60)
    married = set(p.filter(pl.col("sex") == "男")["person_id"])
    assert set(by_name["婚姻登记"].subjects) <= married
    born = dict(zip(p["person_id"], p["birth_date"], strict=True))
    born_by_id = dict(zip(p["id_number"], p["birth_date"], strict=True))
    marriages = by_name["婚姻登记"]
    for row, (husband, day, wife) in enumerate(zip(marriages.subjects, marriages.columns["登记日期"],
                                                   marriages.columns["女方身份证号"], strict=True)):
        if not _errors(marriages, row, "登记日期"):  # the office writes 2019/5/20
            registered = date(*map(int, day.split("/")))
            assert (registered - born[husband]).days >= 22 * 365
            if wife is not None and not _errors(marriages, row, "女方身份证号"):
                assert (registered - born_by_id[wife]).days >= 20 * 365
    insured = by_name["社保参保"]
    pension = {s for s, k in zip(insured.subjects, insured.columns["险种"], strict=True) if k == "企业职工基本养老保险"}
    assert pension == set(insured.subjects)
    urban = set(p.filter(pl.col("district_code").is_in([d.code for d in DISTRICTS if d.urban]))["person_id"])
    assert set(by_name["供热户"].subjects) <= urban
    heads = dict(zip(p["person_id"], p["household_id"], strict=True))
    for company in ("用水户", "用电户", "用气户", "供热户"):
        accounts = by_name[company]
        households = [heads[s] for s, e in zip(accounts.subjects, accounts.errors, strict=True)
                      if "row:duplicate" not in e]
        assert len(households) == len(set(households)), company


def test_the_same_seed_gives_the_same_tables(tables: list[tuple[SourceTable, FileFormat]]) -> None:
    again = _build(_city(5))
    for (a, fa), (b, fb) in zip(tables, again, strict=True):
        assert (a.department, a.name, fa) == (b.department, b.name, fb)
        assert list(a.subjects) == list(b.subjects) and a.errors == b.errors
        assert {h: list(v) for h, v in a.columns.items()} == {h: list(v) for h, v in b.columns.items()}
    other = _build(_city(6))
    assert list(other[0][0].subjects) != list(tables[0][0].subjects)


def test_every_table_can_be_written_and_read_back(tables: list[tuple[SourceTable, FileFormat]],
                                                  tmp_path: Path) -> None:
    for table, fmt in tables:
        path = write(table, fmt, tmp_path / table.department)
        if fmt.kind == "csv":
            rows = list(csv.reader(io.StringIO(path.read_bytes().decode(fmt.encoding))))
            assert rows[0] == list(table.columns) and len(rows) - 1 == table.rows
        elif fmt.kind == "xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            sheet = book.active
            assert sheet.cell(1, 1).value == fmt.title and sheet.cell(3, 1).value == next(iter(table.columns))
            assert sum(1 for _ in sheet.iter_rows(min_row=4)) == table.rows
            book.close()
        elif fmt.kind == "json":
            assert len(json.loads(path.read_text("utf-8"))["data"]) == table.rows
        elif fmt.kind == "jsonl":
            assert len(path.read_text("utf-8").splitlines()) == table.rows
        else:
            with sqlite3.connect(path) as connection:
                assert connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0] == table.rows
