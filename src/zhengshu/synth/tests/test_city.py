"""A whole city: identical for the same seed, valid identifiers, every source row accounted for in links,
and nothing partial left behind by a failure."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import sqlite3
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest

from zhengshu.kernel.errors import InvalidInput
from zhengshu.kernel.identifiers import id_birth_date, id_sex, is_valid_credit_code, is_valid_id_number
from zhengshu.synth import city as city_module
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig
from zhengshu.synth.geography import DISTRICTS

PERSONS = 3000


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("city") / "a"
    generate_city(CityConfig(persons=PERSONS, seed=11), out)
    return out


def _digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_seed_gives_byte_identical_output(made: Path, tmp_path: Path) -> None:
    generate_city(CityConfig(persons=PERSONS, seed=11), tmp_path / "b")
    assert _digests(made) == _digests(tmp_path / "b")
    generate_city(CityConfig(persons=PERSONS, seed=12), tmp_path / "c")
    assert _digests(made)["truth/people.parquet"] != _digests(tmp_path / "c")["truth/people.parquet"]


def test_every_id_number_in_the_truth_is_valid_and_agrees_with_sex_and_birth(made: Path) -> None:
    people = pl.read_parquet(made / "truth" / "people.parquet")
    assert len(people) == PERSONS and people["person_id"].n_unique() == PERSONS
    assert people["id_number"].n_unique() == PERSONS
    for number, sex, born in people.select("id_number", "sex", "birth_date").iter_rows():
        assert is_valid_id_number(number), number
        assert id_sex(number) == sex and id_birth_date(number) == born


def test_every_credit_code_is_valid_and_every_representative_lives_in_the_city(made: Path) -> None:
    entities = pl.read_parquet(made / "truth" / "entities.parquet")
    people = pl.read_parquet(made / "truth" / "people.parquet")
    assert entities["credit_code"].n_unique() == len(entities)
    assert all(is_valid_credit_code(c) for c in entities["credit_code"])
    assert set(entities["legal_representative_id"]) <= set(people["person_id"])
    assert set(people["employer_credit_code"].drop_nulls()) <= set(entities["credit_code"])


def test_the_population_looks_like_the_city(made: Path) -> None:
    people = pl.read_parquet(made / "truth" / "people.parquet")
    shares = people["district_code"].value_counts(normalize=True)
    observed = dict(zip(shares["district_code"], shares["proportion"], strict=True))
    for district in DISTRICTS:
        assert abs(observed[district.code] - district.share) < 0.05, district.name
    top = people["name"].str.slice(0, 1).value_counts(sort=True)["name"].head(5).to_list()
    assert {"王", "李", "张"} <= set(top)
    ages = 2026 - people["birth_date"].dt.year()
    assert 30 <= ages.median() <= 55 and ages.min() >= 0 and ages.max() <= 101


def _data_rows(path: Path, entry: dict) -> int:
    if entry["format"] == "csv":
        text = path.read_bytes().decode(entry["encoding"])
        return len(list(csv.reader(io.StringIO(text)))) - 1
    if entry["format"] == "xlsx":
        workbook = openpyxl.load_workbook(path, read_only=True)
        try:
            sheet = workbook.active
            assert sheet.cell(3, 1).value == entry["columns"][0]  # a title row, a blank row, then the header
            return sum(1 for _ in sheet.iter_rows(min_row=4))
        finally:
            workbook.close()
    if entry["format"] == "json":
        return len(json.loads(path.read_text("utf-8"))["data"])
    if entry["format"] == "jsonl":
        return len(path.read_text("utf-8").splitlines())
    with sqlite3.connect(path) as connection:
        return connection.execute(f'SELECT count(*) FROM "{entry["table"]}"').fetchone()[0]


def test_links_account_for_every_source_row(made: Path) -> None:
    manifest = json.loads((made / "manifest.json").read_text("utf-8"))
    links = pl.read_parquet(made / "links" / "links.parquet")
    people = set(pl.read_parquet(made / "truth" / "people.parquet")["person_id"])
    entities = set(pl.read_parquet(made / "truth" / "entities.parquet")["entity_id"])
    districts = {d.code for d in DISTRICTS} | {"130300"}
    assert {f["path"] for f in manifest["files"]} == set(links["source"])
    for entry in manifest["files"]:
        path = made / entry["path"]
        rows = links.filter(pl.col("source") == entry["path"])
        assert _data_rows(path, entry) == entry["rows"] == len(rows), entry["path"]
        assert rows["row"].to_list() == list(range(1, len(rows) + 1))
        known = {"person": people, "entity": entities, "district": districts}[entry["subject"]]
        assert set(rows["subject_id"]) <= known, entry["path"]


def test_recorded_errors_are_real_and_unrecorded_rows_are_clean(made: Path) -> None:
    people = pl.read_parquet(made / "truth" / "people.parquet")
    source = "sources/市公安局/户籍人口.csv"
    register = pl.read_csv(made / source, infer_schema=False)
    links = pl.read_parquet(made / "links" / "links.parquet").filter(pl.col("source") == source)
    truth = dict(zip(people["person_id"], people.select("name", "id_number").iter_rows(), strict=True))
    for (name, number), subject, errors in zip(register.select("姓名", "公民身份号码").iter_rows(),
                                               links["subject_id"], links["errors"], strict=True):
        true_name, true_number = truth[subject]
        assert (name == true_name) != any(e.startswith("姓名:") for e in errors.split(";") if e)
        assert (number == true_number) != any(e.startswith("公民身份号码:") for e in errors.split(";") if e)


def test_an_existing_folder_is_not_overwritten_unless_asked(made: Path) -> None:
    before = _digests(made)
    with pytest.raises(InvalidInput) as caught:
        generate_city(CityConfig(persons=100, seed=1), made)
    assert caught.value.field == "out"
    assert _digests(made) == before


def test_a_failure_half_way_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(city):
        raise OSError("disk full")

    monkeypatch.setattr(city_module, "SOURCES", (*city_module.SOURCES, broken))
    with pytest.raises(OSError):
        generate_city(CityConfig(persons=200, seed=1), tmp_path / "city")
    assert list(tmp_path.iterdir()) == []


def test_impossible_parameters_are_refused() -> None:
    from zhengshu.synth.cli import parse_rates
    from zhengshu.web.forms import parse_form

    for values in ({"persons": -5}, {"persons": 10**9}, {"persons": 1000, "seed": -1}):
        with pytest.raises(InvalidInput):
            parse_form(CityConfig, **values)
    with pytest.raises(InvalidInput) as caught:
        parse_rates(["typo=1.5"])
    assert caught.value.field == "typo"
    with pytest.raises(InvalidInput):
        parse_rates(["nonsense=0.1"])
    assert parse_rates(["typo=0.2"]).typo == 0.2
    assert np.isclose(parse_rates([]).missing, 0.02)


def test_the_configured_rates_show_in_a_whole_city(tmp_path: Path) -> None:
    rates = {"date_format": 0.5, "duplicate": 0.05, "missing": 0.1}
    generate_city(CityConfig(persons=4000, seed=3, rates=rates), tmp_path / "city")
    links = pl.read_parquet(tmp_path / "city" / "links" / "links.parquet")
    register = links.filter(pl.col("source") == "sources/市公安局/户籍人口.csv")
    originals = register.filter(~pl.col("errors").str.contains("row:duplicate"))

    def share(frame: pl.DataFrame, label: str) -> float:
        return frame["errors"].str.split(";").list.contains(label).mean()

    def near(observed: float, rate: float, rows: int) -> bool:
        return abs(observed - rate) <= 4 * (rate * (1 - rate) / rows) ** 0.5

    assert near(share(originals, "出生日期:date_format"), 0.5, len(originals))
    people = pl.read_parquet(tmp_path / "city" / "truth" / "people.parquet")
    educated = originals.join(people.filter(pl.col("education").is_not_null()).select("person_id"),
                              left_on="subject_id", right_on="person_id")  # only a value can go missing
    assert near(share(educated, "文化程度:missing"), 0.1, len(educated))
    assert near(1 - len(originals) / len(register), 0.05 / 1.05, len(register))
