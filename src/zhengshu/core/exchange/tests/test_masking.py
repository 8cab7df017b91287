"""Masking rules and pseudonyms: the decision table row by row, each kind's example, and properties that
must hold for any value (the hidden middle never shows, lengths are kept where the rule says so)."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhengshu.core.exchange.masking import (
    HIDDEN_TEXT,
    KINDS,
    MIN_HIDDEN,
    Email,
    ItemClass,
    KeepEnds,
    Surname,
    Treatment,
    UpToDistrict,
    consumer_key,
    decide,
    kind_of,
    mask,
    pseudonym,
)
from zhengshu.kernel.subjects import subject_hash, subject_key

KEY = consumer_key("platform-secret", "130300005")
ID = ItemClass("公民身份号码", level="important", personal_info="sensitive", is_key=True)
NAME = ItemClass("姓名", personal_info="general")


def masked(item: ItemClass, value: object, **grant: bool) -> object:
    return mask(decide(item, **grant), value, KEY)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.code)
def test_every_kind_masks_its_example_as_documented(kind) -> None:
    assert kind.rule(kind.example[0]) == kind.example[1]


@pytest.mark.parametrize(("name", "data_type", "kind"), [
    ("公民身份号码", "C", "id_number"), ("法定代表人身份证号", "C", "id_number"), ("手机号码", "C", "phone"),
    ("联系人电话", "C", "phone"), ("户籍地址", "C", "address"), ("出生日期", "D", "birth_date"),
    ("姓名", "C", "name"), ("法定代表人", "C", "name"), ("银行卡号", "C", "bank_card"), ("电子邮箱", "C", "email"),
    ("登录密码", "C", "secret"), ("企业名称", "C", None), ("负责人数量", "N", None), ("户籍地区代码", "C", None),
])
def test_kinds_are_recognised_by_name_and_data_type(name: str, data_type: str, kind: str | None) -> None:
    found = kind_of(ItemClass(name, data_type=data_type))
    assert (found.code if found else None) == kind


@pytest.mark.parametrize(("item", "grant", "treatment", "reason"), [
    (ItemClass("登录密码", personal_info="sensitive"), {"pseudonymous": True, "released": True}, "hidden",
     "密码、密钥类信息项"),
    (ItemClass("核心指标", level="core"), {"pseudonymous": True}, "pseudonym", "授权约定以假名提供"),
    (ItemClass("公民身份号码", level="core", personal_info="sensitive"), {"released": True}, "hidden", "核心数据"),
    (ID, {"released": True}, "clear", "授权约定明文提供"),
    (ID, {}, "masked", "重要数据"),
    (ItemClass("年度产值", level="important", data_type="N"), {}, "hidden", "重要数据"),
    (ItemClass("手机号码", personal_info="sensitive"), {}, "masked", "敏感个人信息"),
    (ItemClass("病史", personal_info="sensitive"), {}, "hidden", "敏感个人信息"),
    (NAME, {}, "masked", "可识别的一般个人信息"),
    (ItemClass("性别", personal_info="general"), {}, "clear", "一般数据"),
    (ItemClass("企业名称"), {}, "clear", "一般数据"),
    (ItemClass("法定代表人"), {}, "clear", "一般数据"),  # not personal information by its classification
])
def test_the_decision_table(item: ItemClass, grant: dict, treatment: str, reason: str) -> None:
    policy = decide(item, **grant)
    assert (policy.treatment.value, policy.reason) == (treatment, reason)
    assert policy.readable is (treatment == "clear")


def test_core_data_is_never_returned_in_clear() -> None:
    for grant in ({}, {"released": True}):
        assert masked(ItemClass("公民身份号码", level="core"), "130302199001011234", **grant) == HIDDEN_TEXT


def test_values_as_they_leave() -> None:
    assert masked(ID, "130302199001011234") == "130302********1234"
    assert masked(NAME, "张小明") == "张**" and masked(NAME, "李四") == "李*" and masked(NAME, "欧阳娜娜") == "欧阳**"
    assert masked(ItemClass("出生日期", data_type="D", personal_info="general"), date(1990, 1, 1)) == "1990-**-**"
    assert masked(ItemClass("户籍地址", personal_info="general"), "河北省秦皇岛市海港区文化路12号") == (
        "河北省秦皇岛市海港区******")
    assert masked(ItemClass("年度产值", level="important", data_type="N"), 1234) == HIDDEN_TEXT
    assert masked(ID, None) is None  # empty stays empty
    assert masked(ID, "130302199001011234", released=True) == "130302199001011234"
    assert masked(ID, "13030219900101123X", pseudonymous=True) == pseudonym(KEY, "13030219900101123x")


def test_short_values_are_hidden_whole() -> None:
    assert KeepEnds(6, 4)("1303021234") == "**********"
    assert KeepEnds(3, 4)("13800138") == "********"
    assert Surname()("张") == "*" and Email()("no-at-sign") == HIDDEN_TEXT


def test_addresses_keep_the_district_or_the_city_or_nothing() -> None:
    rule = UpToDistrict()
    assert rule("青龙满族自治县青龙镇") == "青龙满族自治县***"
    assert rule("河北省迁安市某某路") == "河北省迁安市***"
    assert rule("幸福小区3号楼2单元") == "*" * 10  # 小区 is no district
    assert rule("文化路超市旁边的楼") == "*" * 9


def test_pseudonyms_join_within_one_department_not_across() -> None:
    other = consumer_key("platform-secret", "130300004")
    assert len(pseudonym(KEY, "张三")) == 64
    assert pseudonym(KEY, "张三") == pseudonym(KEY, " 张三 ") != pseudonym(other, "张三")
    assert consumer_key("another-secret", "130300005") != KEY
    assert pseudonym(KEY, date(1990, 1, 1)) == pseudonym(KEY, "1990-01-01")
    assert subject_hash(subject_key("s"), "13030219900101123X") == subject_hash(subject_key("s"), "13030219900101123x")
    assert len(subject_hash(subject_key("s"), "x")) == 32 and subject_key("s") != subject_key("t")


# --- properties ----------------------------------------------------------------------------------------------

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
digits = st.text(alphabet="0123456789X", min_size=0, max_size=25)


@given(value=st.one_of(text, digits), head=st.integers(0, 8), tail=st.integers(0, 8))
def test_keep_ends_never_shows_the_middle_and_keeps_the_length(value: str, head: int, tail: int) -> None:
    out = KeepEnds(head, tail)(value)
    assert len(out) == len(value)
    hidden = len(value) - head - tail
    if hidden < MIN_HIDDEN:
        assert out == "*" * len(value)
    else:
        assert out[:head] == value[:head] and out[len(out) - tail:] == value[len(value) - tail:]
        assert out[head:len(out) - tail] == "*" * hidden


def shown_prefix(value: str, out: str) -> int | None:
    """k when `out` is the first k characters of `value` and `*` for every other one, else None."""
    n = len(value)
    return next((k for k in range(n + 1) if out == value[:k] + "*" * (n - k)), None)


@given(value=text)
def test_names_show_at_most_the_surname(value: str) -> None:
    kept = shown_prefix(value, Surname()(value))
    assert kept is not None and kept <= 2
    assert kept < len(value) or not value  # something is always hidden


@given(value=text)
def test_addresses_show_a_prefix_of_at_most_twelve_characters(value: str) -> None:
    kept = shown_prefix(value, UpToDistrict()(value))
    assert kept is not None and kept <= 12


@given(local=st.text(alphabet="abcdefghij0123._", min_size=1, max_size=20),
       domain=st.text(alphabet="abcdefghij0123.", min_size=1, max_size=20))
def test_emails_show_the_first_character_and_the_domain_only(local: str, domain: str) -> None:
    out = Email()(f"{local}@{domain}")
    assert out == f"{local[0]}***@{domain}"


@given(value=st.one_of(text, digits, st.integers(), st.dates()))
def test_masked_and_hidden_values_never_contain_a_long_run_of_the_original(value: object) -> None:
    """Whatever the value, an ID-number mask shows at most its first 6 and last 4 characters."""
    out = masked(ID, value)
    original = str(value) if not isinstance(value, date) else value.isoformat()
    assert isinstance(out, str)
    if out != HIDDEN_TEXT and original:
        middle = original[6:-4]
        assert out[6:len(out) - 4] == "*" * len(middle)


@given(value=st.one_of(text, st.integers(), st.dates()))
def test_pseudonyms_are_64_hex_characters_and_stable(value: object) -> None:
    first = masked(ID, value, pseudonymous=True)
    assert first == masked(ID, value, pseudonymous=True)
    assert isinstance(first, str) and len(first) == 64 and set(first) <= set("0123456789abcdef")
    assert Treatment.PSEUDONYM.title == "假名"
