"""The true population (人口): households first, then the people in them, all drawn at once with numpy.

A household has a head, often a spouse, children and sometimes a parent of the head; ages, sexes and
marital status follow from those roles, so the city's age pyramid and its families come out together.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from zhengshu.kernel.identifiers import ID_CHECK, ID_WEIGHTS
from zhengshu.synth.config import AS_OF
from zhengshu.synth.geography import (
    BORN_ELSEWHERE,
    CITY_NAME,
    DISTRICTS,
    ELSEWHERE,
    PROVINCE_NAME,
    ROADS,
    VILLAGE_STEMS,
    VILLAGE_SUFFIXES,
)
from zhengshu.synth.names import GIVEN, SINGLE_CHAR_SHARE, SURNAMES, name_period
from zhengshu.synth.streams import Streams

HOUSEHOLD_SIZES = (1, 2, 3, 4, 5)
HOUSEHOLD_SHARES = (0.25, 0.30, 0.25, 0.12, 0.08)
HEAD_AGES = np.arange(20, 91)
HEAD_AGE_WEIGHTS = np.interp(HEAD_AGES, [20, 30, 40, 50, 60, 70, 80, 90], [2, 8, 10, 11, 10, 7, 3, 1])
MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
                   "156", "157", "158", "159", "176", "177", "178", "180", "181", "182", "183", "185", "186",
                   "187", "188", "189", "198", "199")
EDUCATION = ("小学", "初中", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生")
EDUCATION_BY_PERIOD = {  # shares of EDUCATION for adults born in each period
    1920: (0.45, 0.35, 0.12, 0.04, 0.03, 0.01, 0.0, 0.0),
    1960: (0.15, 0.40, 0.22, 0.10, 0.08, 0.05, 0.0, 0.0),
    1980: (0.04, 0.25, 0.18, 0.12, 0.18, 0.20, 0.025, 0.005),
    2000: (0.01, 0.12, 0.15, 0.12, 0.25, 0.30, 0.045, 0.005),
}
FUNING_RENAMED = np.datetime64("2015-07-01")  # 抚宁县 130323 became 抚宁区 130306; older ID numbers keep it
TODAY = np.datetime64(AS_OF, "D")
NOT_A_DATE = np.datetime64("NaT", "D")


def _choice(rng: np.random.Generator, options: tuple | list, size: int, p=None) -> np.ndarray:
    return np.asarray(options, dtype=object)[rng.choice(len(options), size=size, p=p)]


def _shares(weights) -> np.ndarray:
    weights = np.asarray(weights, dtype=float)
    return weights / weights.sum()


def addresses(rng: np.random.Generator, district_index: np.ndarray) -> np.ndarray:
    """Detailed addresses below the district ("文化路街道建设大街12号3栋2单元501室", "泥井镇张庄村45号")."""
    n = len(district_index)
    out = np.empty(n, dtype=object)
    street_pick = rng.random(n)
    road = _choice(rng, ROADS, n)
    number = rng.integers(1, 400, n)
    building, unit = rng.integers(1, 30, n), rng.integers(1, 7, n)
    room = rng.integers(1, 19, n) * 100 + rng.integers(1, 5, n)
    village = _choice(rng, VILLAGE_STEMS, n) + _choice(rng, VILLAGE_STEMS, n) + _choice(rng, VILLAGE_SUFFIXES, n)
    rural = rng.random(n)
    for i in range(n):
        district = DISTRICTS[district_index[i]]
        street = district.streets[int(street_pick[i] * len(district.streets))]
        if district.urban or rural[i] < 0.35:
            out[i] = f"{street}{road[i]}{number[i]}号{building[i]}栋{unit[i]}单元{room[i]}室"
        else:
            out[i] = f"{street}{village[i]}{number[i]}号"
    return out


def full_address(district_names: np.ndarray, detail: np.ndarray) -> np.ndarray:
    return PROVINCE_NAME + CITY_NAME + district_names.astype(object) + detail


def _id_numbers(rng: np.random.Generator, area: np.ndarray, birth: np.ndarray, male: np.ndarray) -> np.ndarray:
    """Unique 18-digit ID numbers: area code, birth date, a sequence code of the right parity, check digit."""
    frame = pl.DataFrame({"area": area.astype(str), "birth": birth.astype(int), "male": male,
                          "offset": rng.integers(0, 300, len(area))})
    group = ("area", "birth", "male")  # people born the same day in the same place get consecutive codes
    seq = frame.select((pl.col("offset").first().over(group) + pl.int_range(pl.len()).over(group)) * 2
                       + pl.col("male").cast(pl.Int64)).to_series().to_numpy()
    births = np.char.replace(np.datetime_as_string(birth, unit="D"), "-", "")
    bodies = np.char.add(np.char.add(area.astype(str), births), np.char.zfill(seq.astype(str), 3))
    digits = np.frombuffer("".join(bodies).encode("ascii"), dtype=np.uint8).reshape(-1, 17) - 48
    checks = np.asarray(list(ID_CHECK))[(digits @ np.asarray(ID_WEIGHTS)) % 11]
    return np.char.add(bodies, checks).astype(object)


def _given_names(rng: np.random.Generator, birth_year: np.ndarray, sex: np.ndarray) -> np.ndarray:
    n = len(birth_year)
    out = np.empty(n, dtype=object)
    periods = np.asarray([name_period(y) for y in range(1900, 2031)])[birth_year - 1900]
    first, second, single = rng.random(n), rng.random(n), rng.random(n)
    for i in range(n):
        pool = GIVEN[(int(periods[i]), sex[i])]
        a = pool[int(first[i] * len(pool))]
        out[i] = a if single[i] < SINGLE_CHAR_SHARE[int(periods[i])] else a + pool[int(second[i] * len(pool))]
    return out


def generate_people(streams: Streams, persons: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(people, households) of a city of `persons` people, as of AS_OF."""
    rng = streams.get("people")
    sizes = rng.choice(HOUSEHOLD_SIZES, size=int(persons / 2.4) + 50, p=HOUSEHOLD_SHARES)
    cut = int(np.searchsorted(np.cumsum(sizes), persons))
    sizes = sizes[: cut + 1]
    sizes[-1] -= int(sizes.sum() - persons)
    sizes = sizes[sizes > 0]
    households = len(sizes)

    district_index = rng.choice(len(DISTRICTS), size=households, p=_shares([d.share for d in DISTRICTS]))
    head_age = rng.choice(HEAD_AGES, size=households, p=_shares(HEAD_AGE_WEIGHTS))
    head_male = rng.random(households) < 0.7
    has_spouse = (sizes >= 2) & (head_age >= 22) & (rng.random(households) < 0.85)  # legal age: 22 and 20
    detail = addresses(streams.get("addresses"), district_index)
    district_names = np.asarray([d.name for d in DISTRICTS], dtype=object)[district_index]

    # one row per person: which household, which slot in it
    household = np.repeat(np.arange(households), sizes)
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    slot = np.arange(len(household)) - starts
    h_age, h_male, h_spouse = head_age[household], head_male[household], has_spouse[household]
    n = len(household)
    draw = rng.random((4, n))
    relation = np.where(slot == 0, "户主", np.where((slot == 1) & h_spouse, "配偶",
                        np.where((draw[0] < 0.8) | (h_age >= 62), "子女", "父母"))).astype(object)
    age = np.select(
        [relation == "户主", relation == "配偶", relation == "子女"],
        [h_age, np.clip(h_age + np.round(draw[1] * 6 - 3), 20, 95),
         h_age - 20 - np.floor(draw[1] * (np.minimum(h_age, 62) - 19))],  # 20 to 42 years younger
        np.clip(h_age + 22 + np.floor(draw[1] * 13), None, 100),
    ).astype(int)
    male = np.select([relation == "户主", relation == "配偶", relation == "子女"],
                     [h_male, ~h_male, draw[2] < 0.515], draw[2] < 0.45)

    birth = TODAY - (age * 365.25 + draw[3] * 365).astype("timedelta64[D]")
    birth_year = birth.astype("datetime64[Y]").astype(int) + 1970
    born_elsewhere = (age >= 18) & (rng.random(n) < BORN_ELSEWHERE)
    home_code = np.asarray([d.code for d in DISTRICTS], dtype=object)[district_index[household]]
    funing_old = (home_code == "130306") & (birth < FUNING_RENAMED)
    area = np.where(born_elsewhere, _choice(rng, [c for c, _ in ELSEWHERE], n),
                    np.where(funing_old, "130323", home_code))
    sex = np.where(male, "男", "女").astype(object)
    surname = _choice(rng, [s for s, _ in SURNAMES], n, p=_shares([w for _, w in SURNAMES]))
    # children mostly take the head's surname (or the father's when the head is the mother)
    head_surname = surname[starts]
    surname = np.where((relation == "子女") & (rng.random(n) < 0.9), head_surname, surname)
    name = surname + _given_names(rng, birth_year, sex)

    id_number = _id_numbers(rng, area, birth, male)
    phone = np.where(age >= 12, _choice(rng, MOBILE_PREFIXES, n) + np.char.zfill(
        rng.integers(0, 10**8, n).astype(str), 8).astype(object), None)
    marital = _marital_status(rng, relation, age, h_spouse)
    education = _education(rng, age, birth_year)

    moved = rng.random(households) < 0.06
    previous = np.where(moved, addresses(streams.get("previous-addresses"), district_index), None)
    moved_on = np.where(moved, TODAY - rng.integers(30, 1800, households).astype("timedelta64[D]"), NOT_A_DATE)
    status_draw = rng.random(n)
    status = np.where((age >= 60) & (status_draw < 0.012), "死亡",
                      np.where(status_draw > 0.99, "迁出", "正常")).astype(object)
    status_on = np.where(status != "正常", TODAY - rng.integers(10, 1000, n).astype("timedelta64[D]"), NOT_A_DATE)

    household_ids = np.char.add("H", np.char.zfill(np.arange(1, households + 1).astype(str), 7)).astype(object)
    people = pl.DataFrame({
        "person_id": np.char.add("P", np.char.zfill(np.arange(1, n + 1).astype(str), 8)).astype(object),
        "name": name, "sex": sex, "birth_date": birth, "id_number": id_number, "birth_area_code": area,
        "household_id": household_ids[household], "relation": relation,
        "district_code": home_code, "address": full_address(district_names[household], detail[household]),
        "previous_address": pl.Series([
            None if p is None else f"{PROVINCE_NAME}{CITY_NAME}{d}{p}"
            for d, p in zip(district_names[household], previous[household], strict=True)], dtype=pl.String),
        "moved_on": moved_on[household], "phone": phone, "marital_status": marital, "education": education,
        "status": status, "status_on": status_on,
    })
    households_frame = pl.DataFrame({
        "household_id": household_ids,
        "district_code": np.asarray([d.code for d in DISTRICTS], dtype=object)[district_index],
        "address": full_address(district_names, detail), "size": sizes,
    })
    return people, households_frame


