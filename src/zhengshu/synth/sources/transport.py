"""市交通运输局 公交卡: the transport bureau's registered bus cards (秦皇岛通), one row per card (subject: the
cardholder). Over half of the people aged 7 and over hold one, more in the urban districts; pupils get a
student card and people of 60 and over an elderly card (some keep an ordinary card bought earlier).
A card is registered with a name and a phone (a parent's for a child under 12), never an ID number, and is
not cancelled when its holder dies or leaves. A GB18030 CSV, dates as the card system writes them."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市交通运输局"
NAME = "公交卡持卡人"
URBAN_SHARE, RURAL_SHARE = 0.7, 0.4  # of people aged 7 and over holding a card (about 55% overall)
CARDS_FROM = np.datetime64("2009-01-01")
TODAY = np.datetime64(AS_OF, "D")


def build(city: TrueCity) -> Output:
    p = city.people
    rng = city.streams.get(f"cover:{DEPARTMENT}:{NAME}")
    birth = p["birth_date"].to_numpy()
    age = (TODAY - birth).astype(int) / 365.25
    urban = p["district_code"].is_in([d.code for d in DISTRICTS if d.urban]).to_numpy()
    holds = (age >= 7) & (rng.random(len(p)) < np.where(urban, URBAN_SHARE, RURAL_SHARE))
    head_phone = (p.filter(pl.col("relation") == "户主")
                  .select("household_id", pl.col("phone").alias("head_phone")))
    cards = (p.filter(pl.Series(holds))
             .join(head_phone, on="household_id", how="left", maintain_order="left"))
    n = len(cards)
    age = age[holds]
    birth = birth[holds]
    kind = np.select([age < 19, (age >= 60) & (rng.random(n) < 0.85)], ["学生卡", "老年卡"], "普通卡")
    since = np.where(kind == "老年卡", 60, 7) * 365.25  # an elderly card is issued from the age of 60
    lo = np.maximum(birth + since.astype("timedelta64[D]"), CARDS_FROM)
    gone = cards["status_on"].to_numpy()
    hi = np.where(np.isnat(gone), TODAY, gone)
    lo = np.minimum(lo, hi)
    opened = lo + (rng.random(n) * (hi - lo).astype(int)).astype("timedelta64[D]")
    phone = np.where(age < 12, cards["head_phone"].to_numpy(), cards["phone"].to_numpy())
    number = np.char.add("31030", np.char.zfill(rng.choice(10**10, n, replace=False).astype(str), 10))
    order = np.argsort(opened, kind="stable")  # the card system lists cards as they were sold
    table = (
        city.builder(DEPARTMENT, NAME, "person", cards["person_id"].to_numpy()[order])
        .column("卡号", number[order]).column("持卡人姓名", cards["name"].to_numpy()[order])
        .column("手机号", phone[order]).column("卡类型", kind[order]).dates("开卡日期", opened[order], "slash")
    )
    table.typo("持卡人姓名").traditional("持卡人姓名").stray_space("持卡人姓名").phone("手机号").missing("手机号")
    status = cards["status"].to_numpy()[order]
    table.mark(np.flatnonzero(status == "死亡"), "subject:deceased").mark(np.flatnonzero(status == "迁出"),
                                                                        "subject:left")
    return [(table.build(), FileFormat("csv", "gb18030"))]
