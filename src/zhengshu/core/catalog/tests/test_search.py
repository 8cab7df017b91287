"""Chinese full-text search and facets: the segmenter and BM25F ranking on their own, then the catalogue on the
real databases (what is found, in which order, facet counts under the query, who sees drafts, and an index
that follows changes)."""

from __future__ import annotations

import pytest

from zhengshu.core.catalog import service
from zhengshu.core.catalog.domain.search import SearchDocument, SearchIndex, words
from zhengshu.core.catalog.schemas import EntryFilter, EntryPage, EntryUpdate
from zhengshu.core.catalog.tests.conftest import ANALYST, MARKET, MARKET_OFFICER, POLICE, POLICE_OFFICER
from zhengshu.kernel.actor import Actor
from zhengshu.kernel.errors import InvalidInput
from zhengshu.modules import Platform


def doc(code: str, name: str, abstract: str = "", items: str = "") -> SearchDocument:
    return SearchDocument(code, {"code": code, "name": name, "abstract": abstract, "items": items})


def test_words_are_normalised_and_cut_for_search() -> None:
    assert words("企业营业执照") == ["企业", "营业", "执照", "营业执照"]
    assert words("ＡＢＣ的 户籍，人口") == ["abc", "户籍", "人口"]  # full-width, stop word, punctuation


def test_a_name_hit_ranks_above_an_abstract_hit() -> None:
    index = SearchIndex.build([doc("3", "社会保险缴费记录", abstract="覆盖全市参保人口"),
                               doc("1", "户籍人口基本信息"), doc("2", "营业执照")])
    result = index.search("人口")
    assert result.mode == "all" and result.codes == ["1", "3"]
    assert result.ranked[0][1] > result.ranked[1][1] > 0


def test_every_word_must_be_found_else_any() -> None:
    index = SearchIndex.build([doc("1", "户籍人口基本信息"), doc("2", "流动人口登记"), doc("3", "户籍地址变更")])
    assert index.search("户籍人口").codes == ["1"]
    found = index.search("户籍 火星")
    assert found.mode == "any" and set(found.codes) == {"1", "3"}
    assert index.search("火星").mode == "none" and index.search("火星").codes == []


def test_aliases_and_code_prefixes() -> None:
    index = SearchIndex.build([doc("202003-0001", "社会保险缴费记录", items="缴费金额"),
                               doc("101001-0001", "户籍人口基本信息"), doc("101001-0002", "户籍变更")])
    assert index.search("社保 缴费").codes == ["202003-0001"]
    assert index.search("户口").codes == ["101001-0002", "101001-0001"]  # the shorter name first
    assert index.search("101001").codes == ["101001-0001", "101001-0002"]
    assert index.search("101001-0002").codes == ["101001-0002"]


# --- the catalogue on the databases ----------------------------------------------------------------------------


def search(platform: Platform, actor: Actor, text: str, **filters: str) -> EntryPage:
    return service.list_entries(platform.uow(), actor, EntryFilter(text=text, **filters))


@pytest.mark.parametrize(("text", "expected"), [
    ("户籍人口", ["population"]),
    ("营业执照", ["licences"]),
    ("社保 缴费", ["insurance"]),
    ("市场监管", ["licences"]),  # the provider's name
    ("法人单位", ["licences"]),  # the classification's 项
    ("缴费金额", ["insurance"]),  # an item name
])
def test_queries_find_the_expected_entries(catalogue: dict[str, str], seeded: Platform, text: str,
                                           expected: list[str]) -> None:
    page = search(seeded, ANALYST, text)
    assert [e.code for e in page.entries] == [catalogue[k] for k in expected]
    assert page.search is not None and page.search.mode == "all"


def test_names_rank_above_abstracts_and_drafts_stay_with_their_department(catalogue: dict[str, str],
                                                                          seeded: Platform) -> None:
    page = search(seeded, ANALYST, "人口")
    codes = [e.code for e in page.entries]
    assert codes[:2] == [catalogue["population"], catalogue["floating"]]
    assert codes[2:] == [catalogue["insurance"]] and page.total == 3  # only in its abstract: last
    assert search(seeded, POLICE_OFFICER, "人口").total == 4  # their own draft too
    own = [e.code for e in search(seeded, POLICE_OFFICER, "重点人口").entries]
    assert own == [catalogue["draft"]]
    assert search(seeded, MARKET_OFFICER, "重点人口").entries == []


