"""市市场监管局 行政许可 and 行政处罚: the licences open businesses hold (food, road transport, construction,
hygiene; the one in force and sometimes the one before it), as the UTF-8 CSV of the 双公示 (public credit
disclosure) feed with its YYYY/M/D dates, and the regulator's penalty decisions since 2023 as a JSON export.
"""

from __future__ import annotations

import numpy as np

from zhengshu.synth.config import AS_OF
from zhengshu.synth.dirt import SourceTable
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.sources.market import (
    DEPARTMENT,
    DISTRICT_NAME,
    add_years,
    document_prefix,
    market_authority,
    money,
    people_of,
    running_numbers,
)
from zhengshu.synth.writers import FileFormat

TODAY = np.datetime64(AS_OF, "D")
# (证书名称, issued by, 文号 infix, years valid, first issued, 许可内容 options)
LICENCES = (
    ("食品经营许可证", "market", "市监食经许", 5, "2015-10-01", ("预包装食品（含冷藏冷冻食品）销售",
     "预包装食品（不含冷藏冷冻食品）销售，散装食品（不含冷藏冷冻食品）销售")),
    ("食品经营许可证", "market", "市监食经许", 5, "2015-10-01", ("热食类食品制售",
     "热食类食品制售，冷食类食品制售（不含生食类食品）", "小餐饮")),
    ("食品生产许可证", "city", "市监食生许", 5, "2015-10-01", ("糕点（烘烤类糕点）", "饮料（瓶（桶）装饮用水）",
     "粮食加工品（大米）", "水产制品（干制水产品）")),
    ("道路运输经营许可证", "approval", "审批运许", 4, "2012-01-01", ("道路普通货物运输",
     "道路普通货物运输，货物专用运输（集装箱）")),
    ("建筑业企业资质证书", "approval", "审批建许", 5, "2015-01-01", ("建筑工程施工总承包三级",
     "市政公用工程施工总承包三级", "施工劳务不分等级", "地基基础工程专业承包三级")),
    ("公共场所卫生许可证", "health", "卫公许", 4, "2012-01-01", ("住宿场所",)),
)
VIOLATIONS = (  # (违法行为类型, 处罚依据, 违法事实, weight for food shops and restaurants, for others)
    ("食品安全违法", "《中华人民共和国食品安全法》第一百二十四条", "经营超过保质期的食品", 4, 0),
    ("价格违法", "《中华人民共和国价格法》第四十二条", "未按规定明码标价", 2, 2),
    ("广告违法", "《中华人民共和国广告法》第五十五条", "发布虚假广告", 1, 2),
    ("产品质量违法", "《中华人民共和国产品质量法》第五十条", "销售不合格产品", 1, 2),
    ("计量违法", "《中华人民共和国计量法实施细则》第四十三条", "使用未经检定的计量器具", 1, 1),
    ("特种设备违法", "《中华人民共和国特种设备安全法》第八十四条", "使用未经定期检验的特种设备", 0.5, 1),
    ("登记管理违法", "《中华人民共和国市场主体登记管理条例》第四十六条", "未按规定办理变更登记", 0.5, 1),
)


def build(city: TrueCity) -> Output:
    return [licences(city), penalties(city)]


def _pick(rng: np.random.Generator, options: tuple, index: np.ndarray) -> np.ndarray:
    """One of `options[i]` for each i in `index`, at random."""
    draw = rng.random(len(index))
    return np.asarray([options[i][int(d * len(options[i]))] for i, d in zip(index, draw, strict=True)], dtype=object)


def licences(city: TrueCity) -> tuple[SourceTable, FileFormat]:
    e = city.entities
    rng = city.streams.get(f"cover:{DEPARTMENT}:行政许可")
    n = len(e)
    industry, kind, name = e["industry_code"].to_numpy(), e["kind_code"].to_numpy(), e["name"].to_numpy().astype(str)
    u = rng.random(n)
    food_shop = np.char.endswith(name, "便利店") | np.char.endswith(name, "超市") | np.char.endswith(name, "水果店")
    which = np.select(
        [(e["status"] != "存续").to_numpy() | ~np.isin(kind, ["91", "92"]), (industry == "H") & np.char.endswith(
            name, "宾馆"), industry == "H", (industry == "F") & (food_shop | (kind == "91") & (u < 0.4)),
         (industry == "C") & (u < 0.15), (industry == "G") & (u < 0.9), (industry == "E") & (u < 0.85)],
        [-1, 5, 1, 0, 2, 3, 4], -1)
    years = np.asarray([spec[3] for spec in LICENCES])[np.maximum(which, 0)]
    since = np.asarray([spec[4] for spec in LICENCES], dtype="datetime64[D]")[np.maximum(which, 0)]
    first = np.maximum(e["founded_on"].to_numpy() + rng.integers(10, 90, n).astype("timedelta64[D]"),
                       since + rng.integers(0, 730, n).astype("timedelta64[D]"))
    held = (which >= 0) & (first <= TODAY)
    terms = (TODAY - first).astype(int) // (years * 366)  # renewed every `years` years since the first
    current = add_years(first, terms * years)
    earlier = held & (terms >= 1) & (rng.random(n) < 0.3)  # the licence before the one in force
    rows = np.concatenate([np.flatnonzero(held), np.flatnonzero(earlier)])
    start = np.concatenate([current[held], add_years(current, -years)[earlier]])
    order = np.lexsort((rows, start))
    rows, start, which = rows[order], start[order], which[rows[order]]
    end = add_years(start, years[rows]) - np.timedelta64(1, "D")

    s = e[rows]
    district = s["district_code"].to_numpy()
    names = np.vectorize(DISTRICT_NAME.get, otypes=[object])(district)
    issued_by = np.asarray([spec[1] for spec in LICENCES])[which]
    authority = np.select(
        [issued_by == "market", issued_by == "city", (issued_by == "approval") & (s["kind_code"] == "91").to_numpy(),
         issued_by == "approval"],
        [market_authority(s), "秦皇岛市市场监督管理局", "秦皇岛市行政审批局", names + "行政审批局"],
        names + "卫生健康局").astype(object)
    year = start.astype("datetime64[Y]").astype(int) + 1970
    infix = np.asarray([spec[2] for spec in LICENCES], dtype=object)[which]
    serial = running_numbers({"authority": authority, "infix": infix, "year": year.astype(str)}, start)
    decision = (document_prefix(authority, district) + infix + "〔" + year.astype(str).astype(object) + "〕"
                + serial.astype(str).astype(object) + "号")
    table = (
        city.builder(DEPARTMENT, "行政许可", "entity", s["entity_id"].to_numpy())
        .column("许可决定书文号", decision)
        .column("许可证书名称", np.asarray([spec[0] for spec in LICENCES], dtype=object)[which])
        .column("行政相对人名称", s["name"].to_numpy())
        .column("统一社会信用代码", s["credit_code"].to_numpy())
        .column("法定代表人", people_of(city, s["legal_representative_id"].to_numpy())["name"].to_numpy())
        .column("许可内容", _pick(rng, tuple(spec[5] for spec in LICENCES), which))
        .dates("许可决定日期", start, "slash")
        .dates("有效期自", start, "slash")
        .dates("有效期至", end, "slash")
        .column("许可机关", authority)
    )
    table.credit_code("统一社会信用代码").typo("行政相对人名称").stray_space("行政相对人名称").typo("法定代表人")
    table.missing("统一社会信用代码", "法定代表人")
    return table.build(), FileFormat("csv", "utf-8")


