"""The public open-data portal through the real browser, on SQLite and PostgreSQL: a citizen searches, opens a
dataset, sees its chart and preview (filters and sorts it), downloads the CSV; a developer signs up on the
portal and calls the open API with the key. The dataset is opened through the workflow (proposal, privacy gate,
approval) by the services; only the department's published data is set up directly."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, expect

from zhengshu.core.opendata import service
from zhengshu.core.opendata.tests.conftest import OpenCity, make_city, open_air
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform


@pytest.fixture
def opened(platform: Platform) -> OpenCity:
    city = make_city(platform, days=20)
    open_air(city)
    return city


def test_search_dataset_chart_preview_download_and_api_key(opened: OpenCity, browser: Browser,
                                                           live_server: str) -> None:
    page = browser.new_context(locale="zh-CN", accept_downloads=True,
                               viewport={"width": 390, "height": 844}).new_page()  # a phone
    page.goto(f"{live_server}/open")
    expect(page.get_by_role("link", name="公共数据开放平台")).to_be_visible()
    page.get_by_label("搜索开放数据").fill("空气")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("#total")).to_have_text("1")
    page.get_by_role("link", name="空气质量日报（按站点）").click()
    expect(page.locator("h1")).to_have_text("空气质量日报（按站点）")

    expect(page.locator(".chart[data-kind=line]")).to_have_attribute("data-rendered", "true")
    expect(page.locator(".chart[data-kind=bar]")).to_have_attribute("data-rendered", "true")
    assert page.locator(".chart[data-kind=line] canvas").count() >= 1
    rows = page.locator("#preview tbody tr")
    expect(rows).to_have_count(20)
    expect(page.locator("#preview-status")).to_have_text("共 60 条")
    page.get_by_label("筛选字段").select_option("站点")
    page.get_by_label("筛选值").fill("监测站乙")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("#preview-status")).to_have_text("共 20 条")
    page.locator("#preview th", has_text="AQI").click()  # ascending
    page.locator("#preview th", has_text="AQI").click()  # descending
    expect(rows.first.locator("td").nth(3)).to_have_text(
        str(max(40 + (i * 7 + 13) % 90 for i in range(20))))

    with page.expect_download() as caught:
        page.locator("#download-csv").click()
    download = caught.value
    assert download.suggested_filename == "air-quality-daily-v1.csv"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data.decode("utf-8-sig").splitlines()[0] == "站点,区划,日期,AQI,PM25"
    assert len(data.decode("utf-8-sig").splitlines()) == 61

    page.goto(f"{live_server}/open/developers")
    page.get_by_label("姓名或团队").fill("数据爱好者")
    page.get_by_label("电子邮箱").fill("fan@example.cn")
    page.get_by_role("button", name="注册并获取密钥").click()
    expect(page.locator("#key")).to_be_visible()
    key = page.locator("#key").inner_text().strip()
    answer = httpx.get(f"{live_server}/api/v1/open/datasets/air-quality-daily/records",
                       params={"区划": "130304", "limit": "5"}, headers={"X-API-Key": key})
    assert answer.status_code == 200, answer.text
    assert [r["站点"] for r in answer.json()["rows"]] == ["监测站丙"] * 5
    stats = service.usage_statistics(opened.platform.uow(), system_actor("测试"))
    assert stats.by_developer[0]["developer"] == "数据爱好者" and stats.downloads == 1
