"""Quality benchmark: how fast standardisation and rule evaluation run on a million rows, and what share of each
kind of dirt the synthetic city injects is fixed or flagged (recall per error class, against `links`).

    PYTHONPATH=src .venv/bin/python bench/quality.py [--rows 1000000] [--persons 100000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

from zhengshu.core.quality.domain.evaluation import evaluate
from zhengshu.core.quality.domain.rules import parse_rule_set
from zhengshu.core.quality.domain.standardisers import standardise_frame
from zhengshu.core.quality.tests.city import recall, recall_by_kind
from zhengshu.kernel.identifiers import id_check_char
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig

RULES = {"resource_code": "bench", "rules": [
    {"id": "id-required", "kind": "completeness", "field": "公民身份号码", "severity": "reject", "message": "必填"},
    {"id": "id-valid", "kind": "validity", "field": "公民身份号码", "check": "id_number", "severity": "reject",
     "message": "身份证号无效"},
    {"id": "id-unique", "kind": "uniqueness", "fields": ["公民身份号码"], "message": "重复"},
    {"id": "name-required", "kind": "completeness", "field": "姓名", "message": "必填"},
    {"id": "sex-valid", "kind": "validity", "field": "性别", "check": "code_table", "table": "sex", "message": "性别"},
    {"id": "born-valid", "kind": "validity", "field": "出生日期", "check": "date", "message": "日期"},
    {"id": "id-sex", "kind": "consistency", "check": "id_sex", "id_field": "公民身份号码", "field": "性别",
     "message": "性别不符"},
    {"id": "id-born", "kind": "consistency", "check": "id_birth_date", "id_field": "公民身份号码", "field": "出生日期",
     "message": "出生日期不符"},
    {"id": "phone", "kind": "validity", "field": "电话", "check": "pattern", "pattern": r"1[3-9]\d{9}|0\d{2,3}-\d{7,8}",
     "message": "电话"},
    {"id": "credit", "kind": "validity", "field": "单位信用代码", "check": "credit_code", "message": "信用代码"},
]}


def frame(rows: int, seed: int = 0) -> pl.DataFrame:
    """`rows` people as a department sends them: mixed date forms, phones, some dirt."""
    rng = np.random.default_rng(seed)
    born = np.datetime64("1950-01-01") + rng.integers(0, 25000, rows).astype("timedelta64[D]")
    ymd = np.datetime_as_string(born).astype(object)
    compact = np.char.replace(ymd.astype(str), "-", "")
    seq = np.char.zfill(rng.integers(0, 1000, rows).astype(str), 3)
    bodies = np.char.add(np.char.add("130302", compact), seq)
    ids = [b + id_check_char(b) for b in bodies.tolist()]
    ids = [i if k else i.lower() for i, k in zip(ids, rng.random(rows) > 0.05, strict=True)]
    sex = np.where(np.char.mod("%d", np.char.str_len(seq)) == "3", "男", "女")
    forms = rng.integers(0, 3, rows)
    dates = np.where(forms == 0, ymd, np.where(forms == 1, compact, np.char.replace(ymd.astype(str), "-", "/")))
    phone = np.char.add("138", np.char.zfill(rng.integers(0, 10**8, rows).astype(str), 8))
    credit = rng.choice(["91130300MA0CXXX16J", "９１１３０３００ＭＡ０ＣＸＸＸ１６Ｊ", None], rows)
    return pl.DataFrame({"row": np.arange(1, rows + 1), "公民身份号码": ids,
                         "姓名": rng.choice(["张伟", "王 芳", "李娜"], rows), "性别": sex, "出生日期": dates,
                         "电话": phone, "单位信用代码": pl.Series(credit.tolist(), dtype=pl.String)})


def speed(rows: int) -> None:
    data = frame(rows)
    mapping = {"公民身份号码": "id_number", "姓名": "name", "性别": "sex", "出生日期": "date", "电话": "phone",
               "单位信用代码": "credit_code"}
    started = time.perf_counter()
    clean, report = standardise_frame(data, mapping)
    standardised = time.perf_counter() - started
    rules = parse_rule_set(RULES)
    started = time.perf_counter()
    result = evaluate(clean, rules)
    evaluated = time.perf_counter() - started
    print(f"rows: {rows:,}")
    print(f"standardise 6 columns: {standardised:.2f} s ({rows / standardised:,.0f} rows/s); changed "
          + ", ".join(f"{c} {r.changed:,}" for c, r in report.items()))
    print(f"evaluate {len(rules.rules)} rules: {evaluated:.2f} s ({rows / evaluated:,.0f} rows/s); "
          f"violations {result.violations.height:,}, rejected {result.rejected:,}; scores {result.scores}")


def city_recall(persons: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "city"
        started = time.perf_counter()
        generate_city(CityConfig(persons=persons, seed=1), out)
        print(f"\ncity of {persons:,} persons generated in {time.perf_counter() - started:.0f} s")
        started = time.perf_counter()
        table = recall(out)
        print(f"person sources read, standardised and checked in {time.perf_counter() - started:.1f} s")
    with pl.Config(tbl_rows=200, tbl_width_chars=160, tbl_hide_dataframe_shape=True,
                   tbl_hide_column_data_types=True, tbl_formatting="MARKDOWN"):
        print(recall_by_kind(table))
        print(table.filter(pl.col("missed") > 0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    speed(args.rows)
    city_recall(args.persons)


if __name__ == "__main__":
    main()
