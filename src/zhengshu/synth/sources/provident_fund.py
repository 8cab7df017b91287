"""市公积金中心 缴存: the housing provident fund centre's individual accounts, one row per account (subject:
the account holder). About seven in ten employees have one, through their employer (nearly all in public
institutions and companies, few in individual businesses); accounts of people who left the city stay,
sealed (封存) or closed (销户). Read from the centre's live system, here a SQLite database."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.config import AS_OF
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市公积金中心"
NAME = "个人缴存账户"
TAKE_UP = {"91": 0.8, "92": 0.25, "93": 0.3, "12": 0.98, "51": 0.7, "52": 0.6}  # by kind of employer
RATES = (0.05, 0.08, 0.10, 0.12)  # 缴存比例, paid by the employee and again by the employer
FLOOR, CEILING = 2000, 26000  # 缴存基数 limits, yuan per month
TODAY = np.datetime64(AS_OF, "D")
OPENED_FROM = np.datetime64("1999-01-01")


def build(city: TrueCity) -> Output:
    p, entities = city.people, city.entities
    rng = city.streams.get(f"cover:{DEPARTMENT}:{NAME}")
    units = entities.select(pl.col("credit_code").alias("employer_credit_code"), "kind_code",
                            pl.col("name").alias("unit"), pl.col("founded_on").alias("founded"))
    # people who left the city keep the account of a former employer
    age = (TODAY - p["birth_date"].to_numpy()).astype(int) / 365.25
    former = (p["status"] == "迁出").to_numpy() & (age >= 22) & (age < 60) & (rng.random(len(p)) < 0.4)
    open_units = entities.filter(pl.col("status") == "存续")["credit_code"].to_numpy()
    former_unit = pl.when(pl.Series(former)).then(pl.Series(open_units[rng.integers(0, len(open_units), len(p))]))
    holders = (p.with_columns(employer_credit_code=former_unit.otherwise(pl.col("employer_credit_code")))
               .filter(pl.col("employer_credit_code").is_not_null())
               .join(units, on="employer_credit_code", how="left", maintain_order="left"))
    take_up = holders["kind_code"].replace_strict(TAKE_UP, return_dtype=pl.Float64).to_numpy()
    left = (holders["status"] == "迁出").to_numpy()
    holders = holders.filter(pl.Series(left | (rng.random(len(holders)) < take_up)))
    n = len(holders)
    left = (holders["status"] == "迁出").to_numpy()

    birth = holders["birth_date"].to_numpy()
    lo = np.maximum(np.maximum(birth + np.timedelta64(6575, "D"), OPENED_FROM), holders["founded"].to_numpy())
    gone = holders["status_on"].to_numpy()
    hi = np.where(np.isnat(gone), TODAY, gone)
    lo = np.minimum(lo, hi)
    opened = lo + (rng.random(n) * (hi - lo).astype(int)).astype("timedelta64[D]")
    base = np.clip(np.round(rng.lognormal(np.log(5500), 0.4, n)), FLOOR, CEILING)
    monthly = 2 * np.round(base * np.asarray(RATES)[rng.choice(len(RATES), n, p=(0.3, 0.2, 0.2, 0.3))])
    state = np.where(left, np.where(rng.random(n) < 0.6, "封存", "销户"),
                     np.where(rng.random(n) < 0.04, "封存", "正常"))
    account = np.char.add("1303", np.char.zfill(rng.choice(10**8, n, replace=False).astype(str), 8))
    table = (
        city.builder(DEPARTMENT, NAME, "person", holders["person_id"].to_numpy())
        .column("个人账号", account).column("姓名", holders["name"].to_numpy())
        .column("证件类型", np.full(n, "身份证", dtype=object)).column("证件号码", holders["id_number"].to_numpy())
        .column("单位名称", holders["unit"].to_numpy())
        .column("缴存基数", np.char.mod("%.2f", base)).column("月缴存额", np.char.mod("%.2f", monthly))
        .column("账户状态", state).dates("开户日期", opened, "iso")
    )
    table.typo("姓名").traditional("姓名").stray_space("姓名").id_number("证件号码").full_width("证件号码")
    table.stray_space("单位名称").missing("开户日期")
    status = holders["status"].to_numpy()
    table.mark(np.flatnonzero(status == "死亡"), "subject:deceased").mark(np.flatnonzero(status == "迁出"),
                                                                        "subject:left")
    return [(table.build(), FileFormat("sqlite"))]
