"""市公安局 户籍: the identity authority's household register, one row per registered person (dead and
moved-out people stay, with their status), UTF-8 CSV with compact dates as its system exports them."""

from __future__ import annotations

import numpy as np

from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市公安局"


def build(city: TrueCity) -> Output:
    p = city.people
    table = (
        city.builder(DEPARTMENT, "户籍人口", "person", p["person_id"].to_numpy())
        .column("户号", p["household_id"].str.replace("H", "1303", literal=True).to_numpy())
        .column("姓名", p["name"].to_numpy())
        .column("性别", p["sex"].to_numpy())
        .column("公民身份号码", p["id_number"].to_numpy())
        .dates("出生日期", p["birth_date"].to_numpy(), "compact")
        .column("与户主关系", p["relation"].to_numpy())
        .column("户籍地址", p["address"].to_numpy())
        .column("婚姻状况", p["marital_status"].to_numpy())
        .column("文化程度", p["education"].to_numpy())
        .column("人员状态", p["status"].to_numpy())
        .dates("变动日期", p["status_on"].to_numpy(), "compact")
    )
    legacy_era = (p["birth_date"].dt.year() < 1970).to_numpy()
    # the register converted most 15-digit numbers long ago; a few of the oldest remain
    rows = np.flatnonzero(legacy_era & (table.rng.random(len(p)) < city.rates.legacy_id * 3))
    values = table.columns["公民身份号码"]
    values[rows] = [v[:6] + v[8:17] for v in values[rows]]
    table.mark(rows, "公民身份号码:legacy_id")
    table.full_width("公民身份号码").stray_space("姓名").address("户籍地址").missing("文化程度")
    return [(table.build(), FileFormat("csv", "utf-8"))]

