"""The open API and the portal's pages through the real application: clear errors for bad input and abuse,
nothing leaked; a developer's key lifts the rate limit; the staff's statistics page."""

from __future__ import annotations

import pytest
from conftest import csrf, page, web_as

from zhengshu.core.opendata.tests.conftest import AUTHORITY, ECO, air, officer, open_air


@pytest.fixture
def settings_overrides() -> dict:
    return {"opendata_anonymous_per_minute": 10, "opendata_developer_per_minute": 50}


def test_records_filters_pages_and_errors(city) -> None:
    open_air(city)
    with web_as(city.platform, None) as (http, _):
        found = http.get("/api/v1/open/datasets/air-quality-daily/records",
                         params={"区划": "130302", "AQI[ge]": "60", "sort": "-日期", "limit": "3", "count": "true"})
        assert found.status_code == 200, found.text
        body = found.json()
        assert body["total"] == sum(1 for r in range(10) if 40 + (r * 7) % 90 >= 60)
        assert len(body["rows"]) == 3 and all(r["AQI"] >= 60 for r in body["rows"])
        for params, field in (({"limit": "100000"}, "limit"), ({"limit": "abc"}, "limit"),
                              ({"AQI[gt]": "不是数"}, None), ({"身份证号": "1"}, "身份证号"),
                              ({"after": "garbage!"}, None), ({"AQI[like]": "1"}, None), ({"sort": "-nope"}, "nope")):
            bad = http.get("/api/v1/open/datasets/air-quality-daily/records", params=params)
            assert bad.status_code == 400, (params, bad.text)
            error = bad.json()["error"]
            assert "Traceback" not in bad.text and error["message"]
            if field:
                assert error["field"] == field
        missing = http.get("/api/v1/open/datasets/residents/records")
        assert missing.status_code == 404 and "residents" in missing.json()["error"]["message"]


def test_anonymous_callers_are_rate_limited_developers_get_more(city) -> None:
    open_air(city)
    with web_as(city.platform, None) as (http, _):
        url = "/api/v1/open/datasets/air-quality-daily/records"
        codes = [http.get(url).status_code for _ in range(11)]
        assert codes == [200] * 10 + [429]
        limited = http.get(url).json()["error"]
        assert limited["code"] == "quota_exceeded" and limited["details"]["retry_after"] > 0
        signed = http.post("/api/v1/open/developers", json={"name": "数据爱好者", "email": "fan@example.cn"})
        assert signed.status_code == 201, signed.text
        key = signed.json()["key"]
        with_key = [http.get(url, headers={"X-API-Key": key}).status_code for _ in range(8)]
        assert with_key == [200] * 8
        assert http.get(url, headers={"X-API-Key": "nope.nope"}).status_code == 401
    with web_as(city.platform, AUTHORITY) as (http, _):
        stats = http.get("/api/v1/open/statistics").json()
        assert stats["api_calls"] == 18
        assert stats["by_developer"] == [{"developer": "数据爱好者", "organisation": "", "api_calls": 8}]
        html = page(http.get("/opendata/statistics"))
        assert "空气质量日报（按站点）" in html and "数据爱好者" in html


def test_download_is_streamed_as_csv_with_bom(city) -> None:
    open_air(city)
    with web_as(city.platform, None) as (http, _):
        with http.stream("GET", "/api/v1/open/datasets/air-quality-daily/download", params={"format": "csv"}) as r:
            assert r.status_code == 200
            assert "air-quality-daily-v1.csv" in r.headers["content-disposition"]
            data = b"".join(r.iter_bytes())
        assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").count("\n") == 31
        assert http.get("/api/v1/open/datasets/air-quality-daily/download",
                        params={"format": "exe"}).status_code == 422


