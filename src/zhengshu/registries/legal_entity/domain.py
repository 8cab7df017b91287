"""The rules of legal-entity resolution (法人实体识别), pure: which source items describe a legal entity, when two
rows are the same entity for certain (the same valid 统一社会信用代码), how an entity's name is brought to a
comparable core (有限责任公司 = 有限公司, full-width brackets, the 河北省秦皇岛市 and district prefixes, a
branch's suffix), and the probabilistic model for the rest — its comparisons, their fixed m probabilities,
the blocking rules and the threshold.

The model is a Fellegi–Sunter model in Splink's settings format (SQL conditions run by DuckDB, or Spark),
shaped like the population registry's: m probabilities fixed here from what department data is like, u
probabilities estimated on the data by random sampling, with term frequencies for names (a common shop name
such as 华兴便利店 counts for less than a rare one).
"""

from __future__ import annotations

import polars as pl

from zhengshu.core.fusion.linkage import item_fields, levels, model_settings, most_frequent

# The entity fields the linkage compares, in standard form.
ENTITY_FIELDS = ("credit_code", "name", "legal_rep", "legal_rep_id", "address", "phone")

# Source items (column headers) → the entity field they hold. Items about someone else's entity (社保参保's
# 参保单位 describes the insured person's employer, not the row's subject) are deliberately absent.
ITEM_FIELDS: dict[str, str] = {
    **dict.fromkeys(("统一社会信用代码", "纳税人识别号", "使用单位信用代码", "信用代码"), "credit_code"),
    **dict.fromkeys(("企业名称", "行政相对人名称", "当事人名称", "使用单位", "纳税人名称", "单位名称", "机构名称"),
                    "name"),
    **dict.fromkeys(("法定代表人", "负责人", "经营者"), "legal_rep"),
    **dict.fromkeys(("法定代表人证件号码",), "legal_rep_id"),
    **dict.fromkeys(("住所", "经营场所", "注册地址"), "address"),
    **dict.fromkeys(("联系电话",), "phone"),
}

# Each field's standardiser (by its name in the quality module's STANDARDISERS).
FIELD_STANDARDISERS = {"credit_code": "credit_code", "name": "name", "legal_rep": "name",
                       "legal_rep_id": "id_number", "address": "address", "phone": "phone"}


def entity_fields(columns: list[str]) -> dict[str, str]:
    """The entity fields a source's columns hold: field → column (the first column naming a field wins)."""
    return item_fields(columns, ITEM_FIELDS)


def describes_entities(columns: list[str]) -> bool:
    """A source describes legal entities when it names them: a name or a credit code item."""
    fields = entity_fields(columns)
    return "name" in fields or "credit_code" in fields


# --- names (名称规范化) ------------------------------------------------------------------------------------------

_BRACKETS = {"（": "(", "）": ")", "【": "(", "】": ")", "[": "(", "]": ")", "〔": "(", "〕": ")"}
_REGION = r"^(?:河北省)?(?:秦皇岛(?:市)?)?"
_DISTRICT = r"^[\u4e00-\u9fff]{2,6}?(?:区|县)"  # 海港区, 青龙满族自治县: a shop's district prefix
_FORM = r"(?:股份)?有限公司$|有限合伙$|合伙企业$|(?:专业)?合作社$"
_BRANCH = r"(公司)[\u4e00-\u9fff]*(?:分公司|营业部)$"  # a company's branch: 有限公司海港分公司
_SHOP_BRANCH = r"(?:[\u4e00-\u9fff]{1,6}?(?:区|县))?分店$"  # a shop's: 超市海港区分店


def canonical_name(name: pl.Expr) -> pl.Expr:
    """The registered form of a standardised name: half-width brackets, 有限责任公司 → 有限公司."""
    return name.str.replace_many(_BRACKETS).str.replace_all("有限责任公司", "有限公司")


