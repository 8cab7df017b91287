"""市市场监管局 特种设备: the register of special equipment in use (elevators in residential and commercial
buildings, boilers, pressure vessels, gas cylinders, cranes), each with its 20-digit 设备注册代码 (4-digit
variety code of the 特种设备目录 + 6-digit area + year of registration + 6-digit serial), its user and its
periodic inspections; an XLSX with a title row. About one in twenty is past its next inspection on AS_OF
(超期未检), and those rows carry the mark "下次检验日期:overdue" so that warnings can be scored.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.people import addresses
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.sources.market import DEPARTMENT, add_years
from zhengshu.synth.writers import FileFormat

TODAY = np.datetime64(AS_OF, "D")
OVERDUE_SHARE = 0.05
# 设备类别: (years between periodic inspections, usual conclusion, earliest year made,
#            {variety code: 设备品种}, expected units per open entity of each GB/T 4754 section)
CATEGORIES = {
    "电梯": (1, "合格", 1998, {"3110": "曳引驱动乘客电梯", "3120": "曳引驱动载货电梯", "3310": "自动扶梯",
                              "3430": "杂物电梯"},
             {"K": 3.5, "L": 0.4, "H": 0.6, "F": 0.1, "C": 0.15, "Q": 1.5, "P": 0.8, "R": 0.3, "I": 0.05}),
    "锅炉": (1, "符合要求", 2000, {"1100": "承压蒸汽锅炉", "1200": "承压热水锅炉"},
             {"C": 0.15, "H": 0.15, "A": 0.05, "Q": 0.2, "P": 0.15, "K": 0.05}),
    "压力容器": (3, "符合要求", 2003, {"2150": "第二类压力容器", "2170": "第一类压力容器"},
                 {"C": 0.6, "G": 0.2, "Q": 0.25, "E": 0.1, "O": 0.3}),
    "气瓶": (3, "合格", 2012, {"2310": "无缝气瓶", "2320": "焊接气瓶"}, {"C": 0.3, "Q": 0.2, "H": 0.1, "O": 0.2}),
    "起重机械": (2, "合格", 2005, {"4100": "桥式起重机", "4200": "门式起重机", "4300": "塔式起重机"},
                 {"C": 0.4, "E": 0.5, "G": 0.3}),
}
KIND_SCALE = {"91": 1.0, "92": 0.05, "93": 0.2, "12": 2.0, "51": 0.05, "52": 0.3}  # institutions are large


def build(city: TrueCity) -> Output:
    e = city.entities.with_row_index("row").filter(pl.col("status") == "存续")
    rng = city.streams.get(f"cover:{DEPARTMENT}:特种设备")
    industry, kind = e["industry_code"].to_numpy(), e["kind_code"].to_numpy()
    size = np.sqrt(np.clip(e["headcount"].to_numpy() / 8, 0.3, 5)) * np.vectorize(KIND_SCALE.get)(kind)
    parts = []  # (entity position, category)
    for c, (_, _, _, _, rates) in enumerate(CATEGORIES.values()):
        expected = np.vectorize(lambda s, r=rates: r.get(s, 0.0))(industry) * size
        units = rng.poisson(expected)
        parts.append((np.repeat(np.arange(len(e)), units), np.full(units.sum(), c)))
    who = np.concatenate([p[0] for p in parts])
    category = np.concatenate([p[1] for p in parts])
    n = len(who)
    specs = list(CATEGORIES.values())
    names = np.asarray(list(CATEGORIES), dtype=object)[category]
    varieties = [list(spec[3].items()) for spec in specs]
    residential = np.isin(industry[who], ["K", "L"])
    draw = rng.random(n)
    # homes have passenger lifts; shops, hotels and hospitals also escalators and dumbwaiters
    pick = np.where((category == 0) & residential, (draw < 0.05).astype(int), (draw * 4).astype(int))
    variety = [varieties[c][p % len(varieties[c])] for c, p in zip(category, pick, strict=True)]
    code = np.asarray([v[0] for v in variety], dtype=object)
    interval = np.asarray([spec[0] for spec in specs])[category]

    overdue = np.zeros(n, dtype=bool)
    overdue[rng.choice(n, min(n, max(1, round(n * OVERDUE_SHARE))), replace=False)] = True
    last = np.where(overdue, add_years(TODAY, -interval) - rng.integers(1, 400, n).astype("timedelta64[D]"),
                    TODAY - (rng.random(n) * interval * 365).astype("timedelta64[D]"))
    earliest = np.asarray([spec[2] for spec in specs])[category]
    made_year = earliest + (rng.random(n) * (2025 - earliest)).astype(int)
    made = np.minimum((made_year - 1970).astype("datetime64[Y]").astype("datetime64[D]")
                      + rng.integers(0, 365, n).astype("timedelta64[D]"), last - np.timedelta64(60, "D"))
    registered = made.astype("datetime64[Y]").astype(int) + 1970 + (rng.random(n) < 0.3)
    registered = np.minimum(registered, last.astype("datetime64[Y]").astype(int) + 1970)
    after = add_years(last, interval)

    s = e[who]
    area = s["district_code"].to_numpy()
    frame = pl.DataFrame({"code": code, "area": area, "year": registered, "made": made})
    frame = frame.with_columns(serial=pl.col("made").rank("ordinal").over("code", "area", "year"))
    register = code + area + registered.astype(str).astype(object) + frame["serial"].cast(pl.String).str.zfill(
        6).to_numpy().astype(object)
    order = np.argsort(register, kind="stable")
    district_index = np.searchsorted([d.code for d in DISTRICTS], area)  # DISTRICTS are sorted by code
    estate = addresses(city.streams.get(f"cover:{DEPARTMENT}:特种设备:地点"), district_index)
    estate = pl.Series(estate, dtype=pl.String).str.replace(r"\d+室$", "").to_numpy().astype(object)
    district_name = np.asarray([d.name for d in DISTRICTS], dtype=object)[district_index]
    place = np.where(residential & (category == 0), "秦皇岛市" + district_name + estate,
                     s["address"].str.replace("河北省", "", literal=True).to_numpy())
    verdict = np.asarray([spec[1] for spec in specs], dtype=object)[category]
    result = rng.random(n)
    verdict = np.where(result < 0.01, "不合格", np.where(result < 0.05, "复检合格", verdict))

    o = order
    table = (
        city.builder(DEPARTMENT, "特种设备", "entity", s["entity_id"].to_numpy()[o])
        .column("设备注册代码", register[o])
        .column("设备类别", names[o])
        .column("设备品种", np.asarray([v[1] for v in variety], dtype=object)[o])
        .column("使用单位", s["name"].to_numpy()[o])
        .column("使用单位信用代码", s["credit_code"].to_numpy()[o])
        .column("设备地点", place[o])
        .dates("制造日期", made[o], "iso")
        .dates("上次检验日期", last[o], "iso")
        .dates("下次检验日期", after[o], "iso")
        .column("检验结论", verdict[o])
    )
    table.mark(np.flatnonzero(after[o] < TODAY), "下次检验日期:overdue")
    table.credit_code("使用单位信用代码").typo("使用单位").stray_space("使用单位").address("设备地点")
    table.missing("使用单位信用代码", "制造日期", "检验结论")
    return [(table.build(), FileFormat("xlsx", title="秦皇岛市在用特种设备登记台账"))]
