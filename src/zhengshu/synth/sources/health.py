"""市卫健委 出生医学证明: the health commission's register of birth certificates issued by the city's
hospitals over the last ten years, one row per child born in the city (subject: the child). The parents
are the heads and spouses of the child's household; a parent who does not live in the city is left empty.
Kept as an Excel workbook with a title row, dates written the Chinese way."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市卫健委"
NAME = "出生医学证明"
HOSPITALS = {  # where each district's children are born
    "130302": ("秦皇岛市第一医院", "秦皇岛市妇幼保健院", "秦皇岛市海港医院", "秦皇岛市中医医院"),
    "130303": ("秦皇岛市山海关人民医院", "山海关区妇幼保健院"),
    "130304": ("秦皇岛市北戴河医院",),
    "130306": ("秦皇岛市抚宁区人民医院", "抚宁区妇幼保健院"),
    "130321": ("青龙满族自治县医院", "青龙满族自治县妇幼保健院"),
    "130322": ("昌黎县医院", "秦皇岛市第二医院", "昌黎县妇幼保健院"),
    "130324": ("卢龙县医院", "卢龙县妇幼保健院"),
}
CITY_HOSPITALS = ("秦皇岛市第一医院", "秦皇岛市妇幼保健院")  # where some mothers from the counties give birth
BATCH_LETTERS = "OPQRS"  # the certificate forms' series letter changes every two years from 2016
COVERED = 0.96  # the rest were born outside the city


def _parent(people: pl.DataFrame, sex: str, prefix: str) -> pl.DataFrame:
    couple = people.filter(pl.col("relation").is_in(["户主", "配偶"]), pl.col("sex") == sex)
    return couple.select("household_id", pl.col("name").alias(f"{prefix}姓名"),
                         pl.col("id_number").alias(f"{prefix}身份证号"))


def build(city: TrueCity) -> Output:
    p = city.people
    since = np.datetime64(AS_OF, "D") - np.timedelta64(3652, "D")
    rng = city.streams.get(f"cover:{DEPARTMENT}:{NAME}")
    born_here = (p["birth_date"].to_numpy() > since) & (rng.random(len(p)) < COVERED)
    children = (p.filter(pl.Series(born_here)).sort("birth_date", maintain_order=True)
                .join(_parent(p, "女", "母亲"), on="household_id", how="left", maintain_order="left")
                .join(_parent(p, "男", "父亲"), on="household_id", how="left", maintain_order="left"))
    n = len(children)
    district = children["district_code"].to_numpy()
    hospital = np.empty(n, dtype=object)
    pick = rng.random(n)
    for code, names in HOSPITALS.items():
        mask = district == code
        hospital[mask] = np.asarray(names, dtype=object)[(pick[mask] * len(names)).astype(int)]
    to_city = (district != "130302") & (rng.random(n) < 0.15)
    hospital[to_city] = np.asarray(CITY_HOSPITALS, dtype=object)[rng.integers(0, 2, to_city.sum())]
    birth = children["birth_date"].to_numpy()
    year = birth.astype("datetime64[Y]").astype(int) + 1970
    letter = np.asarray(list(BATCH_LETTERS), dtype=object)[np.clip((year - 2016) // 2, 0, len(BATCH_LETTERS) - 1)]
    serial = np.char.zfill(rng.choice(10**7, n, replace=False).astype(str), 7).astype(object)

    table = (
        city.builder(DEPARTMENT, NAME, "person", children["person_id"].to_numpy())
        .column("出生医学证明编号", letter + "13" + serial)
        .column("新生儿姓名", children["name"].to_numpy())
        .column("性别", children["sex"].to_numpy())
        .dates("出生日期", birth, "chinese")
        .column("出生地点", hospital)
    )
    for parent in ("母亲", "父亲"):
        table.column(f"{parent}姓名", children[f"{parent}姓名"].to_numpy())
        table.column(f"{parent}身份证号", children[f"{parent}身份证号"].to_numpy())
        table.typo(f"{parent}姓名").stray_space(f"{parent}姓名").id_number(f"{parent}身份证号")
    table.typo("新生儿姓名").traditional("新生儿姓名").stray_space("新生儿姓名").full_width("母亲身份证号")
    table.missing("出生地点", "父亲姓名", "父亲身份证号", "母亲身份证号")
    status = children["status"].to_numpy()
    table.mark(np.flatnonzero(status == "死亡"), "subject:deceased").mark(np.flatnonzero(status == "迁出"),
                                                                        "subject:left")
    return [(table.build(), FileFormat("xlsx", title="秦皇岛市出生医学证明登记表（2016—2026）"))]
