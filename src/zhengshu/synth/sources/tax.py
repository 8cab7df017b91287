"""市税务局 纳税信息: what each open entity was assessed and paid, per tax and per year 2023–2025 (from the year it
was founded), with its 纳税信用等级 for that year; a GB18030 CSV as the tax system's query exports it.

Companies declare 增值税, 企业所得税 (5% effective for small low-profit firms), 城市维护建设税 (7% of VAT in the
urban districts, 5% elsewhere, halved for small firms) and withhold 个人所得税 from wages; individual
businesses pay 增值税 above the monthly threshold and 个人所得税（经营所得）; cooperatives' farm produce is
exempt. Zero declarations (零申报) are kept. A few entity-years are in arrears (实缴 < 应纳), most of them
rated C or D. Individual businesses and institutions are not rated (empty grade).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.synth.sources import Output, TrueCity
from zhengshu.synth.sources.market import money
from zhengshu.synth.writers import FileFormat

DEPARTMENT = "市税务局"
YEARS = (2023, 2024, 2025)
TAXES = ("增值税", "企业所得税", "城市维护建设税", "个人所得税（经营所得）", "个人所得税（代扣代缴）")
URBAN = ("130302", "130303", "130304")
GRADES = np.asarray(["A", "B", "M", "C", "D"], dtype=object)
GRADE_SHARES = (0.12, 0.68, 0.12, 0.05, 0.03)


def build(city: TrueCity) -> Output:
    e = city.entities.filter(pl.col("status") == "存续")
    rng = city.streams.get(f"cover:{DEPARTMENT}:纳税信息")
    n = len(e)
    kind, headcount = e["kind_code"].to_numpy(), e["headcount"].to_numpy()
    founded = e["founded_on"].to_numpy()
    # a yearly turnover (元) per entity, growing about 5% a year
    turnover = np.select([kind == "91", kind == "92"], [headcount * rng.lognormal(np.log(250_000), 0.8, n),
                         rng.lognormal(np.log(150_000), 0.9, n)], rng.lognormal(np.log(300_000), 1.0, n))
    vat_rate = np.where(kind == "91", rng.uniform(0.01, 0.04, n), 0.01)
    margin = rng.normal(0.05, 0.08, n)

    first_year = founded.astype("datetime64[Y]").astype(int) + 1970
    who = np.concatenate([np.flatnonzero(first_year <= y) for y in YEARS])
    year = np.concatenate([np.full((first_year <= y).sum(), y) for y in YEARS])
    m = len(who)
    k = kind[who]
    start = np.maximum(founded[who], (year - 1970).astype("datetime64[Y]").astype("datetime64[D]"))
    share = ((year + 1 - 1970).astype("datetime64[Y]").astype("datetime64[D]") - start).astype(int) / 365
    sales = turnover[who] * 1.05 ** (year - 2023) * rng.lognormal(0, 0.15, m) * share
    exempt = (k == "93") | ((k == "92") & (sales < 1_200_000 * share)) | np.isin(k, ["12", "51", "52"])
    vat = np.where(exempt, 0, sales * vat_rate[who])
    profit = np.maximum(sales * (margin[who] + rng.normal(0, 0.03, m)), 0)
    income_tax = profit * np.where(profit < 3_000_000, 0.05, 0.25)
    city_rate = np.where(np.isin(e["district_code"].to_numpy()[who], URBAN), 0.07, 0.05) * 0.5
    wages = headcount[who] * rng.lognormal(np.log(1500), 1.0, m) * share
    amounts = np.stack([vat, income_tax, vat * city_rate, sales * rng.uniform(0, 0.01, m), wages])
    due = np.stack([np.isin(k, ["91", "92", "93"]), k == "91", (k == "91") & (vat > 0), k == "92",
                    (headcount[who] >= 3) & (k != "92")])

    arrears = rng.random(m) < 0.03
    rated = np.isin(k, ["91", "93"])
    grade = GRADES[rng.choice(5, m, p=GRADE_SHARES)]
    grade = np.where(arrears, np.where(rng.random(m) < 0.7, "D", "C"), grade)
    grade = np.where(first_year[who] >= year, "M", grade)  # newly set up: no full year to rate
    grade = np.where(rated, grade, None)

    tax, row = np.nonzero(due)  # rows: entity-year × tax, then put in entity, year, tax order
    order = np.lexsort((tax, year[row], who[row]))
    tax, row = tax[order], row[order]
    assessed = np.round(amounts[tax, row], 2)
    paid = np.where(arrears[row], np.round(assessed * rng.uniform(0, 0.8, len(row)), 2), assessed)
    s = e[who[row]]
    period = np.datetime_as_string(start[row]).astype(object) + "至" + year[row].astype(str).astype(object) + "-12-31"
    table = (
        city.builder(DEPARTMENT, "纳税信息", "entity", s["entity_id"].to_numpy())
        .column("纳税人识别号", s["credit_code"].to_numpy())
        .column("纳税人名称", s["name"].to_numpy())
        .column("所属期", period)
        .column("税种", np.asarray(TAXES, dtype=object)[tax])
        .column("应纳税额（元）", money(assessed))
        .column("实缴税额（元）", money(paid))
        .column("纳税信用等级", grade[row])
    )
    table.credit_code("纳税人识别号").full_width("纳税人识别号").typo("纳税人名称").traditional("纳税人名称")
    table.stray_space("纳税人名称").missing("纳税信用等级")
    return [(table.build(), FileFormat("csv", "gb18030"))]