def test_facets_count_under_the_query_and_the_other_filters(catalogue: dict[str, str], seeded: Platform) -> None:
    facets = search(seeded, ANALYST, "人口").facets
    assert {f.value: f.count for f in facets.directory} == {"base": 1, "theme": 1, "department": 1}
    assert {f.value: (f.label, f.count) for f in facets.classification} == {
        "101": ("基础 · 01 人口", 1), "203": ("主题 · 03 社会保障", 1),
        "307": ("部门 · 07 省(自治区、直辖市)及其下各级政务部门", 1)}
    assert {f.value: f.count for f in facets.provider} == {POLICE: 2, "130300005": 1}
    assert {f.value: f.count for f in facets.update_cycle} == {"realtime": 1, "daily": 1, "weekly": 1}
    assert {f.value: f.count for f in facets.opening_type} == {"none": 3}
    assert [(f.value, f.label) for f in facets.sharing_type] == [("unconditional", "无条件共享"),
                                                                 ("conditional", "有条件共享")]
    narrowed = search(seeded, ANALYST, "人口", provider=POLICE)
    assert narrowed.total == 2 and {f.value: f.count for f in narrowed.facets.provider}[POLICE] == 2
    assert {f.value: f.count for f in narrowed.facets.update_cycle} == {"daily": 1, "weekly": 1}
    everything = service.list_entries(seeded.uow(), ANALYST, EntryFilter(update_cycle="monthly"))
    assert [e.code for e in everything.entries] == [catalogue["licences"]] and everything.search is None
    assert {f.value: f.count for f in everything.facets.update_cycle}["realtime"] == 1  # own facet not applied


def test_the_index_follows_changes(catalogue: dict[str, str], seeded: Platform) -> None:
    assert search(seeded, ANALYST, "出入境").total == 0
    entry = service.get_entry(seeded.uow(), MARKET_OFFICER, catalogue["licences"]).entry
    body = {k: v for k, v in entry.as_input().items() if k not in ("classification", "provider_code")}
    service.update_entry(seeded.uow(), MARKET_OFFICER, entry.code, EntryUpdate(**{**body, "name": "出入境企业名录"}))
    assert [e.code for e in search(seeded, ANALYST, "出入境").entries] == [catalogue["licences"]]
    assert search(seeded, ANALYST, "营业执照").total == 0


def test_a_text_the_index_does_not_know_is_matched_as_a_substring(catalogue: dict[str, str],
                                                                   seeded: Platform) -> None:
    page = search(seeded, ANALYST, "0001")
    assert page.search is not None and page.search.mode == "none"
    assert {e.code for e in page.entries} == {c for k, c in catalogue.items() if k != "draft"}


def test_bad_facet_values_name_the_field(seeded: Platform) -> None:
    for field, value in (("classification", "1x1"), ("update_cycle", "hourly"), ("opening_type", "all")):
        with pytest.raises(InvalidInput) as refused:
            service.list_entries(seeded.uow(), ANALYST, EntryFilter(**{field: value}))
        assert refused.value.field == field


def test_the_api_sends_facets_and_how_it_searched(catalogue: dict[str, str], signed_in) -> None:
    client, who = signed_in
    who["actor"] = ANALYST
    body = client.get("/api/v1/catalog/entries", params={"text": "社保 缴费"}).json()
    assert [e["code"] for e in body["entries"]] == [catalogue["insurance"]]
    assert body["search"] == {"words": ["社保", "缴费"], "mode": "all"}
    assert set(body["facets"]) == {"directory", "classification", "provider", "sharing_type", "opening_type",
                                   "update_cycle", "status"}
    assert body["facets"]["update_cycle"] == [{"value": "realtime", "label": "实时", "count": 1}]
    error = client.get("/api/v1/catalog/entries", params={"classification": "9"}).json()["error"]
    assert error["field"] == "classification"


def test_the_browse_page_searches_and_links_facets_that_keep_the_query(catalogue: dict[str, str],
                                                                      signed_in) -> None:
    client, who = signed_in
    who["actor"] = ANALYST
    html = client.get("/catalog", params={"text": "人口"}).text
    assert "共 3 项资源，按相关度排序（检索词：人口）" in html
    assert html.index("户籍人口基本信息") < html.index("流动人口登记") < html.index("社会保险缴费记录")
    assert 'data-testid="facet-update_cycle"' in html and "基础 · 01 人口" in html
    assert '/catalog?text=%E4%BA%BA%E5%8F%A3&amp;provider=130300003"' in html  # a facet link keeps the text
    html = client.get("/catalog", params={"text": "人口", "provider": POLICE}).text
    assert "共 2 项资源" in html and "社会保险缴费记录" not in html
    assert MARKET not in html  # no facet value without entries
