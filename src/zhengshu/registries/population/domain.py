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
}

# Fields that are not compared pair by pair but narrow the second pass (see `birth_band`): a bus card's type.
CONTEXT_FIELDS = ("card_type",)

# Each field's standardiser (by its name in the quality module's STANDARDISERS).
FIELD_STANDARDISERS = {"id_number": "id_number", "name": "name", "birth_date": "date", "sex": "sex",
                       "phone": "phone", "address": "address"}


def person_fields(columns: list[str]) -> dict[str, str]:
    """The person fields a source's columns hold: field → column (the first column naming a field wins)."""
    found: dict[str, str] = {}
    for column in columns:
        field = ITEM_FIELDS.get(column)
        if field is not None and field not in found:
            found[field] = column
    return found


# --- exact links (确定性链接) ------------------------------------------------------------------------------------


def exact_key(valid: pl.Expr, id_number: pl.Expr) -> pl.Expr:
    """The exact-link key of a row: its ID number when valid (the same key = the same person), else null."""
    return pl.when(valid).then(id_number).otherwise(None)


def representative(frame: pl.LazyFrame, key: str) -> pl.LazyFrame:
    """One row per exact-link key: each field's most frequent value among the key's rows (ties: the first in
    sort order, so the result does not depend on row order), the field's value agreed by most sources."""
    def most_frequent(field: str) -> pl.Expr:
        value = pl.col(field).drop_nulls()
        return value.filter(value.is_in(value.mode())).min().alias(field)

    return frame.group_by(key).agg(*(most_frequent(f) for f in PERSON_FIELDS if f != "id_number"),
                                   pl.len().alias("rows"))


def birth_band(card_type: pl.Expr, as_of: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The birth dates a card type allows (earliest, latest; null = no bound), a year of slack each way:
    学生卡 are sold to pupils (under 19), 老年卡 from the age of 60."""
    earliest = pl.when(card_type == "学生卡").then(as_of.dt.offset_by("-20y"))
    latest = pl.when(card_type == "老年卡").then(as_of.dt.offset_by("-59y"))
    return earliest, latest


# --- the probabilistic model (概率匹配模型) ------------------------------------------------------------------------

MATCH_PROBABILITY = 0.95  # a pair at or above this probability is a link (聚类阈值)

# The blocking rules: only pairs agreeing on one of these are compared (each rule's pairs once). Two rows that
# both have a valid ID number were settled by the exact links, so no rule compares them again.
_NOT_BOTH_EXACT = "(l.exact_key is null or r.exact_key is null)"
BLOCKING_RULES = (
    "l.birth_date = r.birth_date and l.surname = r.surname",
    "l.phone = r.phone",
    "l.name = r.name and l.district = r.district",
    "l.name = r.name",
    "l.id_body = r.id_body",
)


def _levels(column: str, levels: list[tuple[str, str, float]], *, tf: bool = False) -> dict:
    comparison_levels: list[dict] = [{"sql_condition": f"{column}_l is null or {column}_r is null",
                                      "label_for_charts": "缺失", "is_null_level": True}]
    for label, condition, m in levels:
        level = {"sql_condition": condition, "label_for_charts": label, "m_probability": m}
        if tf and label == "相同":
            level |= {"tf_adjustment_column": column, "tf_adjustment_weight": 1.0}
        comparison_levels.append(level)
    comparison_levels.append({"sql_condition": "ELSE", "label_for_charts": "不同",
                              "m_probability": 1.0 - sum(m for *_, m in levels)})
    return {"output_column_name": column, "comparison_levels": comparison_levels}


def comparisons() -> list[dict]:
    """The comparisons, with their m probabilities: names differ by a typo (同音字、形近字) in a few rows of
    a hundred, an ID number by its check character, phones and addresses change (a mover's old address)."""
    return [
        _levels("id_number", [("相同", "id_number_l = id_number_r", 0.93),
                              ("前17位相同", "id_body_l = id_body_r", 0.05)]),
        _levels("name", [("相同", "name_l = name_r", 0.92),
                         ("一字之差", "length(name_l) = length(name_r) and levenshtein(name_l, name_r) = 1", 0.07)],
                tf=True),
        _levels("birth_date", [("相同", "birth_date_l = birth_date_r", 0.97)]),
        _levels("sex", [("相同", "sex_l = sex_r", 0.98)]),
        _levels("phone", [("相同", "phone_l = phone_r", 0.8)]),
        _levels("address", [("相同", "address_l = address_r", 0.6)]),
    ]


def model_settings(prior: float) -> dict:
    """Splink settings for deduplicating person rows (`uid` identifies a row, `prior` is the probability
    that two random rows are the same person)."""
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "uid",
        "probability_two_random_records_match": prior,
        "comparisons": comparisons(),
        "blocking_rules_to_generate_predictions": [
            {"blocking_rule": f"{rule} and {_NOT_BOTH_EXACT}"} for rule in BLOCKING_RULES],
        "retain_intermediate_calculation_columns": False,
        "retain_matching_columns": False,
    }
