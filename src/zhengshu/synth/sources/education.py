"""市教育局 学籍: the education bureau's pupils in the national primary and secondary school register
(全国中小学生学籍信息管理系统), one row per pupil aged 6 to 18 in grades 1 to 12 (subject: the pupil).
The 学籍号 is "G" and the pupil's ID number, as the national system issues it; the guardian is the mother
or father in the pupil's household. Primary schools follow the street or town of the home, middle and
high schools the district. Exported as JSON."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市教育局"
NAME = "中小学生学籍"
SCHOOL_YEAR = AS_OF.year - 1 if AS_OF.month < 9 else AS_OF.year  # the school year under way began then
GRADES = ("一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "初一", "初二", "初三", "高一", "高二", "高三")
JUNIOR = {  # district middle schools (the towns have their own 初级中学)
    "130302": ("秦皇岛市第三中学", "秦皇岛市第七中学", "秦皇岛市第八中学", "秦皇岛市第九中学", "秦皇岛市第十一中学"),
    "130303": ("山海关区第二中学", "山海关区第三中学"), "130304": ("北戴河区新区中学", "北戴河区第二中学"),
    "130306": ("抚宁区第二中学", "抚宁区第三中学"), "130321": ("青龙满族自治县第二中学",),
    "130322": ("昌黎县第三中学", "昌黎县第四中学"), "130324": ("卢龙县第二中学", "卢龙县第三中学"),
}
SENIOR = {
    "130302": ("秦皇岛市第一中学", "秦皇岛市第二中学", "秦皇岛市实验中学", "秦皇岛市第四中学"),
    "130303": ("山海关区第一中学",), "130304": ("北戴河区中学",), "130306": ("抚宁区第一中学", "抚宁区第六中学"),
    "130321": ("青龙满族自治县第一中学",), "130322": ("昌黎县第一中学", "昌黎汇文第二中学"),
    "130324": ("卢龙县中学",),
}
STREET = r"^河北省秦皇岛市(.+?[区县])(.+?(?:街道|镇|乡))"


def _guardians(p: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Per household, the parent who deals with the school: mostly the mother."""
    parents = p.filter(pl.col("relation").is_in(["户主", "配偶"]))
    parents = parents.select("household_id", "name", "phone",
                             rank=pl.Series(rng.random(len(parents))) + (pl.col("sex") == "男") * 0.4)
    parents = parents.sort("household_id", "rank", maintain_order=True)
    return parents.group_by("household_id", maintain_order=True).first()


def _schools(pupils: pl.DataFrame, level: np.ndarray, draw: np.ndarray) -> np.ndarray:
    place = pupils.select(pl.col("address").str.extract(STREET, 1).alias("district"),
                          pl.col("address").str.extract(STREET, 2).alias("street"))
    district, street = place["district"].to_numpy(), place["street"].to_numpy().astype(str)
    urban_street = np.char.endswith(street, "街道")
    stem = np.char.replace(street, "街道", "")
    primary = np.where(urban_street, np.char.add(stem, np.where(draw < 0.3, "第二小学", "小学")),
                       np.char.add(street, "中心小学"))
    school = np.where(level == 0, district + primary.astype(object), None).astype(object)
    town_middle = district + np.char.add(street, "初级中学").astype(object)
    codes = pupils["district_code"].to_numpy()
    for code in JUNIOR:
        for lv, names in ((1, JUNIOR[code]), (2, SENIOR[code])):
            mask = (codes == code) & (level == lv)
            school[mask] = np.asarray(names, dtype=object)[(draw[mask] * len(names)).astype(int)]
    in_town = (level == 1) & ~urban_street & (draw < 0.7)
    school[in_town] = town_middle[in_town]
    return school


def build(city: TrueCity) -> Output:
    p = city.people
    rng = city.streams.get(f"cover:{DEPARTMENT}:{NAME}")
    birth = p["birth_date"].to_numpy()
    year = birth.astype("datetime64[Y]").astype(int) + 1970
    late_born = birth.astype("datetime64[M]").astype(int) % 12 >= 8  # born from September: a year later
    grade = SCHOOL_YEAR - (year + 6 + late_born) + 1 + rng.choice([-1, 0, 1], len(p), p=[0.03, 0.95, 0.02])
    age = (np.datetime64(AS_OF, "D") - birth).astype(int) / 365.25
    enrolled = (grade >= 1) & (grade <= 12) & (age >= 6) & (age < 19) & (rng.random(len(p)) < np.where(
        grade <= 9, 0.99, 0.8))
    pupils = (p.with_columns(grade=pl.Series(grade)).filter(pl.Series(enrolled))
              .join(_guardians(p, rng), on="household_id", how="left", suffix="_guardian", maintain_order="left"))
    grade = pupils["grade"].to_numpy()
    level = np.select([grade <= 6, grade <= 9], [0, 1], 2)
    first_grade = np.asarray([1, 7, 10])[level]
    entered = (SCHOOL_YEAR - (grade - first_grade)) * 100 + 9
    table = (
        city.builder(DEPARTMENT, NAME, "person", pupils["person_id"].to_numpy())
        .column("学籍号", ("G" + pupils["id_number"]).to_numpy())
        .column("姓名", pupils["name"].to_numpy()).column("性别", pupils["sex"].to_numpy())
        .dates("出生日期", pupils["birth_date"].to_numpy(), "iso")
        .column("身份证号", pupils["id_number"].to_numpy())
        .column("学校", _schools(pupils, level, rng.random(len(pupils))))
        .column("年级", np.asarray(GRADES, dtype=object)[grade - 1]).column("入学年月", entered.astype(str))
        .column("家庭住址", pupils["address"].to_numpy())
        .column("监护人姓名", pupils["name_guardian"].to_numpy())
        .column("监护人电话", pupils["phone_guardian"].to_numpy())
    )
    table.typo("姓名").traditional("姓名").stray_space("姓名").id_number("身份证号").full_width("身份证号")
    table.stale_address("家庭住址", pupils["previous_address"].to_numpy()).address("家庭住址")
    table.typo("监护人姓名").stray_space("监护人姓名").phone("监护人电话").missing("监护人电话", "家庭住址")
    status = pupils["status"].to_numpy()
    table.mark(np.flatnonzero(status == "死亡"), "subject:deceased").mark(np.flatnonzero(status == "迁出"),
                                                                        "subject:left")
    return [(table.build(), FileFormat("json"))]
