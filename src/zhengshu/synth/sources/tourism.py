"""市旅游文广局 客房预订: hotel bookings gathered by the tourism, culture and broadcasting bureau from the
city's hotels over the last two years, one row per booking by a resident (subject: the guest; a guest may
book several times). The seaside summer is the high season. Hotels fill in the ID number carelessly: it is
often left out, often masked (130302********123X), and otherwise dirtier than elsewhere. JSON Lines."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市旅游文广局"
NAME = "酒店客房预订"
BOOKINGS_PER_RESIDENT = 0.03
HOTELS = ("秦皇岛金海湾大酒店", "北戴河海滨宾馆", "山海关古城国际酒店", "秦皇岛港城大酒店", "北戴河金山宾馆",
          "秦皇岛维景大酒店", "南戴河海景度假酒店", "昌黎黄金海岸度假酒店", "秦皇岛燕山大酒店", "北戴河中海滩宾馆")
MONTH_WEIGHTS = (2, 2, 3, 4, 6, 9, 16, 16, 7, 6, 3, 2)  # January to December
TODAY = np.datetime64(AS_OF, "D")
MISSING_ID, MASKED_ID = 0.15, 0.15


def build(city: TrueCity) -> Output:
    p = city.people
    rng = city.streams.get(f"cover:{DEPARTMENT}:{NAME}")
    age = (TODAY - p["birth_date"].to_numpy()).astype(int) / 365.25
    gone = p["status_on"].to_numpy()
    adults = np.flatnonzero((age >= 18) & (age < 80) & (np.isnat(gone) | (gone > TODAY - 700)))
    n = int(len(p) * BOOKINGS_PER_RESIDENT)
    guests = p[np.sort(adults[rng.integers(0, len(adults), n)])]
    days = np.arange(TODAY - 730, TODAY)
    weight = np.asarray(MONTH_WEIGHTS, dtype=float)[days.astype("datetime64[M]").astype(int) % 12]
    arrive = days[rng.choice(len(days), n, p=weight / weight.sum())]
    gone = guests["status_on"].to_numpy()
    late = ~np.isnat(gone) & (arrive >= gone)  # a guest who has since died or left stayed before that
    arrive[late] = days[0] + (rng.random(late.sum()) * (gone[late] - days[0]).astype(int)).astype("timedelta64[D]")
    leave = arrive + rng.choice([1, 2, 3, 4], n, p=[0.5, 0.3, 0.15, 0.05]).astype("timedelta64[D]")
    local = city.entities.filter(pl.col("name").str.ends_with("宾馆"), pl.col("status") == "存续")["name"]
    hotels = np.asarray([*HOTELS, *local.to_list()], dtype=object)
    big = rng.random(n) < 0.6  # most bookings are in the large hotels
    hotel = np.where(big, hotels[rng.integers(0, len(HOTELS), n)], hotels[rng.integers(0, len(hotels), n)])
    order = np.argsort(arrive, kind="stable")
    serial = np.char.zfill(rng.choice(10**8, n, replace=False).astype(str), 8)
    stamp = np.char.replace(np.datetime_as_string(arrive, unit="D"), "-", "")
    table = (
        city.builder(DEPARTMENT, NAME, "person", guests["person_id"].to_numpy()[order])
        .column("订单号", np.char.add(stamp, serial)[order])
        .column("入住人姓名", guests["name"].to_numpy()[order])
        .column("证件号码", guests["id_number"].to_numpy()[order])
        .column("手机号", guests["phone"].to_numpy()[order]).column("酒店名称", hotel[order])
        .dates("入住日期", arrive[order], "iso").dates("离店日期", leave[order], "iso")
    )
    ids, draw = table.columns["证件号码"], table.rng.random(n)
    masked = np.flatnonzero(draw < MASKED_ID)
    ids[masked] = [v[:6] + "********" + v[14:] for v in ids[masked]]
    table.mark(masked, "证件号码:masked")
    dropped = np.flatnonzero(draw > 1 - MISSING_ID)
    ids[dropped] = None
    table.mark(dropped, "证件号码:missing")
    table.id_number("证件号码").full_width("证件号码").stray_space("证件号码")
    table.typo("入住人姓名").traditional("入住人姓名").stray_space("入住人姓名").phone("手机号").missing("手机号")
    status = guests["status"].to_numpy()[order]
    table.mark(np.flatnonzero(status == "死亡"), "subject:deceased").mark(np.flatnonzero(status == "迁出"),
                                                                        "subject:left")
    return [(table.build(), FileFormat("jsonl"))]
