"""The enterprise portrait (法人画像) in the real browser, on SQLite and PostgreSQL: a small synthetic city's
department tables are loaded and published as the demo does, the legal-entity registry is fused, and an
analyst opens the registry from the navigation, finds an enterprise with penalties, sees its risk summary and
follows a golden value and a penalty to the source rows they came from — each row shows that value — then
the legal representative to the person page and its ID number to the 户籍 row it came from."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from playwright.sync_api import Browser, expect

from zhengshu.core.calendar import service as calendar
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import UserCreate
from zhengshu.demo import fuse_registries, publish_city
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform
from zhengshu.synth.city import generate_city
from zhengshu.synth.config import CityConfig

PASSWORD = "Qhd-Data-2026!"


@pytest.fixture
def fused(platform: Platform, tmp_path: Path) -> str:
    """The city published and the registry fused; returns the credit code of an enterprise with a penalty."""
    system = system_actor("测试")
    identity.seed_city(platform.uow(), system)
    calendar.seed_calendar(platform.uow(), system)
    identity.create_user(platform.uow(), system, UserCreate(
        username="fenxi", display_name="分析员（市场监管）", organisation_code="130300002", roles=["analyst"],
        password=PASSWORD))
    city = tmp_path / "city"
    generate_city(CityConfig(persons=1500, seed=11), city)
    assert publish_city(platform, city) > 5
    runs = {run.registry: run for run in fuse_registries(platform)}  # 人口基础库 and 法人基础库
    run = runs["legal_entity"]
    assert run.counts["records"] > 50 and "市市场监管局/行政处罚" in {s.source for s in run.sources}
    assert set(runs) == {"population", "legal_entity"}
    entities = pl.read_parquet(city / "truth" / "entities.parquet")
    links = pl.read_parquet(city / "links" / "links.parquet")
    punished = links.filter(pl.col("source").str.contains("行政处罚"))["subject_id"].unique()
    registered = links.filter(pl.col("source").str.contains("企业登记"))["subject_id"].unique()
    chosen = entities.filter(pl.col("entity_id").is_in(punished.implode()),
                             pl.col("entity_id").is_in(registered.implode())).sort("entity_id")
    return chosen["credit_code"][0]


def test_an_analyst_opens_an_enterprise_portrait_and_follows_values_to_their_source_rows(
        browser: Browser, live_server: str, fused: str) -> None:
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("fenxi")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")

    page.get_by_role("link", name="法人画像").first.click()
    page.get_by_label("名称或统一社会信用代码").fill(fused)
    page.get_by_role("button", name="查找").click()
    page.get_by_test_id("entities").locator("tbody a").first.click()
    name = page.get_by_test_id("entity-name").inner_text()
    assert name
    expect(page.get_by_test_id("risks")).to_contain_text("行政处罚")
    expect(page.get_by_test_id("penalties").locator("tbody tr")).not_to_have_count(0)

    # the golden name comes from 企业登记; its source row holds that very name
    row = page.locator("[data-field=name]")
    expect(row.get_by_test_id("value")).to_have_text(name)
    expect(row).to_contain_text("权威来源")
    row.get_by_test_id("source-link").click()
    expect(page.get_by_test_id("origin")).to_contain_text("企业登记")
    expect(page.get_by_test_id("highlighted")).to_contain_text("企业名称")
    source_name = page.locator("[data-item=企业名称] td").inner_text()
    assert source_name.replace(" ", "") == name.replace(" ", "")
    code = page.locator("[data-item=统一社会信用代码] td").inner_text()
    assert code == fused

    # a penalty's decision number, followed to the penalty row
    page.go_back()
    penalty = page.get_by_test_id("penalties").locator("tbody tr").first
    number = penalty.locator("td").first.inner_text()
    penalty.get_by_test_id("source-link").click()
    expect(page.get_by_test_id("origin")).to_contain_text("行政处罚")
    expect(page.locator("[data-item=处罚决定书文号] td")).to_have_text(number)

    # the legal representative leads to the person page (人员画像): the population registry's golden record,
    # whose ID number comes from 户籍人口, and the enterprises the person represents
    page.go_back()
    representative = page.locator("[data-field=legal_rep_id]").get_by_test_id("value").inner_text()
    page.get_by_test_id("person-link").click()
    expect(page.get_by_test_id("represents")).to_contain_text(name)
    id_row = page.get_by_test_id("person-golden").locator("[data-field=id_number]")
    expect(id_row.get_by_test_id("value")).to_have_text(representative)
    id_row.get_by_test_id("source-link").click()
    expect(page.get_by_test_id("origin")).to_contain_text("户籍人口")
    expect(page.get_by_test_id("highlighted")).to_contain_text("公民身份号码")
    assert page.locator("[data-item=公民身份号码] td").inner_text().upper() == representative