def _marital_status(rng: np.random.Generator, relation: np.ndarray, age: np.ndarray,
                    has_spouse: np.ndarray) -> np.ndarray:
    draw = rng.random(len(age))
    single_adult = np.where(age < 30, np.where(draw < 0.8, "未婚", "离婚"),
                            np.where(age >= 65, np.where(draw < 0.65, "丧偶", np.where(draw < 0.85, "离婚", "未婚")),
                                     np.where(draw < 0.45, "离婚", np.where(draw < 0.75, "未婚", "丧偶"))))
    child = np.where(age < 22, "未婚", np.where(draw < 0.6, "未婚", np.where(draw < 0.95, "已婚", "离婚")))
    parent = np.where(draw < 0.55, "丧偶", "已婚")
    return np.select(
        [(relation == "户主") & has_spouse, relation == "配偶", relation == "户主", relation == "子女"],
        ["已婚", "已婚", single_adult, child], parent,
    ).astype(object)


def _education(rng: np.random.Generator, age: np.ndarray, birth_year: np.ndarray) -> np.ndarray:
    n = len(age)
    out = np.full(n, None, dtype=object)
    draw = rng.random(n)
    for period, shares in EDUCATION_BY_PERIOD.items():
        upper = {1920: 1960, 1960: 1980, 1980: 2000, 2000: 3000}[period]
        mask = (birth_year >= period) & (birth_year < upper) & (age >= 22)
        out[mask] = np.asarray(EDUCATION, dtype=object)[np.searchsorted(np.cumsum(shares), draw[mask] * sum(shares))]
    school = (age >= 6) & (age < 22)  # the level reached so far
    young = age[school]
    out[school] = np.select([young < 12, young < 15], ["小学", "初中"], "高中")
    return out
