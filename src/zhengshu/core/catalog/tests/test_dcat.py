"""The catalogue as DCAT-AP JSON-LD through the real application: the whole published catalogue and one entry,
parsed as JSON and checked for the properties DCAT-AP asks for, with the EU vocabularies mapped."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zhengshu.core.catalog import service
from zhengshu.core.catalog.domain.dcat import CONTEXT
from zhengshu.core.catalog.tests.conftest import ANALYST, MARKET, POLICE, POLICE_OFFICER
from zhengshu.kernel.errors import Conflict, NotFound
from zhengshu.modules import Platform

EU = "http://publications.europa.eu/resource/authority/"
DATASET_MUST = {"@id", "@type", "dct:identifier", "dct:title", "dct:description", "dct:publisher",
                "dcat:contactPoint", "dcat:theme", "dcat:keyword", "dct:issued", "dct:modified",
                "dct:accrualPeriodicity", "dct:accessRights", "dcat:distribution", "zs:informationItem"}


def expand(term: str) -> str:
    """A compact IRI expanded with the document's @context (a check that every prefix used is declared)."""
    prefix, _, local = term.partition(":")
    assert prefix in CONTEXT, term
    return CONTEXT[prefix] + local


def jsonld(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/ld+json")
    return json.loads(response.text)


def test_the_published_catalogue_as_dcat_ap(catalogue: dict[str, str], signed_in) -> None:
    client, who = signed_in
    who["actor"] = ANALYST
    doc = jsonld(client.get("/api/v1/catalog/dcat.jsonld"))
    assert doc["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert expand(doc["@type"]) == "http://www.w3.org/ns/dcat#Catalog"
    assert doc["dct:title"] == {"@value": "秦皇岛市政务数据资源目录", "@language": "zh-CN"}
    assert doc["dct:publisher"]["foaf:name"]["@value"] == "秦皇岛市" and doc["dct:description"]["@value"]
    datasets = {d["dct:identifier"]: d for d in doc["dcat:dataset"]}
    assert set(datasets) == {c for k, c in catalogue.items() if k != "draft"}  # published only
    for d in datasets.values():
        assert set(d) >= DATASET_MUST, DATASET_MUST - set(d)
        assert expand(d["@type"]) == "http://www.w3.org/ns/dcat#Dataset"
        assert d["@id"].startswith("http://testserver/catalog/entries/")
        assert all(expand(key) for key in _keys(d) if not key.startswith("@"))
        assert all(dist["dcat:accessURL"]["@id"].startswith("http") for dist in d["dcat:distribution"])

    population = datasets[catalogue["population"]]
    assert population["dct:title"]["@value"] == "户籍人口基本信息"
    assert population["dct:publisher"]["dct:identifier"] == POLICE
    assert population["dct:publisher"]["foaf:name"]["@value"] == "市公安局"
    assert population["dct:accrualPeriodicity"] == {"@id": f"{EU}frequency/DAILY"}
    assert population["dct:accessRights"] == {"@id": f"{EU}access-right/RESTRICTED"}
    assert population["dcat:contactPoint"]["vcard:hasTelephone"] == {"@id": "tel:0335-3000000"}
    assert {"@id": f"{EU}data-theme/SOCI"} in population["dcat:theme"]
    assert population["dcat:theme"][0]["skos:notation"] == "101"
    assert population["dct:issued"]["@type"] == "xsd:date"
    key = population["zs:informationItem"][0]
    assert key["zs:name"] == "公民身份号码" and key["zs:personalInfo"] == "sensitive"
    assert key["zs:isKey"] == {"@value": True, "@type": "xsd:boolean"}
    assert {"@value": "公民身份号码", "@language": "zh-CN"} in population["dcat:keyword"]
    assert population["dcat:distribution"][0]["dcat:accessURL"] == {
        "@id": f"http://testserver/api/v1/exchange/{catalogue['population']}/records"}

    licences = datasets[catalogue["licences"]]
    assert licences["dct:accessRights"] == {"@id": f"{EU}access-right/PUBLIC"}
    assert licences["dct:accrualPeriodicity"] == {"@id": f"{EU}frequency/MONTHLY"}
    assert licences["dcat:distribution"][0]["dct:format"] == {"@id": f"{EU}file-type/XLSX"}
    assert licences["dcat:contactPoint"]["vcard:hasEmail"] == {"@id": "mailto:data@scjg.qhd.gov.cn"}
    assert datasets[catalogue["insurance"]]["dct:accrualPeriodicity"] == {"@id": f"{EU}frequency/UPDATE_CONT"}


def _keys(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [k for k, v in node.items() for k in (k, *_keys(v))]
    if isinstance(node, list):
        return [k for v in node for k in _keys(v)]
    return []


def test_one_entry_and_the_public_url(catalogue: dict[str, str], seeded: Platform) -> None:
    code = catalogue["floating"]
    doc = service.entry_dcat(seeded.uow(), ANALYST, code, "https://data.qhd.gov.cn/")
    assert doc["@context"] == CONTEXT and doc["@id"] == f"https://data.qhd.gov.cn/catalog/entries/{code}"
    assert doc["dct:accessRights"] == {"@id": f"{EU}access-right/PUBLIC"}
    assert doc["dct:accrualPeriodicity"] == {"@id": f"{EU}frequency/WEEKLY"}
    assert {"@id": f"{EU}data-theme/GOVE"} in doc["dcat:theme"]
    with pytest.raises(Conflict):  # their own draft: seen, but not published
        service.entry_dcat(seeded.uow(), POLICE_OFFICER, catalogue["draft"], "https://data.qhd.gov.cn")
    with pytest.raises(NotFound):  # someone else's draft does not exist for them
        service.entry_dcat(seeded.uow(), ANALYST, catalogue["draft"], "https://data.qhd.gov.cn")


def test_the_api_serves_one_entry_and_refuses_a_draft(catalogue: dict[str, str], signed_in) -> None:
    client, who = signed_in
    doc = jsonld(client.get(f"/api/v1/catalog/entries/{catalogue['population']}/dcat.jsonld"))
    assert doc["dct:identifier"] == catalogue["population"]
    assert client.get(f"/api/v1/catalog/entries/{catalogue['draft']}/dcat.jsonld").status_code == 409
    filtered = jsonld(client.get("/api/v1/catalog/dcat.jsonld", params={"provider": MARKET}))
    assert [d["dct:identifier"] for d in filtered["dcat:dataset"]] == [catalogue["licences"]]
    who["actor"] = None
    assert client.get("/api/v1/catalog/dcat.jsonld").status_code == 401
