"""Tables for the open-data portal's priority fields (生态环境, 文化旅游, 公共服务), clean and already
non-personal, drawn from the synthetic city: daily air quality by monitoring station (市生态环境局), scenic spots
with monthly visitors (市旅游文广局), public facilities with locations and opening hours (市行政审批局: hospitals,
schools, service halls), and the market entities' public registration facts (市市场监管局, 依法公示). They are
not department files with dirt: the demo writes them as datasets directly and opens them."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.streams import Streams

CENTRES = {  # approximate centre (longitude, latitude) of each division
    "130302": (119.60, 39.94), "130303": (119.77, 40.01), "130304": (119.48, 39.83), "130306": (119.24, 39.88),
    "130321": (118.95, 40.41), "130322": (119.16, 39.71), "130324": (118.89, 39.89),
}
STATIONS = {  # 国控/省控 monitoring stations by division
    "130302": ("市监测站", "建设大厦", "第一关"), "130303": ("山海关古城",), "130304": ("北戴河环保局",),
    "130306": ("抚宁骊城",), "130321": ("青龙县城",), "130322": ("昌黎县城",), "130324": ("卢龙县城",),
}
SCENIC = (  # name, level, division
    ("山海关景区（天下第一关）", "5A", "130303"), ("老龙头景区", "5A", "130303"), ("角山长城", "4A", "130303"),
    ("北戴河鸽子窝公园", "4A", "130304"), ("北戴河老虎石海上公园", "4A", "130304"),
    ("秦皇岛野生动物园", "4A", "130304"),
    ("秦皇求仙入海处", "4A", "130302"), ("祖山风景区", "4A", "130321"), ("昌黎黄金海岸", "4A", "130322"),
    ("碣石山风景区", "4A", "130322"), ("板厂峪景区", "4A", "130302"), ("南戴河国际娱乐中心", "4A", "130306"),
)
SEASON = (0.25, 0.3, 0.45, 0.7, 1.0, 1.6, 3.2, 3.4, 1.3, 1.4, 0.5, 0.3)  # January to December
HOURS = {"医院": "门诊 08:00–17:30，急诊 24 小时", "学校": "周一至周五 07:30–17:30",
         "政务服务中心": "周一至周五 08:30–12:00、13:30–17:30，周六 09:00–12:00"}


def _jitter(rng: np.random.Generator, division: str, n: int, spread: float = 0.06) -> tuple[np.ndarray, np.ndarray]:
    lon, lat = CENTRES[division]
    return (np.round(lon + rng.normal(0, spread, n), 5), np.round(lat + rng.normal(0, spread, n), 5))


def air_quality(streams: Streams, days: int = 365) -> pl.DataFrame:
    """空气质量日报: AQI and PM2.5/PM10 per station and day, worse in the heating season, cleaner by the sea."""
    rng = streams.get("open:air-quality")
    end = AS_OF
    rows = []
    for division, names in STATIONS.items():
        for station in names:
            for i in range(days):
                day = end - timedelta(days=days - 1 - i)
                heating = 1.6 if day.month in (11, 12, 1, 2, 3) else 1.0
                pm25 = max(3.0, rng.lognormal(np.log(28 * heating), 0.45))
                pm10 = pm25 * rng.uniform(1.4, 2.0)
                aqi = round(max(pm25 * 1.35, pm10 * 0.8) + rng.normal(0, 4))
                rows.append((f"{station}", division, day, max(aqi, 10), round(pm25, 1), round(pm10, 1)))
    frame = pl.DataFrame(rows, schema={"站点": pl.String, "区划": pl.String, "日期": pl.Date, "AQI": pl.Int64,
                                       "PM2.5": pl.Float64, "PM10": pl.Float64}, orient="row")
    grade = (pl.when(pl.col("AQI") <= 50).then(pl.lit("优")).when(pl.col("AQI") <= 100).then(pl.lit("良"))
             .when(pl.col("AQI") <= 150).then(pl.lit("轻度污染")).when(pl.col("AQI") <= 200).then(pl.lit("中度污染"))
             .otherwise(pl.lit("重度污染")))
    return frame.with_columns(grade.alias("空气质量级别"))


def scenic_visitors(streams: Streams, months: int = 24) -> pl.DataFrame:
    """A 级景区月度接待游客: visitors per scenic spot and month, the seaside summer the high season."""
    rng = streams.get("open:scenic")
    first = date(AS_OF.year - months // 12, AS_OF.month, 1)
    rows = []
    for name, level, division in SCENIC:
        lon, lat = _jitter(rng, division, 1, 0.03)
        base = rng.uniform(30_000, 90_000) * (2.5 if level == "5A" else 1.0)
        for m in range(months):
            month = date(first.year + (first.month - 1 + m) // 12, (first.month - 1 + m) % 12 + 1, 1)
            visitors = int(base * SEASON[month.month - 1] * rng.uniform(0.85, 1.15))
            rows.append((name, level, division, float(lon[0]), float(lat[0]), month, visitors))
    return pl.DataFrame(rows, schema={"景区名称": pl.String, "等级": pl.String, "区划": pl.String, "经度": pl.Float64,
                                      "纬度": pl.Float64, "月份": pl.Date, "接待游客（人次）": pl.Int64}, orient="row")


def public_facilities(streams: Streams, entities: pl.DataFrame) -> pl.DataFrame:
    """公共服务设施: the city's hospitals and schools (public institutions of the entity register, by name) and a
    government service hall in each division, with a location, opening hours and the public switchboard."""
    rng = streams.get("open:facilities")
    kinds = entities.filter(pl.col("status") == "存续").with_columns(
        pl.when(pl.col("name").str.contains("医院|卫生院")).then(pl.lit("医院"))
        .when(pl.col("name").str.contains("学校|小学|中学|幼儿园")).then(pl.lit("学校")).alias("类型"))
    found = kinds.filter(pl.col("类型").is_not_null()).select("name", "类型", "district_code", "address")
    names = {d.code: d.name for d in DISTRICTS}
    fixed = [(f"{names[c]}政务服务中心", "政务服务中心", c) for c in CENTRES] + [
        (f"{names[c]}人民医院", "医院", c) for c in CENTRES if c != "130302"] + [
        (n, "医院", "130302") for n in ("秦皇岛市第一医院", "秦皇岛市第二医院", "秦皇岛市中医医院",
                                        "秦皇岛市妇幼保健院")]
    halls = pl.DataFrame({"name": [f[0] for f in fixed], "类型": [f[1] for f in fixed],
                          "district_code": [f[2] for f in fixed],
                          "address": [f"河北省秦皇岛市{names[f[2]]}" for f in fixed]})
    frame = pl.concat([found, halls]).sort("district_code", "类型", "name")
    lon, lat = zip(*(tuple(float(v[0]) for v in _jitter(rng, c, 1)) for c in frame["district_code"]), strict=True)
    phones = [f"0335-{rng.integers(3000000, 8999999)}" for _ in range(frame.height)]
    return frame.select(pl.col("name").alias("设施名称"), "类型", pl.col("district_code").alias("区划"),
                        pl.col("address").alias("地址")).with_columns(
        pl.Series("经度", lon), pl.Series("纬度", lat),
        pl.col("类型").replace_strict(HOURS).alias("开放时间"), pl.Series("咨询电话", phones))


def entity_registrations(entities: pl.DataFrame) -> pl.DataFrame:
    """市场主体登记（公示信息）: what the enterprise credit publicity system shows of each market entity."""
    return entities.select(pl.col("credit_code").alias("统一社会信用代码"), pl.col("name").alias("企业名称"),
                           pl.col("kind").alias("类型"), pl.col("district_code").alias("区划"),
                           pl.col("industry").alias("行业"), pl.col("founded_on").cast(pl.Date).alias("成立日期"),
                           pl.col("status").alias("登记状态"))
