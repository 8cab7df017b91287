"""The quality report through the real browser, on SQLite and PostgreSQL: 市公安局's data officer opens 数据质量
from the navigation, finds the department's resource under the ranking, sees its trend chart drawn, downloads
the load's XLSX report, has a bad rule set refused with its message, then saves the suggested one."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect

from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import UserCreate
from zhengshu.core.quality import service as quality
from zhengshu.core.quality.tests.conftest import POLICE, POLICE_OFFICER, City, city  # noqa: F401 (a fixture)
from zhengshu.kernel.actor import system_actor

PASSWORD = "Qhd-Data-2026!"


@pytest.fixture
def officer_page(city: City, browser: Browser, live_server: str) -> Iterator[Page]:  # noqa: F811
    identity.create_user(city.platform.uow(), system_actor("测试"), UserCreate(
        username="gongan.officer", display_name="公安数据官", organisation_code=POLICE, roles=["data_officer"],
        password=PASSWORD))
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("gongan.officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")
    yield page
    context.close()


def test_an_officer_reads_the_report_and_edits_the_rules(city: City, officer_page: Page) -> None:  # noqa: F811
    page = officer_page
    expect(page.get_by_text("本部门质量得分低于 80 分的资源")).to_be_visible()
    page.get_by_role("navigation", name="主导航").get_by_role("link", name="数据质量").click()
    expect(page.get_by_test_id("ranking")).to_contain_text("市公安局")
    page.get_by_test_id("lowest").get_by_role("link", name="户籍人口基本信息").click()
    expect(page.get_by_test_id("latest-load")).to_have_text("p-2")
    expect(page.locator("#quality-trend canvas")).to_have_count(1)  # ECharts drew the trend
    with page.expect_download() as caught:
        page.get_by_test_id("download").click()
    download = caught.value
    assert download.suggested_filename == f"质量报告-{city.people}-p-2.xlsx"
    book = load_workbook(io.BytesIO(download.path().read_bytes()), read_only=True)
    assert book.sheetnames == ["概要", "规则", "问题样例"]

    page.get_by_test_id("edit-rules").click()
    bad = {"rules": [{"id": "r1", "kind": "completeness", "field": "电话", "message": "电话不能为空"}]}
    page.get_by_test_id("rule-set-text").fill(json.dumps(bad, ensure_ascii=False))
    page.get_by_role("button", name="保存规则集").click()
    expect(page.get_by_test_id("error")).to_have_text("规则 r1（第 1 条）：资源没有信息项“电话”")
    assert quality.get_rule_set(city.platform.uow(), POLICE_OFFICER, city.people) is None
    page.get_by_test_id("suggest").click()
    page.get_by_role("button", name="保存规则集").click()
    expect(page.get_by_text("规则集已保存，下一次加载起生效。")).to_be_visible()
    expect(page.get_by_text("现行规则集（第 1 版）")).to_be_visible()
