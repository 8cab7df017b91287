"""市人社局 社保参保: the human resources and social security bureau's insured persons, one row per person and
kind of insurance (subject: the insured person). Employees are insured through their employer (always
pension, mostly medical, unemployment and work injury); some people without an employer pay pension and
medical insurance as 灵活就业人员; retirees keep a pension row whose contributions have ended. A person's
name, number and sex come from one record, so an error in them repeats on each of the person's rows.
A GB18030 CSV export."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.dirt import TableBuilder
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市人社局"
NAME = "社保参保"
INSURANCES = ("企业职工基本养老保险", "城镇职工基本医疗保险", "失业保险", "工伤保险")
KINDS = ("单位", "灵活就业人员", "离退休人员")  # insured through an employer, on one's own, retired
TAKE_UP = np.asarray([(1.0, 0.95, 0.85, 0.8), (1.0, 0.7, 0, 0), (1.0, 0, 0, 0)])  # by kind, per insurance
BASE_FLOOR, BASE_CEILING = 4338, 21690  # 缴费基数 limits, yuan per month
SYSTEM_START = np.datetime64("1996-01-01")
TODAY = np.datetime64(AS_OF, "D")
YEAR = 365.25


def _insured(city: TrueCity, rng: np.random.Generator) -> pl.DataFrame:
    """Who is insured, as what, with their unit's name and founding date when they have one."""
    p = city.people
    age = (np.datetime64(AS_OF, "D") - p["birth_date"].to_numpy()).astype(int) / YEAR
    employed = p["employer_credit_code"].is_not_null().to_numpy()
    draw = rng.random(len(p))
    flexible = ~employed & (age >= 18) & (age < 60) & (draw < 0.12)
    retired = (age >= 60) & (draw < 0.45)
    kind = np.select([employed, flexible, retired], list(KINDS), "")
    units = city.entities.select(pl.col("credit_code").alias("employer_credit_code"),
                                 pl.col("name").alias("unit"), pl.col("founded_on").alias("founded"))
    return (p.with_columns(kind=pl.Series(kind)).filter(pl.col("kind") != "")
            .join(units, on="employer_credit_code", how="left", maintain_order="left"))


def build(city: TrueCity) -> Output:
    rng = city.streams.get(f"cover:{DEPARTMENT}:{NAME}")
    insured = _insured(city, rng)
    n = len(insured)
    kind, status = insured["kind"].to_numpy(), insured["status"].to_numpy()
    birth = insured["birth_date"].to_numpy()
    lo = np.maximum(birth + np.timedelta64(int(18 * YEAR), "D"), SYSTEM_START)
    lo = np.where(kind == "单位", np.maximum(lo, insured["founded"].to_numpy()), lo)
    hi = np.where(kind == "离退休人员", birth + np.timedelta64(int(55 * YEAR), "D"), TODAY)
    gone = insured["status_on"].to_numpy()
    hi = np.where(np.isnat(gone), hi, np.minimum(hi, gone))
    lo = np.minimum(lo, hi)
    since = lo + (rng.random(n) * (hi - lo).astype(int)).astype("timedelta64[D]")
    wage = np.clip(np.round(rng.lognormal(np.log(5800), 0.35, n)), BASE_FLOOR, BASE_CEILING).astype(int)
    base = np.where(kind == "离退休人员", None, np.where((kind == "灵活就业人员") & (rng.random(n) < 0.7),
                                                         BASE_FLOOR, wage)).astype(object)
    paying = np.where(kind == "单位", rng.random(n) < 0.97, rng.random(n) < 0.75)
    state = np.where((kind == "离退休人员") | (status != "正常"), "终止", np.where(paying, "正常缴费", "暂停缴费"))

    # one record per person (name, number, sex, enrolment date: all insurances at once), typed in once
    person = (city.builder(DEPARTMENT, f"{NAME}:人员", "person", insured["person_id"].to_numpy())
              .column("姓名", insured["name"].to_numpy()).column("身份证号", insured["id_number"].to_numpy())
              .column("性别", insured["sex"].to_numpy()).dates("参保日期", since, "iso"))
    person.typo("姓名").traditional("姓名").stray_space("姓名").id_number("身份证号").full_width("身份证号")
    person.missing("性别")

    # one row per person and insurance
    take_up = TAKE_UP[np.select([kind == k for k in KINDS], range(len(KINDS)))]
    who, which = np.nonzero(rng.random((n, len(INSURANCES))) < take_up)  # each person's rows together
    unit = np.where(kind == "单位", insured["unit"].to_numpy(), kind).astype(object)
    table = city.builder(DEPARTMENT, NAME, "person", insured["person_id"].to_numpy()[who])
    for header in ("姓名", "身份证号", "性别"):
        table.column(header, person.columns[header][who])
    (table.column("参保单位", unit[who]).column("单位统一社会信用代码", insured["employer_credit_code"].to_numpy()[who])
     .column("险种", np.asarray(INSURANCES, dtype=object)[which]).column("参保日期", person.columns["参保日期"][who])
     .column("缴费基数", base[who]).column("参保状态", state[who]))
    _inherit(table, person.errors, who)
    table.credit_code("单位统一社会信用代码").stray_space("参保单位").missing("缴费基数")
    row_status = status[who]
    table.mark(np.flatnonzero(row_status == "死亡"), "subject:deceased")
    table.mark(np.flatnonzero(row_status == "迁出"), "subject:left")
    return [(table.build(), FileFormat("csv", "gb18030"))]


def _inherit(table: TableBuilder, errors: list[list[str]], who: np.ndarray) -> None:
    """Record on every row the errors of the person record it was drawn from."""
    by_label: dict[str, list[int]] = {}
    for i, labels in enumerate(errors):
        for label in labels:
            by_label.setdefault(label, []).append(i)
    for label in sorted(by_label):
        table.mark(np.flatnonzero(np.isin(who, by_label[label])), label)
