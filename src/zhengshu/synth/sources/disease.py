"""市卫健委 法定传染病日报: new cases of notifiable diseases reported each day in each district, 2025-01-01 to
AS_OF (a row for every day, district and disease, zeros included), a UTF-8 CSV from the reporting system.

Counts are Poisson around a rate per 100,000 residents of the district (its population in the truth), shaped
by each disease's season (influenza in winter, 手足口病 in early summer, diarrhoea in summer, 水痘 and 猩红热
in school terms, a summer wave of COVID-19), fewer reports at weekends and over 春节, and a little
overdispersion. Three to five planted outbreaks (a few days to two weeks of sharply raised counts of one
disease in one district) carry the mark "新增病例数:outbreak".
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市卫健委"
DAYS = np.arange(np.datetime64("2025-01-01"), np.datetime64(AS_OF, "D") + 1)
SPRING_FESTIVAL = (("2025-01-28", "2025-02-04"), ("2026-02-15", "2026-02-23"))  # the holiday weeks


def _bump(doy: np.ndarray, centre: float, width: float) -> np.ndarray:
    """A seasonal peak around day-of-year `centre`, wrapping over the new year."""
    distance = (doy - centre + 182.5) % 365 - 182.5
    return np.exp(-((distance / width) ** 2))


# 病种: (cases per 100,000 residents a day on average, seasonal shape by day of year, can have an outbreak)
DISEASES = {
    "流行性感冒": (2.0, lambda d: 0.15 + 3.0 * _bump(d, 15, 40), True),
    "手足口病": (0.3, lambda d: 0.3 + 2.5 * _bump(d, 160, 35) + 0.8 * _bump(d, 285, 25), True),
    "其它感染性腹泻病": (0.35, lambda d: 0.7 + 0.8 * _bump(d, 210, 40) + 0.3 * _bump(d, 10, 30), True),
    "水痘": (0.15, lambda d: 0.6 + 0.8 * _bump(d, 120, 40) + 1.0 * _bump(d, 340, 40), True),
    "流行性腮腺炎": (0.03, lambda d: 0.6 + 0.8 * _bump(d, 130, 45), True),
    "猩红热": (0.03, lambda d: 0.4 + 1.0 * _bump(d, 150, 35) + 1.2 * _bump(d, 350, 35), False),
    "新型冠状病毒感染": (0.15, lambda d: 0.5 + 2.0 * _bump(d, 225, 25) + 0.6 * _bump(d, 120, 20), False),
    "肺结核": (0.12, lambda d: 1.0 + 0.0 * d, False),
}


def build(city: TrueCity) -> Output:
    rng = city.streams.get(f"cover:{DEPARTMENT}:法定传染病日报")
    counts = city.people.filter(pl.col("status") == "正常")["district_code"].value_counts()
    people = dict(zip(counts["district_code"], counts["count"], strict=True))
    population = np.asarray([people.get(d.code, 0) for d in DISTRICTS], dtype=float)
    doy = (DAYS - DAYS.astype("datetime64[Y]")).astype(int)
    weekday = (DAYS.astype(int) + 3) % 7  # 0 is Monday
    holiday = np.zeros(len(DAYS), dtype=bool)
    for start, end in SPRING_FESTIVAL:
        holiday |= (np.datetime64(start) <= DAYS) & (np.datetime64(end) >= DAYS)
    reporting = np.where(weekday >= 5, 0.75, 1.0) * np.where(holiday, 0.5, 1.0)
    grid = np.arange(len(DAYS))
    days_year = np.arange(365)

    names = list(DISEASES)
    rate = np.empty((len(DISTRICTS), len(names), len(DAYS)))  # expected cases
    for k, (per_100k, season, _) in enumerate(DISEASES.values()):
        shape = season(doy) / season(days_year).mean()
        local = rng.lognormal(0, 0.15, len(DISTRICTS))  # some districts report more than others
        rate[:, k] = population[:, None] / 1e5 * per_100k * local[:, None] * shape * reporting
    outbreak = np.zeros(rate.shape, dtype=bool)
    candidates = [(d, k) for d in range(len(DISTRICTS)) for k, v in enumerate(DISEASES.values()) if v[2]]
    for i in rng.choice(len(candidates), int(rng.integers(3, 6)), replace=False):
        d, k = candidates[i]
        length = int(rng.integers(4, 15))
        start = int(rng.integers(0, len(DAYS) - length))
        days = grid[start:start + length]
        peak = max(8.0, 5 * rate[d, k, days].mean())  # sharply raised, in a small district too
        rate[d, k, days] += peak * (0.5 + 0.5 * np.sin(np.pi * (np.arange(length) + 0.5) / length))
        outbreak[d, k, days] = True
    cases = rng.poisson(rate * rng.gamma(20, 1 / 20, rate.shape))

    # rows by day, then district, then disease
    order = np.moveaxis(np.indices(rate.shape), 0, -1).transpose(2, 0, 1, 3).reshape(-1, 3)
    d, k, day = order[:, 0], order[:, 1], order[:, 2]
    codes = np.asarray([x.code for x in DISTRICTS], dtype=object)
    table = (
        city.builder(DEPARTMENT, "法定传染病日报", "district", codes[d])
        .dates("日期", DAYS[day], "iso")
        .column("地区代码", codes[d])
        .column("地区", np.asarray([x.name for x in DISTRICTS], dtype=object)[d])
        .column("病种", np.asarray(names, dtype=object)[k])
        .column("新增病例数", cases[d, k, day].astype(str).astype(object))
    )
    table.mark(np.flatnonzero(outbreak[d, k, day]), "新增病例数:outbreak")
    table.stray_space("地区").missing("地区代码", "新增病例数")
    return [(table.build(), FileFormat("csv", "utf-8"))]
