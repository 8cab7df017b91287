"""市民政局 婚姻登记: the civil affairs bureau's marriage and divorce registrations, one row per registration.
Married couples are the household heads and their spouses (most registered in the city); divorced people
are paired with a divorced person of the other sex and about their age, with the marriage before the
divorce. The subject of each row is the husband (a registration concerns two people; links record one).
Registrations before ID cards (1985) carry no numbers and older ones the 15-digit kind.
An Excel workbook with a title row, dates as Excel shows them (2019/5/20)."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市民政局"
NAME = "婚姻登记"
TODAY = np.datetime64(AS_OF, "D")
YEAR = 365.25
FIELDS = ("person_id", "name", "id_number", "birth_date", "status", "district_code")
ARCHIVE_FROM = np.datetime64("1980-01-01")
ID_CARDS_FROM, ID_UPGRADE = np.datetime64("1985-01-01"), np.datetime64("1999-10-01")


def _days(years: float) -> np.timedelta64:
    return np.timedelta64(int(years * YEAR), "D")


def _couples(p: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Married couples living together (husband's fields as h_*, wife's as w_*) and divorced pairs."""
    head = p.filter(pl.col("relation") == "户主").select("household_id", "sex", *FIELDS)
    spouse = p.filter(pl.col("relation") == "配偶").select("household_id", *(pl.col(f).alias(f"s_{f}") for f in FIELDS))
    pairs = head.join(spouse, on="household_id", how="inner", maintain_order="left")
    male = pl.col("sex") == "男"
    married = pairs.select(
        *(pl.when(male).then(pl.col(f)).otherwise(pl.col(f"s_{f}")).alias(f"h_{f}") for f in FIELDS),
        *(pl.when(male).then(pl.col(f"s_{f}")).otherwise(pl.col(f)).alias(f"w_{f}") for f in FIELDS),
    ).filter(pl.Series(rng.random(len(pairs)) < 0.9))
    divorced = p.filter(pl.col("marital_status") == "离婚")
    men, women = (divorced.filter(pl.col("sex") == s).select(FIELDS) for s in ("男", "女"))
    k = int(min(len(men), len(women)) * 0.7)
    men, women = (f[np.sort(rng.choice(len(f), k, replace=False))].sort("birth_date", maintain_order=True)
                  for f in (men, women))
    split = pl.concat([men.rename({f: f"h_{f}" for f in FIELDS}), women.rename({f: f"w_{f}" for f in FIELDS})],
                      how="horizontal")
    return pl.concat([married.with_columns(divorced=pl.lit(False)), split.with_columns(divorced=pl.lit(True))])


def build(city: TrueCity) -> Output:
    rng = city.streams.get(f"cover:{DEPARTMENT}:{NAME}")
    couples = _couples(city.people, rng)
    n = len(couples)
    lo = np.maximum(couples["h_birth_date"].to_numpy() + _days(22), couples["w_birth_date"].to_numpy() + _days(20))
    split = couples["divorced"].to_numpy()
    married_on = np.minimum(lo + (rng.exponential(3, n) * YEAR).astype("timedelta64[D]"),
                            np.where(split, TODAY - 400, TODAY - 1))
    of_age = married_on >= lo  # couples below the legal age (22 and 20) cannot have registered
    couples, married_on, split = couples.filter(pl.Series(of_age)), married_on[of_age], split[of_age]
    n = len(couples)
    apart_on = married_on + (rng.random(n) * (TODAY - married_on - 30).astype(int)).astype("timedelta64[D]") + 30
    events = pl.concat([
        couples.with_columns(登记类型=pl.lit("结婚"), 登记日期=pl.Series(married_on)),
        couples.filter(pl.Series(split)).with_columns(登记类型=pl.lit("离婚"), 登记日期=pl.Series(apart_on[split])),
    ]).sort("登记日期", maintain_order=True)
    archived = (events["登记日期"].to_numpy() >= ARCHIVE_FROM) | (rng.random(len(events)) < 0.3)
    events = events.filter(pl.Series(archived))  # most paper records before 1980 were never keyed in
    office = pl.col("h_district_code").replace_strict({d.code: d.name for d in DISTRICTS})
    letter = pl.when(pl.col("登记类型") == "结婚").then(pl.lit("J")).otherwise(pl.lit("L"))
    serial = pl.int_range(1, pl.len() + 1).over("登记类型", "h_district_code", pl.col("登记日期").dt.year())
    events = events.with_columns(
        证字号=pl.concat_str(letter, "h_district_code", pl.lit("-"), pl.col("登记日期").dt.year().cast(pl.String),
                             pl.lit("-"), serial.cast(pl.String).str.zfill(6)),
        登记机关=office + "民政局婚姻登记处")
    day = events["登记日期"].to_numpy()
    table = (
        city.builder(DEPARTMENT, NAME, "person", events["h_person_id"].to_numpy())
        .column("证字号", events["证字号"].to_numpy()).column("登记类型", events["登记类型"].to_numpy())
        .dates("登记日期", day, "slash")
    )
    for side, who in (("男方", "h"), ("女方", "w")):
        table.column(f"{side}姓名", events[f"{who}_name"].to_numpy())
        table.column(f"{side}身份证号", events[f"{who}_id_number"].to_numpy())
        ids = table.columns[f"{side}身份证号"]
        before_cards = np.flatnonzero(day < ID_CARDS_FROM)
        ids[before_cards] = None
        table.mark(before_cards, f"{side}身份证号:missing")
        old = np.flatnonzero((day >= ID_CARDS_FROM) & (day < ID_UPGRADE) & (table.rng.random(len(day)) < 0.4))
        ids[old] = [v[:6] + v[8:17] for v in ids[old]]
        table.mark(old, f"{side}身份证号:legacy_id")
        table.typo(f"{side}姓名").traditional(f"{side}姓名").stray_space(f"{side}姓名").id_number(f"{side}身份证号")
    table.column("登记机关", events["登记机关"].to_numpy()).missing("女方身份证号")
    status = events["h_status"].to_numpy()
    table.mark(np.flatnonzero(status == "死亡"), "subject:deceased").mark(np.flatnonzero(status == "迁出"),
                                                                        "subject:left")
    return [(table.build(), FileFormat("xlsx", title="秦皇岛市婚姻登记信息表"))]
