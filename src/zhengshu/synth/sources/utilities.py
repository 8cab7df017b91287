"""水电气暖: the four utility companies' household accounts (用水户, 用电户, 用气户, 供热户), one row per
account and at most one account per household (subject: the account holder, usually the household head,
sometimes the spouse). Utilities know no ID numbers: an account is a number, a name, a phone and an
address. Accounts are rarely transferred, so they stay in the name of a holder who has died or left, and
at a mover's old address. Gas reaches few villages and central heating only the urban districts.
Each company sends its own file format: CSV in UTF-8, CSV in GB18030, Excel with a title row, JSON Lines."""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.geography import DISTRICTS
from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.writers import FileFormat

URBAN = [d.code for d in DISTRICTS if d.urban]
# (company, table, share of urban households, share of rural households, account prefix, digits, format)
COMPANIES = (
    ("秦皇岛市自来水公司", "用水户", 0.99, 0.75, "2", 7, FileFormat("csv", "utf-8")),
    ("国网秦皇岛供电公司", "用电户", 0.995, 0.99, "03", 8, FileFormat("csv", "gb18030")),
    ("秦皇岛市燃气公司", "用气户", 0.85, 0.3, "RQ", 8,
     FileFormat("xlsx", title="秦皇岛市燃气公司居民用户信息表")),
    ("秦皇岛市热力公司", "供热户", 0.8, 0.0, "RL", 7, FileFormat("jsonl")),
)
SPOUSE_HOLDS = 0.12
FIELDS = ("person_id", "name", "phone", "status")


def _holders(city: TrueCity) -> pl.DataFrame:
    """Each household's head, its spouse (s_* columns, empty when none), address and previous address."""
    p = city.people
    spouse = p.filter(pl.col("relation") == "配偶").select("household_id", *(pl.col(f).alias(f"s_{f}") for f in FIELDS))
    return (p.filter(pl.col("relation") == "户主")
            .select("household_id", "district_code", "address", "previous_address", *FIELDS)
            .join(spouse, on="household_id", how="left", maintain_order="left"))


def build(city: TrueCity) -> Output:
    households = _holders(city)
    urban = households["district_code"].is_in(URBAN).to_numpy()
    out: Output = []
    for company, name, urban_share, rural_share, prefix, digits, fmt in COMPANIES:
        rng = city.streams.get(f"cover:{company}:{name}")
        covered = rng.random(len(households)) < np.where(urban, urban_share, rural_share)
        spouse_holds = rng.random(len(households)) < SPOUSE_HOLDS
        accounts = households.filter(pl.Series(covered)).with_columns(
            *(pl.when(pl.Series(spouse_holds[covered]) & pl.col("s_person_id").is_not_null())
              .then(pl.col(f"s_{f}")).otherwise(pl.col(f)).alias(f"holder_{f}") for f in FIELDS))
        n = len(accounts)
        number = np.cumsum(rng.integers(1, 30, n)) + 10 ** (digits - 1)  # opened in order, some closed since
        table = (
            city.builder(company, name, "person", accounts["holder_person_id"].to_numpy())
            .column("户号", np.char.add(prefix, number.astype(str)))
            .column("户名", accounts["holder_name"].to_numpy())
            .column("联系电话", accounts["holder_phone"].to_numpy())
            .column("用户地址", accounts["address"].to_numpy())
        )
        table.typo("户名").traditional("户名").stray_space("户名").phone("联系电话")
        table.stale_address("用户地址", accounts["previous_address"].to_numpy()).address("用户地址")
        table.missing("联系电话")
        status = accounts["holder_status"].to_numpy()
        table.mark(np.flatnonzero(status == "死亡"), "subject:deceased").mark(np.flatnonzero(status == "迁出"),
                                                                            "subject:left")
        out.append((table.build(), fmt))
    return out