def test_withdrawn_dataset_says_so_and_shows_nothing(city) -> None:
    open_air(city)
    with web_as(city.platform, AUTHORITY) as (http, _):
        done = http.post("/api/v1/open/proposals/air-quality-daily/withdrawal", json={"reason": "数据核查"})
        assert done.status_code == 200 and done.json()["opening"]["status"]["value"] == "withdrawn"
    with web_as(city.platform, None) as (http, _):
        for url in ("/api/v1/open/datasets/air-quality-daily", "/api/v1/open/datasets/air-quality-daily/records",
                    "/api/v1/open/datasets/air-quality-daily/download"):
            gone = http.get(url)
            assert gone.status_code == 404 and "已撤回" in gone.json()["error"]["message"]
            assert "监测站" not in gone.text
        assert page(http.get("/open/datasets/air-quality-daily"), 404)
        assert "air-quality-daily" not in http.get("/open/sitemap.xml").text


def test_portal_pages_without_sign_in(city) -> None:
    open_air(city)
    with web_as(city.platform, None) as (http, _):
        home = page(http.get("/open"))
        assert "公共数据开放平台" in home and "空气质量日报（按站点）" in home and "生态环境" in home
        found = page(http.get("/open/datasets", params={"q": "空气", "theme": "environment"}))
        assert 'id="total">1<' in found
        shown = page(http.get("/open/datasets/air-quality-daily"))
        assert "download?format=csv" in shown and "/records?limit=10" in shown and "知识共享署名 4.0" in shown
        assert 'id="charts"' in shown
        line, bar = http.get("/api/v1/open/datasets/air-quality-daily/charts").json()
        assert line["kind"] == "line" and len(line["x"]) == 10 and line["title"] == "AQI（均值）"
        assert bar["x"] == ["130302", "130303", "130304"] and sum(bar["y"]) == sum(air()["AQI"])
        document = http.get("/api/v1/open/datasets/air-quality-daily/dcat").json()
        assert document["dcat:landingPage"]["@id"].endswith("/open/datasets/air-quality-daily")
        assert "/open/datasets/air-quality-daily" in http.get("/open/sitemap.xml").text
        assert page(http.get("/open/developers"))


def test_the_workflow_through_the_api(city) -> None:
    with web_as(city.platform, officer(ECO)) as (http, who):
        proposed = http.post("/api/v1/open/proposals", json={
            "entry_code": city.air_entry, "code": "air-by-district", "title": "空气质量按区划统计",
            "theme": "environment", "view": {"group_by": ["区划", "日期"], "generalise": {"日期": "month"},
                                             "measures": [{"op": "avg", "column": "AQI"}]}})
        assert proposed.status_code == 201, proposed.text
        assert http.post("/api/v1/open/proposals/air-by-district/decision",
                         json={"approve": True}).status_code == 404  # an officer cannot approve
        who["actor"] = AUTHORITY
        approved = http.post("/api/v1/open/proposals/air-by-district/decision", json={"approve": True})
        assert approved.status_code == 200, approved.text
        who["actor"] = None
        rows = http.get("/api/v1/open/datasets/air-by-district/records").json()["rows"]
        assert [r["区划"] for r in rows] == ["130302", "130303", "130304"]
        assert all(r["记录数"] == 10 and r["日期（月）"] == "2026-10" for r in rows)


def test_proposing_an_entry_that_is_not_there_or_not_yours_answers_alike(city) -> None:
    """A proposal once answered "目录资源不存在或未发布：X" for an entry that is not there and "not found" for
    another department's: now both are the one answer, through the API and the page."""
    proposal = {"code": "air-copy", "title": "空气质量", "theme": "environment"}
    with web_as(city.platform, officer("130300005")) as (http, _):
        theirs, missing = (http.post("/api/v1/open/proposals", json={**proposal, "entry_code": code})
                           for code in (city.air_entry, "101001-9999"))
        assert theirs.status_code == missing.status_code == 404
        assert theirs.json() == missing.json() == {"error": {
            "code": "not_found", "message": "未找到，或您无权访问。", "field": None, "details": {}}}
        token = csrf(page(http.get("/opendata")))
        answers = [http.post("/opendata/proposals", data={**proposal, "entry_code": code, "csrf_token": token})
                   for code in (city.air_entry, "101001-9999")]
        assert "未找到，或您无权访问" in page(answers[0], 404)
        assert answers[0].text == answers[1].text
