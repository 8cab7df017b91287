"""The rules of person entity resolution (人员实体识别), pure: which source items describe a person, when two
rows are the same person for certain (the same valid 18-digit 公民身份号码), and the probabilistic model
for the rest — its comparisons, their fixed m probabilities, the blocking rules and the threshold.

The model is a Fellegi–Sunter model in Splink's settings format (SQL conditions run by DuckDB, or Spark).
m probabilities (how often a field agrees at each level between two rows of the same person) are fixed
here from what department data is like; u probabilities (how often it agrees by chance) are estimated on
the data by random sampling, with term frequencies for names, so that a rare name counts for more than 王伟.
"""

from __future__ import annotations

import polars as pl

from zhengshu.core.fusion.linkage import item_fields, levels, model_settings, most_frequent

# The person fields the linkage compares, in the standard form the quality module's standardisers make.
PERSON_FIELDS = ("id_number", "name", "birth_date", "sex", "phone", "address")

# Source items (column headers) → the person field they hold. Items about someone else (母亲身份证号,
# 监护人电话: a parent's) are deliberately absent: a row describes its subject only.
ITEM_FIELDS: dict[str, str] = {
    **dict.fromkeys(("公民身份号码", "身份证号", "证件号码", "男方身份证号"), "id_number"),
    **dict.fromkeys(("姓名", "新生儿姓名", "权利人", "户名", "持卡人姓名", "入住人姓名", "男方姓名"), "name"),
    **dict.fromkeys(("出生日期",), "birth_date"),
    **dict.fromkeys(("性别",), "sex"),
    **dict.fromkeys(("联系电话", "手机号"), "phone"),
    **dict.fromkeys(("户籍地址", "家庭住址", "坐落", "用户地址"), "address"),
    **dict.fromkeys(("卡类型",), "card_type"),
    **dict.fromkeys(("开卡日期",), "card_date"),
    **dict.fromkeys(("女方身份证号",), "partner_id"),
}

# Fields that are not compared pair by pair but narrow or lead the second pass: a bus card's type and the day
# it was sold (see `birth_band`; a row with a card type is a card, 实名卡: a person holds at most one), and
# the ID number of the row's spouse (a marriage registration's 女方: the husband is sought in her household).
CONTEXT_FIELDS = ("card_type", "card_date", "partner_id")

# Each field's standardiser (by its name in the quality module's STANDARDISERS); other context fields are
# only stripped.
FIELD_STANDARDISERS = {"id_number": "id_number", "name": "name", "birth_date": "date", "sex": "sex",
                       "phone": "phone", "address": "address", "card_date": "date",
                       "partner_id": "id_number"}


def person_fields(columns: list[str]) -> dict[str, str]:
    """The person fields a source's columns hold: field → column (the first column naming a field wins)."""
    return item_fields(columns, ITEM_FIELDS)


# --- exact links (确定性链接: `exact_key`, a row's ID number when valid) ---------------------------------------------


def representative(frame: pl.LazyFrame, key: str) -> pl.LazyFrame:
    """The rows that stand for an exact-link key in the matching: one per distinct name and address among the
    key's rows (a name misspelt by one source and an old address stay comparable: a majority of 社保 rows
    with a typo must not hide the 户籍 name), a null name or address and every other field being the field's
    most frequent value among the key's rows (ties: the first in sort order, so the result does not depend
    on row order)."""
    modes = frame.group_by(key).agg(*(most_frequent(f) for f in PERSON_FIELDS if f != "id_number"),
                                    pl.len().alias("rows"))
    variants = frame.select(key, "name", "address").unique()
    return (variants.join(modes, on=key, suffix="_mode")
            .with_columns(pl.coalesce("name", "name_mode").alias("name"),
                          pl.coalesce("address", "address_mode").alias("address"))
            .drop("name_mode", "address_mode").unique([key, "name", "address"]))


def birth_band(card_type: pl.Expr, card_date: pl.Expr, as_of: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The birth dates a card allows (earliest, latest; null = no bound), a year of slack each way: 学生卡
    are held by pupils (under 19 at `as_of`), 老年卡 are sold from the age of 60 and other cards from 7 (on
    the day of sale `card_date`, or at `as_of` when it is unknown)."""
    sold = pl.coalesce(card_date, as_of)
    earliest = pl.when(card_type == "学生卡").then(as_of.dt.offset_by("-20y"))
    latest = pl.when(card_type == "老年卡").then(sold.dt.offset_by("-59y")) \
        .when(card_type.is_not_null()).then(sold.dt.offset_by("-6y"))
    return earliest, latest


# --- the probabilistic model (概率匹配模型) ------------------------------------------------------------------------

MATCH_PROBABILITY = 0.95  # a pair at or above this probability is a link (聚类阈值)

# Doubtful links (存疑链接, marked by `linkage._doubts`): the population spec puts their clusters on the review
# queue (`review_links`) instead of every whole-cluster match (整簇匹配).
WHOLE_ON_VARIANT = "整簇匹配(异名)"
MANY_IDS = "概率匹配(多证号)"
DOUBTFUL_LINKS = (WHOLE_ON_VARIANT, MANY_IDS)

# The blocking rules: only pairs agreeing on one of these are compared (each rule's pairs once). Two rows that
# both have a valid ID number were settled by the exact links, so no rule compares them again. A name alone,
# or a name and a district, blocks quadratically in a common name's bearers (140 million pairs at a million
# people) and found no link above the threshold that these rules miss (the same links at 100,000 people):
# a pair agreeing on the name and nothing else scores below it, and a name with a birth date, a phone or an
# address is blocked here.
BLOCKING_RULES = (
    "l.birth_date = r.birth_date and l.surname = r.surname",
    "l.phone = r.phone",
    "l.name = r.name and l.address = r.address",
    "l.id_body = r.id_body",
)


def comparisons() -> list[dict]:
    """The comparisons, with their m probabilities: names differ by a typo (同音字、形近字) in a few rows of
    a hundred, an ID number by its check character, phones and addresses change (a mover's old address)."""
    return [
        levels("id_number", [("相同", "id_number_l = id_number_r", 0.93),
                              ("前17位相同", "id_body_l = id_body_r", 0.05)]),
        levels("name", [("相同", "name_l = name_r", 0.92),
                         ("一字之差", "length(name_l) = length(name_r) and levenshtein(name_l, name_r) = 1", 0.07)],
                tf=True),
        levels("birth_date", [("相同", "birth_date_l = birth_date_r", 0.97)]),
        levels("sex", [("相同", "sex_l = sex_r", 0.98)]),
        levels("phone", [("相同", "phone_l = phone_r", 0.8)]),
        levels("address", [("相同", "address_l = address_r", 0.6)]),
    ]


def settings(prior: float) -> dict:
    """Splink settings for deduplicating person rows (`uid` identifies a row, `prior` is the probability
    that two random rows are the same person)."""
    return model_settings(prior, comparisons(), BLOCKING_RULES)
