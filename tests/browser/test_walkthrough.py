"""The whole loop of issue 4 through the real browser, on SQLite and PostgreSQL: 市公安局's data officer
registers, mounts and publishes a resource; 市人社局's officer registers a system and asks for the resource;
the data authority and 市公安局's approver approve; the system reads through the exchange API with its
token; the reads show on the monitoring page, on the provider's page and to the citizen whose record was
read ("who read my data"). Only the department's loaded dataset and the accounts are set up directly."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import httpx
import polars as pl
import pytest
from playwright.sync_api import Browser, Page, expect

from zhengshu.core.calendar import service as calendar
from zhengshu.core.datasets import service as datasets
from zhengshu.core.datasets.service import DatasetStore
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import UserCreate
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.identifiers import id_check_char
from zhengshu.modules import Platform

PASSWORD = "Qhd-Data-2026!"
POLICE, RENSHE, AUTHORITY = "130300003", "130300005", "130300002"
DATASET = "gongan-hukou-2026"
ITEMS = [  # name, data type, length, level, personal information, key
    ("公民身份号码", "C", "18", "important", "sensitive", True),
    ("姓名", "C", "50", "general", "general", False),
    ("区划", "C", "6", "general", "none", False),
    ("出生日期", "D", "", "general", "general", False),
]


def id_number(i: int) -> str:
    body = f"130302198505{i % 28 + 1:02d}{i:03d}"
    return body + id_check_char(body)


def residents(n: int = 10) -> pl.DataFrame:
    return pl.DataFrame({
        "公民身份号码": [id_number(i) for i in range(n)],
        "姓名": [f"{'张李王赵'[i % 4]}建{i}" for i in range(n)],
        "区划": ["130302" if i % 2 == 0 else "130303" for i in range(n)],
        "出生日期": [date(1985, 5, i % 28 + 1).isoformat() for i in range(n)],
    })


@pytest.fixture
def city(platform: Platform) -> Platform:
    system = system_actor("测试")
    identity.seed_city(platform.uow(), system)
    calendar.seed_calendar(platform.uow(), system)
    for username, name, department, role in [
        ("liwei", "李伟（数据主管部门）", AUTHORITY, "platform_admin"),
        ("gongan.officer", "公安数据官", POLICE, "data_officer"),
        ("gongan.approver", "公安审核人", POLICE, "approver"),
        ("renshe.officer", "人社数据官", RENSHE, "data_officer"),
    ]:
        identity.create_user(platform.uow(), system, UserCreate(
            username=username, display_name=name, organisation_code=department, roles=[role], password=PASSWORD))
    store = DatasetStore.for_data_dir(platform.settings.data_dir)
    datasets.create_dataset(platform.uow(), system, DATASET, "常住人口户籍（公安）", POLICE)
    datasets.write_version(platform.uow(), system, store, DATASET, residents(), publish=True)
    return platform


@pytest.fixture
def sign_in(browser: Browser, live_server: str) -> Iterator:
    pages: list[Page] = []

    def open_as(username: str) -> Page:
        page = browser.new_context(locale="zh-CN").new_page()
        pages.append(page)
        page.goto(f"{live_server}/login")
        page.get_by_label("用户名").fill(username)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")
        return page

    yield open_as
    for page in pages:
        page.context.close()


def register_and_publish(page: Page, live_server: str) -> str:
    page.goto(f"{live_server}/catalog/register?rows={len(ITEMS)}")
    page.select_option("#directory", "base")
    page.get_by_label("项（2 位数字）").fill("01")
    page.get_by_label("目（3 位数字）").fill("001")
    page.get_by_label("信息资源名称").fill("常住人口户籍信息")
    page.select_option("#format_type", "database")
    page.get_by_label("具体格式").fill("PostgreSQL")
    page.get_by_label("数据责任人（数据官）").fill("王数据")
    page.get_by_label("联系方式").fill("0335-3000000")
    page.select_option("#update_cycle", "daily")
    page.get_by_label("信息资源摘要").fill("本市常住人口的身份与户籍登记信息。")
    page.select_option("#sharing_type", "conditional")
    page.select_option("#sharing_mode", "api")
    page.select_option("#opening_type", "none")
    page.get_by_label("共享条件（有条件共享必填）").fill("用于政务服务中的身份核验与待遇认证")
    page.locator("#sharing_legal_basis").fill("《中华人民共和国居民身份证法》")
    for n, (name, data_type, length, level, personal, key) in enumerate(ITEMS):
        page.locator(f"[name=item-{n}-name]").fill(name)
        page.locator(f"[name=item-{n}-data_type]").select_option(data_type)
        page.locator(f"[name=item-{n}-length]").fill(length)
        page.locator(f"[name=item-{n}-level]").select_option(level)
        page.locator(f"[name=item-{n}-personal_info]").select_option(personal)
        if key:
            page.locator(f"[name=item-{n}-is_key]").check()
    page.get_by_role("button", name="注册").click()
    expect(page).to_have_url(re.compile(r"/catalog/entries/[0-9]+-[0-9]+$"))
    code = page.url.rsplit("/", 1)[1]

    page.select_option("#kind", "dataset")
    page.get_by_label("数据集代码、基础库代码或接口地址").fill(DATASET)
    page.locator("#columns").fill("\n".join(i[0] for i in ITEMS))
    page.get_by_role("button", name="挂接").click()
    expect(page.get_by_test_id("lifecycle").locator("li.current")).to_have_text("挂接")
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("lifecycle").locator("li.current")).to_have_text("发布")
    return code


def test_register_mount_publish_request_approve_read_monitor_and_who_read_my_data(
        city: Platform, live_server: str, sign_in, tmp_path: Path) -> None:
    police = sign_in("gongan.officer")
    code = register_and_publish(police, live_server)

    renshe = sign_in("renshe.officer")
    renshe.goto(f"{live_server}/identity/clients")
    renshe.get_by_label("系统名称").fill("社保待遇资格认证系统")
    renshe.get_by_role("button", name="注册").click()
    client_key = renshe.get_by_test_id("client-key").inner_text().strip()
    client_secret = renshe.get_by_test_id("client-secret").inner_text().strip()

    renshe.goto(f"{live_server}/sharing/requests/new?resource_code={code}")
    renshe.select_option("#client_key", client_key)
    for field in ("公民身份号码", "姓名", "区划"):
        renshe.get_by_label(field, exact=True).check()
    renshe.get_by_label("用途").fill("社保待遇资格认证")
    renshe.get_by_label("申请依据（法律法规、履职依据）").fill("《中华人民共和国社会保险法》")
    renshe.get_by_label("使用期限截止日").fill((date.today() + timedelta(days=180)).isoformat())
    renshe.get_by_role("button", name="提交申请").click()
    expect(renshe.get_by_test_id("status")).to_have_text("待符合性审查")
    request_url = renshe.url

    authority = sign_in("liwei")
    authority.goto(request_url)
    authority.get_by_test_id("compliance-form").get_by_role("button", name="通过", exact=True).click()
    expect(authority.get_by_test_id("status")).to_have_text("待提供方审核")

    approver = sign_in("gongan.approver")
    approver.goto(request_url)
    approver.get_by_role("button", name="同意共享").click()
    expect(approver.get_by_test_id("status")).to_have_text("已授权")
    expect(approver.get_by_test_id("grant")).to_be_visible()

    with httpx.Client(base_url=live_server, timeout=10) as api:
        token = api.post("/api/v1/identity/token", json={"client_key": client_key, "client_secret": client_secret})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}", "X-End-User": "wang.keyuan"}
        page = api.get(f"/api/v1/exchange/{code}/records", headers=headers, params={"区划": "130302"})
        assert page.status_code == 200, page.text
        rows = page.json()["rows"]
        assert len(rows) == 5 and rows[0]["公民身份号码"] == id_number(0)[:6] + "*" * 8 + id_number(0)[-4:]
        assert rows[0]["姓名"] == "张**" and "出生日期" not in rows[0]
        refused = api.get(f"/api/v1/exchange/{code}/records", headers=headers, params={"姓名[prefix]": "张"})
        assert refused.status_code == 400 and refused.json()["error"]["details"]["reason"] == "masked_field_filter"

    authority.goto(f"{live_server}/exchange/monitor")
    expect(authority.get_by_test_id("total-calls")).to_have_text("2")
    expect(authority.get_by_test_id("total-rows")).to_have_text("5")
    expect(authority.get_by_test_id("total-denied")).to_have_text("1")
    authority.screenshot(path=str(tmp_path / "monitor.png"), full_page=True)

    police.goto(f"{live_server}/exchange/consumers")
    consumers = police.get_by_test_id("consumers")
    expect(consumers).to_contain_text("市人社局")
    expect(consumers).to_contain_text("社保待遇资格认证")

    citizen = police.context.browser.new_context(locale="zh-CN").new_page()
    citizen.goto(f"{live_server}/my/reads")
    expect(citizen).to_have_url(f"{live_server}/my/login")
    citizen.get_by_label("公民身份号码").fill(id_number(4))
    citizen.get_by_role("button", name="登录").click()
    reads = citizen.get_by_test_id("my-reads")
    expect(reads.locator("tbody tr")).to_have_count(1)
    expect(reads).to_contain_text("市人社局")
    expect(reads).to_contain_text("常住人口户籍信息")
    expect(reads).to_contain_text("社保待遇资格认证")
    citizen.screenshot(path=str(tmp_path / "who-read-my-data.png"), full_page=True)
    citizen.get_by_role("button", name="退出").click()
    expect(citizen).to_have_url(f"{live_server}/my/login")

    elsewhere = citizen.context.browser.new_context(locale="zh-CN").new_page()  # 山海关区: never read
    elsewhere.goto(f"{live_server}/my/login")
    elsewhere.get_by_label("公民身份号码").fill(id_number(5))
    elsewhere.get_by_role("button", name="登录").click()
    expect(elsewhere.get_by_test_id("my-reads")).to_contain_text("还没有部门")
    citizen.context.close()
    elsewhere.context.close()