def name_core(name: pl.Expr) -> pl.Expr:
    """What tells an entity's name apart (字号与行业): the canonical name without the province, city and district
    prefix, a bracketed part, a branch's suffix and the organisation form — 秦皇岛华兴商贸有限公司 → 华兴商贸,
    海港区华兴便利店 → 华兴便利店. Null when nothing is left."""
    core = (canonical_name(name).str.replace_all(r"\([^)]*\)", "").str.replace(_REGION, "")
            .str.replace(_BRANCH, "${1}").str.replace(_SHOP_BRANCH, "").str.replace(_FORM, ""))
    without_district = core.str.replace(_DISTRICT, "")
    core = pl.when(without_district.str.len_chars() >= 2).then(without_district).otherwise(core)
    return pl.when(core.str.len_chars() > 0).then(core).otherwise(None)


# --- exact links (确定性链接: `exact_key`, a row's credit code when valid) ---------------------------------------


def representative(frame: pl.LazyFrame, key: str, fields: tuple[str, ...]) -> pl.LazyFrame:
    """One row per exact-link key: each field's most frequent value among the key's rows (ties: the smallest,
    so the result does not depend on row order), the value most sources agree on."""
    return frame.group_by(key).agg(*(most_frequent(f) for f in fields), pl.len().alias("rows"))


# --- the probabilistic model (概率匹配模型) ------------------------------------------------------------------------

MATCH_PROBABILITY = 0.95  # a pair at or above this probability is a link (聚类阈值)

# Only pairs agreeing on one of these are compared. Two rows that both have a valid credit code were settled
# by the exact links, so no rule compares them again. A typo changes one character of the name's core, so a
# misspelt name still agrees with the right one on the core's first or last two characters.
BLOCKING_RULES = (
    "l.code_body = r.code_body",
    "l.name_core = r.name_core",
    "l.core_head = r.core_head and l.core_length = r.core_length",
    "l.core_tail = r.core_tail and l.core_length = r.core_length",
    "l.legal_rep = r.legal_rep",
    "l.address = r.address",
)


def comparisons() -> list[dict]:
    """The comparisons, with their m and u probabilities (level: m = how often two rows of one entity agree so,
    u = how often two different entities do). A name is written differently (organisation form, brackets,
    prefixes) in a few rows of a hundred and misspelt (同音字、形近字) in a few more, a credit code is miscopied
    in its check character, the legal representative's name has typos, addresses are written in many ways.

    Both are fixed rather than estimated: after the exact links only a few rows are left to compare, far too
    few pairs for Splink's random sampling to see two different entities agree on a code or an address; u of
    the name's exact level is adjusted by each name's frequency in the data (term frequencies)."""
    return [
        levels("credit_code", [("相同", "credit_code_l = credit_code_r", 0.93, 1e-7),
                                ("前17位相同", "code_body_l = code_body_r", 0.05, 1e-7)]),
        levels("name", [("相同", "name_l = name_r", 0.82, 1e-4),
                         ("字号相同", "name_core_l = name_core_r", 0.1, 2e-4),
                         ("一字之差", "core_length_l = core_length_r and "
                                      "levenshtein(name_core_l, name_core_r) = 1", 0.07, 2e-3)], tf=True),
        levels("legal_rep", [("相同", "legal_rep_l = legal_rep_r", 0.9, 1e-3),
                              ("一字之差", "length(legal_rep_l) = length(legal_rep_r) and "
                                          "levenshtein(legal_rep_l, legal_rep_r) = 1", 0.07, 5e-3)]),
        levels("legal_rep_id", [("相同", "legal_rep_id_l = legal_rep_id_r", 0.95, 1e-6)]),
        levels("address", [("相同", "address_l = address_r", 0.7, 1e-4)]),
        levels("district", [("相同", "district_l = district_r", 0.95, 0.25)]),
        levels("phone", [("相同", "phone_l = phone_r", 0.8, 1e-5)]),
    ]


def prior(candidates: int) -> float:
    """The probability that a row without a valid code and a random candidate are the same entity: it is
    about one of the candidates (most often a registered entity's representative)."""
    return min(0.5, 1 / max(2, candidates))


def settings(prior: float) -> dict:
    """Splink settings for deduplicating entity rows (`uid` identifies a row, `prior` is the probability
    that two random rows are the same entity)."""
    return model_settings(prior, comparisons(), BLOCKING_RULES)
