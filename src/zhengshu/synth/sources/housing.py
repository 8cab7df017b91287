"""市住建局 房产登记: the housing bureau's property register, one row per property (subject: the owner).
Most households own their home, registered to the household head; some heads own a second flat or a shop.
Owners who have since died or left stay on the register. Certificates issued since the unified real
estate register (2016) have numbers like 冀（2021）秦皇岛市不动产权第0012345号, older ones the former
房屋所有权证 numbers. A CSV in UTF-8 with a byte order mark, as Excel saves it."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.people import addresses, full_address
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市住建局"
NAME = "房产登记"
UNIFIED_FROM = np.datetime64("2016-01-01")  # 不动产统一登记 in Hebei
TODAY = np.datetime64(AS_OF, "D")
URBAN = [d.code for d in DISTRICTS if d.urban]
REGISTRY = {"130302": "秦皇岛市", "130303": "秦皇岛市", "130304": "秦皇岛市", "130306": "秦皇岛市抚宁区",
            "130321": "青龙满族自治县", "130322": "昌黎县", "130324": "卢龙县"}  # the registry that numbers it


def build(city: TrueCity) -> Output:
    rng = city.streams.get(f"cover:{DEPARTMENT}:{NAME}")
    heads = city.people.filter(pl.col("relation") == "户主")
    n = len(heads)
    urban = np.isin(heads["district_code"].to_numpy(), URBAN)
    owns = rng.random(n) < np.where(urban, 0.78, 0.9)
    second = owns & (rng.random(n) < 0.12)
    index = {d.code: i for i, d in enumerate(DISTRICTS)}
    other = heads.filter(pl.Series(second))
    where = other["district_code"].replace_strict(index).to_numpy()
    shop = rng.random(len(other)) < 0.3
    detail = addresses(city.streams.get(f"cover:{DEPARTMENT}:second-homes"), where)
    detail = pl.Series(detail).str.replace(r"\d+栋\d+单元(\d+)室$", "${1}商铺").to_numpy()
    detail = np.where(shop & ~np.char.endswith(detail.astype(str), "商铺"), detail + "门市", detail)
    names = np.asarray([d.name for d in DISTRICTS], dtype=object)
    rows = pl.concat([
        heads.filter(pl.Series(owns)).with_columns(坐落=pl.col("address"), 用途=pl.lit("住宅"), home=pl.lit(True)),
        other.with_columns(坐落=pl.Series(full_address(names[where], detail)),
                           用途=pl.Series(np.where(shop, "商业", "住宅")), home=pl.lit(False)),
    ]).sort("household_id", "home", descending=[False, True], maintain_order=True)
    m = len(rows)
    birth = rows["birth_date"].to_numpy()
    lo = np.maximum(birth + np.timedelta64(8400, "D"), np.datetime64("1998-01-01"))  # bought at 23 or later
    gone = rows["status_on"].to_numpy()
    hi = np.where(np.isnat(gone), TODAY, gone)
    lo = np.minimum(lo, hi)
    registered = lo + (rng.random(m) * (hi - lo).astype(int)).astype("timedelta64[D]")
    code = rows["district_code"].to_numpy()
    frame = rows.select(registry=pl.col("district_code").replace_strict(REGISTRY),
                        district=pl.col("district_code").replace_strict({d.code: d.name for d in DISTRICTS}),
                        year=pl.Series(registered.astype("datetime64[Y]").astype(int) + 1970),
                        new=pl.Series(registered >= UNIFIED_FROM), gap=pl.Series(rng.integers(1, 40, m)))
    serial = pl.col("gap").cum_sum().over("registry", "new", "year")  # rising: certificates left out between
    numbers = frame.select(pl.when(pl.col("new")).then(pl.format(
        "冀（{}）{}不动产权第{}号", "year", "registry", serial.cast(pl.String).str.zfill(7))).otherwise(pl.format(
        "秦房权证{}字第{}{}号", "district", "year", serial.cast(pl.String).str.zfill(6))))
    homes = rows["home"].to_numpy()
    area = np.where(rows["用途"].to_numpy() == "商业", rng.lognormal(np.log(60), 0.5, m),
                    rng.lognormal(np.log(np.where(np.isin(code, URBAN), 85, 110)), 0.3, m))
    table = (
        city.builder(DEPARTMENT, NAME, "person", rows["person_id"].to_numpy())
        .column("不动产权证号", numbers.to_series().to_numpy())
        .column("权利人", rows["name"].to_numpy()).column("证件号码", rows["id_number"].to_numpy())
        .column("坐落", rows["坐落"].to_numpy())
        .column("建筑面积", np.char.mod("%.2f", np.round(area, 2)))
        .column("用途", rows["用途"].to_numpy())
        .dates("登记日期", registered, "iso")
    )
    previous = np.where(homes, rows["previous_address"].to_numpy(), None)
    table.typo("权利人").traditional("权利人").stray_space("权利人").id_number("证件号码").full_width("证件号码")
    table.stale_address("坐落", previous).address("坐落").missing("建筑面积")
    status = rows["status"].to_numpy()
    table.mark(np.flatnonzero(status == "死亡"), "subject:deceased").mark(np.flatnonzero(status == "迁出"),
                                                                        "subject:left")
    return [(table.build(), FileFormat("csv", "utf-8-sig"))]
