"""The catalogue as DCAT-AP (JSON-LD): a `dcat:Catalog` of `dcat:Dataset`s, so that data portals and
harvesters outside the platform read it in the vocabulary they know. Pure functions over an entry as the API
sends it (`EntryView` as JSON).

Mappings (the EU vocabularies DCAT-AP recommends, where one fits):

- 更新周期 → `dct:accrualPeriodicity` (EU frequency table): 实时 UPDATE_CONT, 每日 DAILY, 每周 WEEKLY, 每月 MONTHLY,
  每季度 QUARTERLY, 每半年 ANNUAL_2, 每年 ANNUAL, 其他 OTHER.
- 共享类型 → `dct:accessRights` (EU access-right table): 无条件共享 PUBLIC, 有条件共享 RESTRICTED, 不予共享 NON_PUBLIC.
  "Public" here means open to every department of the platform, which is what 无条件共享 grants.
- 分类 → `dcat:theme`: the entry's 类·项 as a concept of the platform's own scheme, and the EU data theme that
  fits the 项 (人口 SOCI, 法人单位 ECON, …; a department directory entry GOVE).
- 信息项 → `zs:informationItem` (name, data type, length, grade, personal-information tag, key field), under the
  platform's namespace `urn:zhengshu:catalog:`; `dct:conformsTo` names the 指南 the metadata follows.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

EU = "http://publications.europa.eu/resource/authority/"
CONTEXT: Mapping[str, str] = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "zs": "urn:zhengshu:catalog:",
}
LANGUAGE = "zh-CN"
FREQUENCY = {"realtime": "UPDATE_CONT", "daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY",
             "quarterly": "QUARTERLY", "half_yearly": "ANNUAL_2", "yearly": "ANNUAL", "other": "OTHER"}
ACCESS_RIGHTS = {"unconditional": "PUBLIC", "conditional": "RESTRICTED", "none": "NON_PUBLIC"}
# EU data themes for the 指南's 项 (base and theme directories, in its order); department directories: GOVE.
DATA_THEMES = {
    "base": ("SOCI", "ECON", "ENVI", "ECON", "GOVE"),
    "theme": ("GOVE", "HEAL", "SOCI", "HEAL", "JUST", "ECON", "ENER", "ECON", "REGI", "SOCI", "ENVI", "JUST"),
}
FILE_TYPES = {"csv": "CSV", "xlsx": "XLSX", "xls": "XLS", "json": "JSON", "xml": "XML", "pdf": "PDF",
              "parquet": "PARQUET", "zip": "ZIP"}
GUIDE = "《政务信息资源目录编制指南（试行）》(发改高技〔2017〕1272号)"
PHONE = re.compile(r"^\+?[\d\s()-]{5,}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _text(value: str) -> dict[str, str]:
    return {"@value": value, "@language": LANGUAGE}


def _ref(iri: str) -> dict[str, str]:
    return {"@id": iri}


def _typed(value: str, kind: str) -> dict[str, str]:
    return {"@value": value, "@type": f"xsd:{kind}"}


def _theme(entry: Mapping[str, Any], base_url: str) -> list[dict[str, Any]]:
    c = entry["classification"]
    key = c["code"][:3]
    label = f"{c['directory']['label']}{' · ' + c['section_title'] if c['section_title'] else ''}"
    themes: list[dict[str, Any]] = [{"@id": f"{base_url}/catalog?classification={key}", "@type": "skos:Concept",
                                     "skos:notation": key, "skos:prefLabel": _text(label)}]
    listed = DATA_THEMES.get(c["directory"]["value"], ())
    index = int(c["section"]) - 1 if c["section"].isdigit() else -1
    eu = listed[index] if 0 <= index < len(listed) else "GOVE" if c["directory"]["value"] == "department" else None
    if eu:
        themes.append(_ref(f"{EU}data-theme/{eu}"))
    return themes


def _contact(entry: Mapping[str, Any]) -> dict[str, Any]:
    card: dict[str, Any] = {"@type": "vcard:Kind", "vcard:fn": entry["owner"] or entry["provider_name"]}
    contact = entry["contact"].strip()
    if EMAIL.fullmatch(contact):
        card["vcard:hasEmail"] = _ref(f"mailto:{contact}")
    elif PHONE.fullmatch(contact):
        card["vcard:hasTelephone"] = _ref("tel:" + re.sub(r"[\s()]", "", contact))
    elif contact:
        card["vcard:note"] = contact
    card["vcard:organization-name"] = entry["provider_name"]
    return card


def _distribution(entry: Mapping[str, Any], landing: str, base_url: str) -> dict[str, Any]:
    fmt, mount, sharing = entry["format"], entry["mount"], entry["sharing"]
    title = " · ".join(p for p in (fmt["type"]["label"] if fmt else "", fmt["detail"] if fmt else "",
                                   mount["kind"]["label"] if mount else "") if p)
    access = f"{base_url}/api/v1/exchange/{entry['code']}/records" if sharing and sharing["mode"] and \
        sharing["mode"]["value"] == "api" else landing
    node: dict[str, Any] = {"@type": "dcat:Distribution", "dct:title": _text(title or entry["name"]),
                            "dcat:accessURL": _ref(access)}
    if mount:
        node["zs:mountKind"] = mount["kind"]["value"]
    if sharing and sharing["mode"]:
        node["zs:sharingMode"] = _text(sharing["mode"]["label"])
    detail = (fmt["detail"] if fmt else "").strip().lower().lstrip(".")
    if detail in FILE_TYPES:
        node["dct:format"] = _ref(f"{EU}file-type/{FILE_TYPES[detail]}")
    return node


def _item(item: Mapping[str, Any]) -> dict[str, Any]:
    node: dict[str, Any] = {"@type": "zs:InformationItem", "zs:name": item["name"],
                            "zs:dataType": item["data_type"]["value"], "zs:level": item["level"]["value"],
                            "zs:personalInfo": item["personal_info"]["value"],
                            "zs:isKey": {"@value": item["is_key"], "@type": "xsd:boolean"}}
    if item["length"] is not None:
        node["zs:length"] = {"@value": item["length"], "@type": "xsd:integer"}
    return node


def dataset(entry: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    """One published entry as a `dcat:Dataset` node (without @context)."""
    landing = f"{base_url}/catalog/entries/{entry['code']}"
    publisher_id = f"{base_url}/organisations/{entry['provider_code']}"
    node: dict[str, Any] = {
        "@id": landing,
        "@type": "dcat:Dataset",
        "dct:identifier": entry["code"],
        "dct:title": _text(entry["name"]),
        "dct:description": _text(entry["abstract"] or entry["name"]),
        "dct:publisher": {"@id": publisher_id, "@type": "foaf:Agent", "foaf:name": _text(entry["provider_name"]),
                          "dct:identifier": entry["provider_code"]},
        "dcat:contactPoint": _contact(entry),
        "dcat:theme": _theme(entry, base_url),
        "dcat:keyword": _keywords(entry),
        "dcat:landingPage": _ref(landing),
        "dct:language": _ref(f"{EU}language/ZHO"),
        "dct:conformsTo": {"@type": "dct:Standard", "dct:title": _text(GUIDE)},
        "owl:versionInfo": str(entry["version"]),
        "dct:modified": _typed(entry["updated_at"], "dateTime"),
        "dcat:distribution": [_distribution(entry, landing, base_url)],
        "zs:informationItem": [_item(i) for i in entry["items"]],
    }
    if entry["published_on"]:
        node["dct:issued"] = _typed(entry["published_on"], "date")
    if entry["update_cycle"]:
        node["dct:accrualPeriodicity"] = _ref(f"{EU}frequency/{FREQUENCY[entry['update_cycle']['value']]}")
    if entry["sharing"]:
        node["dct:accessRights"] = _ref(f"{EU}access-right/{ACCESS_RIGHTS[entry['sharing']['type']['value']]}")
    if entry["level"]:
        node["zs:level"] = entry["level"]["value"]
    if entry["related_codes"]:
        node["dct:relation"] = [{"dct:identifier": code} for code in entry["related_codes"]]
    return node


def _keywords(entry: Mapping[str, Any]) -> list[dict[str, str]]:
    c = entry["classification"]
    words = [c["directory"]["label"], c["section_title"], entry["provider_name"],
             *(i["name"] for i in entry["items"] if i["is_key"])]
    return [_text(w) for w in dict.fromkeys(w for w in words if w)]


def dataset_document(entry: Mapping[str, Any], base_url: str) -> dict[str, Any]:
    """One entry as a JSON-LD document of its own."""
    return {"@context": dict(CONTEXT), **dataset(entry, base_url)}


def catalog_document(entries: Sequence[Mapping[str, Any]], *, base_url: str, title: str, publisher_name: str,
                     publisher_code: str, modified: str) -> dict[str, Any]:
    """The published catalogue as one `dcat:Catalog` JSON-LD document."""
    return {
        "@context": dict(CONTEXT),
        "@id": f"{base_url}/catalog",
        "@type": "dcat:Catalog",
        "dct:title": _text(title),
        "dct:description": _text(f"{publisher_name}政务数据资源目录（已发布的资源，按{GUIDE}编目）。"),
        "dct:publisher": {"@id": f"{base_url}/organisations/{publisher_code}", "@type": "foaf:Agent",
                          "foaf:name": _text(publisher_name), "dct:identifier": publisher_code},
        "dct:language": _ref(f"{EU}language/ZHO"),
        "foaf:homepage": _ref(f"{base_url}/catalog"),
        "dct:modified": _typed(modified, "dateTime"),
        "dcat:dataset": [dataset(e, base_url) for e in entries],
    }
