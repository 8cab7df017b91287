"""市统计局 主要经济指标: monthly indicators of each district, 2019年1月 to 2026年5月 (地区生产总值 by quarter), as
the bureau's XLSX with a title row. Values follow each district's population in the truth, a per-head level
for the indicator and district (the port in 海港区, heavy industry in 山海关区, tourism in 北戴河区), a trend,
a seasonal shape (春节 slows factories, investment piles up in December, the beaches fill 北戴河区 and
山海关区 in July and August) and noise; 居民消费价格指数 follows the national path. A few planted anomalies
(a sudden drop, a spike, a value keyed in ten times too large) carry the mark "本期值:anomaly".
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市统计局"
MONTHS = np.arange("2018-01", "2026-06", dtype="datetime64[M]")  # 2018 only to give 2019 its 同比
FIRST = 12
SPRING_FESTIVAL = {2018: 2, 2019: 2, 2020: 1, 2021: 2, 2022: 2, 2023: 1, 2024: 2, 2025: 1, 2026: 2}  # its month
# 指标: (单位, 万 per head a year, growth a year, noise, monthly shape, level by district in DISTRICTS order,
#        effect of the 春节 month); 地区生产总值 is quarterly (its shape by quarter)
VOLUMES = {
    "地区生产总值": ("万元", 6.5, 0.055, 0.02, (0.86, 0.98, 1.02, 1.14), (1.45, 0.9, 1.6, 0.85, 0.55, 0.8, 0.6), 1),
    "规模以上工业增加值": ("万元", 1.5, 0.06, 0.04, (0.85, 0.85, 1, 1, 1, 1.02, 0.98, 0.98, 1.02, 1, 1.05, 1.15),
                           (1.2, 1.3, 0.2, 1.3, 0.6, 1.0, 0.9), 0.75),
    "固定资产投资": ("万元", 3.0, 0.03, 0.08, (0.35, 0.45, 0.85, 0.95, 1, 1.15, 0.95, 0.95, 1, 1, 1.1, 1.75),
                     (1.3, 1.0, 1.2, 1.0, 0.7, 0.9, 0.8), 0.9),
    "社会消费品零售总额": ("万元", 2.5, 0.05, 0.03, (1.05, 1, 0.95, 0.95, 1, 1, 1.02, 1.02, 1, 1.05, 1.1, 1.15),
                           (1.6, 1.0, 1.8, 0.7, 0.45, 0.7, 0.5), 1.12),
    "进出口总额": ("万美元", 0.35, 0.04, 0.10, (0.9, 0.8, 1, 1, 1, 1, 1.05, 1.05, 1, 1, 1.05, 1.15),
                   (2.2, 1.5, 0.2, 0.8, 0.2, 0.6, 0.3), 0.8),
}
TOURISM = {  # retail in the seaside districts, by month
    "130304": (1, 1, 1, 1, 1.1, 1.4, 2.6, 2.4, 1.2, 1.1, 0.9, 0.9),
    "130303": (1, 1, 1, 1.05, 1.2, 1.2, 1.7, 1.6, 1.1, 1.3, 0.95, 0.95),
}
CPI_PATH = (("2018-01", 101.5), ("2019-06", 102.7), ("2020-01", 105.4), ("2020-11", 99.5), ("2021-11", 102.3),
            ("2022-09", 102.8), ("2023-06", 100.0), ("2023-11", 99.5), ("2024-06", 100.2), ("2025-09", 99.7),
            ("2026-05", 100.6))
UNEMPLOYMENT_PATH = (("2018-01", 5.0), ("2020-06", 5.6), ("2022-06", 5.5), ("2023-06", 5.2), ("2026-05", 5.1))
ANOMALIES = (("drop", 0.3, 0.5), ("spike", 2.2, 3.0), ("x10", 10, 10))


def build(city: TrueCity) -> Output:
    rng = city.streams.get(f"cover:{DEPARTMENT}:主要经济指标")
    counts = city.people.filter(pl.col("status") == "正常")["district_code"].value_counts()
    people = dict(zip(counts["district_code"], counts["count"], strict=True))
    population = np.asarray([max(people.get(d.code, 0), 1) for d in DISTRICTS], dtype=float)  # never empty
    year = MONTHS.astype("datetime64[Y]").astype(int) + 1970
    month = MONTHS.astype(int) % 12
    t = np.arange(len(MONTHS))
    festival = np.asarray([SPRING_FESTIVAL[y] for y in year]) == month + 1
    series = []  # (指标, district, month index of each value, values, 单位, values a year: 12, 4, or 0 for rates)
    for name, (unit, per_head, growth, noise, shape, level, effect) in VOLUMES.items():
        for d, district in enumerate(DISTRICTS):
            rate = growth + rng.normal(0, 0.015)
            drift = np.exp(np.cumsum(rng.normal(0, 0.005, len(t))))
            season = np.asarray(shape)[month // 3 if len(shape) == 4 else month]
            if name == "社会消费品零售总额":
                season = season * np.asarray(TOURISM.get(district.code, (1,) * 12))[month]
            if name == "地区生产总值" and district.code in TOURISM:
                season = season * np.where(month // 3 == 2, 1.1, 1)
            value = (population[d] * per_head * level[d] / 12 * (1 + rate) ** (t / 12) * drift * season
                     * np.where(festival, effect, 1) * rng.lognormal(0, noise, len(t)))
            if len(shape) == 4:  # a quarter's value, reported at its last month
                value = value[: len(t) // 3 * 3].reshape(-1, 3).sum(axis=1)
                series.append((name, d, np.arange(len(value)) * 3 + 2, value, unit, 4))
            else:
                series.append((name, d, t, value, unit, 12))
    cpi = np.interp(t, *_path(CPI_PATH))
    jobs = np.interp(t, *_path(UNEMPLOYMENT_PATH)) + np.where(month == 1, 0.2, np.where(month == 6, 0.15, 0))
    for d in range(len(DISTRICTS)):
        series.append(("居民消费价格指数", d, t, cpi + rng.normal(0, 0.2) + rng.normal(0, 0.15, len(t)),
                       "上年同月=100", 0))
        series.append(("城镇调查失业率", d, t, jobs + rng.normal(0, 0.25) + rng.normal(0, 0.1, len(t)), "%", 0))

    marks = _plant(rng, series)
    rows = []
    for s, (name, d, when, value, unit, lag) in enumerate(series):
        change = np.full(len(value), None, dtype=object)
        if lag:  # against the same month or quarter a year before, as reported then
            change[lag:] = np.char.mod("%.1f", value[lag:] / value[:-lag] * 100 - 100)
        keep = when >= FIRST
        rows.append(pl.DataFrame({
            "when": when[keep], "district": np.full(keep.sum(), d), "series": np.full(keep.sum(), s),
            "indicator": [name] * keep.sum(), "unit": [unit] * keep.sum(),
            "value": np.char.mod("%.2f" if lag else "%.1f", value[keep]), "change": change[keep],
            "anomaly": np.isin(np.flatnonzero(keep), marks.get(s, [])),
            "quarterly": [lag == 4] * keep.sum()}, schema_overrides={"change": pl.String}))
    frame = pl.concat(rows).sort("when", "district", "series")
    when = MONTHS[frame["when"].to_numpy()]
    y, m = when.astype("datetime64[Y]").astype(int) + 1970, when.astype(int) % 12 + 1
    y, m, q = (a.astype(str).astype(object) for a in (y, m, (m + 2) // 3))
    period = np.where(frame["quarterly"].to_numpy(), y + "年第" + q + "季度", y + "年" + m + "月")
    district = frame["district"].to_numpy()
    table = (
        city.builder(DEPARTMENT, "主要经济指标", "district", np.asarray([x.code for x in DISTRICTS])[district])
        .column("地区代码", np.asarray([x.code for x in DISTRICTS])[district])
        .column("地区", np.asarray([x.name for x in DISTRICTS])[district])
        .column("指标", frame["indicator"].to_numpy())
        .column("期别", period)
        .column("本期值", frame["value"].to_numpy())
        .column("单位", frame["unit"].to_numpy())
        .column("同比增长(%)", frame["change"].to_numpy())
    )
    table.mark(np.flatnonzero(frame["anomaly"].to_numpy()), "本期值:anomaly")
    table.stray_space("地区").full_width("地区代码").missing("同比增长(%)")
    return [(table.build(), FileFormat("xlsx", title="秦皇岛市分县区主要经济指标（2019年1月—2026年5月）"))]


def _path(points: tuple) -> tuple[np.ndarray, np.ndarray]:
    when = [(np.datetime64(p, "M") - MONTHS[0]).astype(int) for p, _ in points]
    return np.asarray(when), np.asarray([v for _, v in points])


def _plant(rng: np.random.Generator, series: list) -> dict[int, list[int]]:
    """Scale a few monthly values in distinct series: {series: [time index]}; each kind at least once."""
    monthly = [s for s, entry in enumerate(series) if entry[5] == 12]
    count = int(rng.integers(4, 7))
    chosen = rng.choice(monthly, count, replace=False)
    marks = {}
    for i, s in enumerate(chosen):
        _, low, high = ANOMALIES[i] if i < len(ANOMALIES) else ANOMALIES[int(rng.integers(0, len(ANOMALIES)))]
        when = int(rng.integers(24, 24 + 72))  # 2020 to 2025: a year on either side to compare with
        series[s][3][when] *= rng.uniform(low, high)
        marks[int(s)] = [when]
    return marks