def penalties(city: TrueCity) -> tuple[SourceTable, FileFormat]:
    e = city.entities
    rng = city.streams.get(f"cover:{DEPARTMENT}:行政处罚")
    n = len(e)
    kind, industry = e["kind_code"].to_numpy(), e["industry_code"].to_numpy()
    food = np.isin(industry, ["F", "H"])
    founded = e["founded_on"].to_numpy()
    rate = 0.03 * np.where((e["status"] == "吊销").to_numpy(), 3, 1) * np.where(food, 1.5, 1)
    chosen = np.isin(kind, ["91", "92", "93"]) & (founded < TODAY - 60) & (rng.random(n) < rate)
    rows = np.repeat(np.flatnonzero(chosen), 1 + (rng.random(chosen.sum()) < 0.12))
    earliest = np.maximum(founded[rows] + 30, np.datetime64("2023-01-01"))
    day = earliest + (rng.random(len(rows)) * (TODAY - earliest).astype(int)).astype("timedelta64[D]")
    order = np.lexsort((rows, day))
    rows, day = rows[order], day[order]

    weights = np.asarray([[v[3] for v in VIOLATIONS], [v[4] for v in VIOLATIONS]])[np.where(food[rows], 0, 1)]
    cumulative = np.cumsum(weights, axis=1) / weights.sum(axis=1, keepdims=True)
    violation = (rng.random(len(rows))[:, None] > cumulative).sum(axis=1)
    small = kind[rows] == "92"
    fine = np.round(np.maximum(rng.lognormal(np.log(np.where(small, 0.2, 1.0)), np.where(small, 0.8, 1.0)), 0.05), 2)
    fine = np.where(rng.random(len(rows)) < 0.08, 0, fine)  # a warning only
    confiscated = np.where(rng.random(len(rows)) < 0.2, rng.integers(1, 200, len(rows)) * 100, 0)
    fact = np.asarray([v[2] for v in VIOLATIONS], dtype=object)[violation]
    content = fact + np.where(fine == 0, "，警告", "") + np.where(
        confiscated > 0, "，没收违法所得人民币" + confiscated.astype(str).astype(object) + "元", "") + np.where(
        fine > 0, "，罚款人民币" + np.round(fine * 10000).astype(int).astype(str).astype(object) + "元", "")

    s = e[rows]
    authority = market_authority(s)
    year = (day.astype("datetime64[Y]").astype(int) + 1970).astype(str).astype(object)
    serial = running_numbers({"authority": authority, "year": year}, day)
    number = (document_prefix(authority, s["district_code"].to_numpy()) + "市监罚〔" + year + "〕"
              + serial.astype(str).astype(object) + "号")
    table = (
        city.builder(DEPARTMENT, "行政处罚", "entity", s["entity_id"].to_numpy())
        .column("处罚决定书文号", number)
        .column("当事人名称", s["name"].to_numpy())
        .column("统一社会信用代码", s["credit_code"].to_numpy())
        .column("违法行为类型", np.asarray([v[0] for v in VIOLATIONS], dtype=object)[violation])
        .column("处罚依据", np.asarray([v[1] for v in VIOLATIONS], dtype=object)[violation])
        .column("处罚内容", content)
        .column("罚款金额（万元）", money(fine))
        .dates("处罚决定日期", day, "iso")
        .column("处罚机关", authority)
    )
    table.credit_code("统一社会信用代码").typo("当事人名称").traditional("当事人名称").stray_space("当事人名称")
    table.missing("统一社会信用代码", "处罚依据")
    return table.build(), FileFormat("json")
