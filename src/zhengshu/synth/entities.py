"""The true legal entities (法人): enterprises, individual businesses, cooperatives, public institutions and
social organisations, each with a valid 统一社会信用代码, a legal representative who lives in the city, an
industry, capital, founding date and status; and who among the people works where.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.kernel.identifiers import ORG_WEIGHTS, USCC_CHARSET, USCC_WEIGHTS
from zhengshu.synth.config import AS_OF
from zhengshu.synth.geography import CITY_CODE, CITY_NAME, DISTRICTS, PROVINCE_NAME
from zhengshu.synth.people import addresses
from zhengshu.synth.streams import Streams

PEOPLE_PER_ENTITY = 12.5  # Qinhuangdao has about one market entity for every 12 to 13 residents

# (registration authority + type code, 中文, share, registered by)
KINDS = (
    ("92", "个体工商户", 0.575, "市场监督管理局"),
    ("91", "企业", 0.385, "市场监督管理局"),
    ("93", "农民专业合作社", 0.02, "市场监督管理局"),
    ("12", "事业单位", 0.01, "机构编制委员会办公室"),
    ("51", "社会团体", 0.005, "民政局"),
    ("52", "民办非企业单位", 0.005, "民政局"),
)
# GB/T 4754-2017 sections (门类) by kind of entity
INDUSTRIES = {
    "A": "农、林、牧、渔业", "C": "制造业", "E": "建筑业", "F": "批发和零售业", "G": "交通运输、仓储和邮政业",
    "H": "住宿和餐饮业", "I": "信息传输、软件和信息技术服务业", "K": "房地产业", "L": "租赁和商务服务业",
    "M": "科学研究和技术服务业", "O": "居民服务、修理和其他服务业", "P": "教育", "Q": "卫生和社会工作",
    "R": "文化、体育和娱乐业", "S": "公共管理、社会保障和社会组织",
}
INDUSTRY_MIX = {
    "91": {"C": 18, "F": 30, "E": 10, "L": 12, "I": 6, "K": 4, "G": 6, "H": 4, "M": 5, "A": 5},
    "92": {"F": 45, "H": 25, "O": 20, "G": 5, "R": 5},
    "93": {"A": 100},
    "12": {"P": 50, "Q": 35, "R": 15},
    "51": {"S": 100},
    "52": {"P": 60, "Q": 40},
}
TRADE_NAMES = "华兴盛达恒泰鑫源宏远海港秦皇长城燕山渤海金诚信和嘉瑞丰安康通顺佳美新星利民永昌"
SUFFIXES = {"C": "制造", "F": "商贸", "E": "建筑工程", "L": "企业管理咨询", "I": "网络科技", "K": "房地产开发",
            "G": "物流", "H": "餐饮管理", "M": "技术服务", "A": "农业开发", "O": "家政服务", "R": "文化传媒",
            "P": "教育科技", "Q": "医疗管理", "S": "服务"}
SHOPS = {"F": ("便利店", "超市", "五金店", "水果店", "服装店"), "H": ("饭店", "小吃部", "烧烤店", "宾馆"),
         "O": ("理发店", "汽车修理部", "洗衣店", "家电维修部"), "G": ("货运部",), "R": ("台球厅", "书店")}
INSTITUTIONS = {"P": ("第{}中学", "第{}小学", "职业技术学校"), "Q": ("第{}医院", "妇幼保健院", "疾病预防控制中心"),
                "R": ("图书馆", "文化馆", "博物馆")}
STATUSES = ("存续", "注销", "吊销", "迁出")
NEW_CODES_FROM = np.datetime64("2015-10-01")  # codes issued since then carry an "MA..." organisation code


def _org_codes(rng: np.random.Generator, new_style: np.ndarray) -> np.ndarray:
    """9-character GB 11714 organisation codes: "MA" + 6 characters for new registrations, 8 digits before."""
    n = len(new_style)
    letters = np.asarray(list(USCC_CHARSET))
    # drawn without replacement, so no two entities share a code
    serials = rng.choice(31**6, n, replace=False)
    tail = letters[(serials[:, None] // 31 ** np.arange(5, -1, -1)) % 31]
    numbers = rng.choice(10**8, n, replace=False)
    digits = ((numbers[:, None] // 10 ** np.arange(7, -1, -1)) % 10).astype(str)
    body = np.where(new_style[:, None], np.concatenate([np.tile(["M", "A"], (n, 1)), tail], axis=1), digits)
    values = np.vectorize(lambda c: int(c) if c.isdigit() else ord(c) - 55)(body)
    remainder = 11 - (values @ np.asarray(ORG_WEIGHTS)) % 11
    check = np.where(remainder == 10, "X", np.where(remainder == 11, "0", remainder.astype(str)))
    return np.asarray(["".join(row) for row in body], dtype=object) + check


def credit_codes(rng: np.random.Generator, kind: np.ndarray, area: np.ndarray, new_style: np.ndarray) -> np.ndarray:
    bodies = kind.astype(object) + area.astype(object) + _org_codes(rng, new_style)
    value = {c: i for i, c in enumerate(USCC_CHARSET)}
    values = np.asarray([[value[c] for c in b] for b in bodies]).reshape(-1, 17)
    check = np.asarray(list(USCC_CHARSET))[(31 - (values @ np.asarray(USCC_WEIGHTS)) % 31) % 31]
    return bodies + check.astype(object)


def generate_entities(streams: Streams, people: pl.DataFrame) -> pl.DataFrame:
    rng = streams.get("entities")
    n = max(10, int(len(people) / PEOPLE_PER_ENTITY))
    kind_index = rng.choice(len(KINDS), n, p=[k[2] for k in KINDS])
    kind = np.asarray([k[0] for k in KINDS], dtype=object)[kind_index]
    shares = np.asarray([d.share for d in DISTRICTS]) * np.asarray([1.6, 1, 1.2, 1, 0.8, 1, 0.9])
    district_index = rng.choice(len(DISTRICTS), n, p=shares / shares.sum())
    district_code = np.asarray([d.code for d in DISTRICTS], dtype=object)[district_index]
    city_level = (kind == "91") & (rng.random(n) < 0.3) | np.isin(kind, ["12", "51", "52"])
    area = np.where(city_level, CITY_CODE, district_code)
    founded = (np.datetime64(AS_OF) - np.minimum(rng.exponential(3000, n), 13000).astype("timedelta64[D]"))
    credit = credit_codes(rng, kind, area, founded >= NEW_CODES_FROM)

    industry = np.empty(n, dtype=object)
    for code, mix in INDUSTRY_MIX.items():
        mask = kind == code
        industry[mask] = rng.choice(list(mix), mask.sum(), p=np.asarray(list(mix.values())) / sum(mix.values()))
    names = _names(rng, kind, industry, district_index)
    capital = np.round(np.select([kind == "91", kind == "92"], [rng.lognormal(np.log(100), 1.2, n),
                                 rng.lognormal(np.log(5), 0.8, n)], rng.lognormal(np.log(50), 1.0, n)), 2)
    headcount = np.select([kind == "91", kind == "92"], [np.ceil(rng.lognormal(np.log(8), 1.1, n)),
                          rng.integers(1, 4, n)], np.ceil(rng.lognormal(np.log(20), 0.8, n))).astype(int)
    status = rng.choice(STATUSES, n, p=(0.86, 0.09, 0.03, 0.02))

    adults = people.filter(pl.col("status") == "正常", pl.col("birth_date").dt.year().is_between(1956, 2001))
    representative = adults["person_id"].to_numpy()[rng.integers(0, len(adults), n)]
    registered_by = np.asarray([k[3] for k in KINDS], dtype=object)[kind_index]
    district_names = np.asarray([CITY_NAME + d.name for d in DISTRICTS])[district_index]
    authority_place = np.where(city_level, CITY_NAME, district_names)  # 秦皇岛市海港区市场监督管理局
    detail = addresses(streams.get("entity-addresses"), district_index)
    return pl.DataFrame({
        "entity_id": np.char.add("E", np.char.zfill(np.arange(1, n + 1).astype(str), 7)).astype(object),
        "credit_code": credit, "name": names, "kind_code": kind,
        "kind": np.asarray([k[1] for k in KINDS], dtype=object)[kind_index],
        "registration_authority": authority_place.astype(object) + registered_by,
        "district_code": district_code,
        "address": PROVINCE_NAME + CITY_NAME + np.asarray([d.name for d in DISTRICTS], dtype=object)[district_index]
        + detail,
        "legal_representative_id": representative, "industry_code": industry,
        "industry": np.vectorize(INDUSTRIES.get, otypes=[object])(industry),
        "registered_capital": capital, "headcount": headcount, "founded_on": founded, "status": status,
    })


def _names(rng: np.random.Generator, kind: np.ndarray, industry: np.ndarray, district: np.ndarray) -> np.ndarray:
    n = len(kind)
    out = np.empty(n, dtype=object)
    trade = rng.integers(0, len(TRADE_NAMES), (n, 2))
    pick, number = rng.random(n), rng.integers(1, 30, n)
    for i in range(n):
        brand = TRADE_NAMES[trade[i, 0]] + TRADE_NAMES[trade[i, 1]]
        district_name = DISTRICTS[district[i]].name
        k, sector = kind[i], industry[i]
        if k == "91":
            out[i] = f"秦皇岛{brand}{SUFFIXES[sector]}有限公司"
        elif k == "92":
            shops = SHOPS.get(sector, ("商店",))
            out[i] = f"{district_name}{brand}{shops[int(pick[i] * len(shops))]}"
        elif k == "93":
            out[i] = f"{district_name}{brand}种植专业合作社"
        elif k == "12":
            kinds = INSTITUTIONS[sector]
            out[i] = f"{CITY_NAME}{kinds[int(pick[i] * len(kinds))].format(number[i])}"
        elif k == "51":
            out[i] = f"{CITY_NAME}{brand}行业协会"
        else:
            out[i] = f"{CITY_NAME}{brand}{'培训学校' if sector == 'P' else '养老服务中心'}"
    return out


def assign_employers(streams: Streams, people: pl.DataFrame, entities: pl.DataFrame) -> pl.DataFrame:
    """Give 60% of working-age residents (18 to 60 for men, 55 for women) an employer, chosen in proportion
    to the employers' headcounts."""
    rng = streams.get("employment")
    open_ = entities.filter(pl.col("status") == "存续")
    weights = open_["headcount"].to_numpy().astype(float)
    year = people["birth_date"].dt.year().to_numpy()
    retires_at = np.where(people["sex"].to_numpy() == "男", 60, 55)
    working = (year >= AS_OF.year - retires_at) & (year <= AS_OF.year - 18) & (people["status"] == "正常").to_numpy()
    employed = working & (rng.random(len(people)) < 0.6)
    employer = np.full(len(people), None, dtype=object)
    chosen = rng.choice(len(open_), employed.sum(), p=weights / weights.sum())
    employer[employed] = open_["credit_code"].to_numpy()[chosen]
    return people.with_columns(pl.Series("employer_credit_code", employer.tolist(), dtype=pl.String))
