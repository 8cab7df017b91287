"""Issue 5's walk in the real browser, on SQLite and PostgreSQL: 市公安局's data officer opens a registered
resource, uploads a messy GBK CSV, and sees the load's result — rows loaded and rejected, the version
published — and its quality report; the rejected rows download with their reasons."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import Browser, expect

from zhengshu.core.calendar import service as calendar
from zhengshu.core.catalog import service as catalog
from zhengshu.core.catalog.schemas import EntryCreate
from zhengshu.core.identity import service as identity
from zhengshu.core.identity.schemas import UserCreate
from zhengshu.kernel.actor import system_actor
from zhengshu.kernel.identifiers import id_check_char
from zhengshu.modules import Platform

PASSWORD = "Qhd-Data-2026!"
POLICE = "130300003"


def id_number(i: int) -> str:
    body = f"1303021979{(i % 9) + 1:02d}{(i % 28) + 1:02d}{i:03d}"
    return body + id_check_char(body)


def test_upload_a_messy_gbk_file_and_read_its_quality_report(platform: Platform, live_server: str,
                                                             browser: Browser, tmp_path: Path) -> None:
    system = system_actor("测试")
    identity.seed_city(platform.uow(), system)
    calendar.seed_calendar(platform.uow(), system)
    identity.create_user(platform.uow(), system, UserCreate(username="gongan.officer", display_name="公安数据官",
                                                             organisation_code=POLICE, roles=["data_officer"],
                                                             password=PASSWORD))
    code = catalog.register_entry(platform.uow(), system, EntryCreate(**{
        "classification": {"directory": "base", "section": "01", "heading": "001"}, "provider_code": POLICE,
        "name": "户籍人口", "abstract": "户籍人口基本信息。", "format": {"type": "database", "detail": "Parquet"},
        "items": [{"name": "公民身份号码", "data_type": "C", "length": 18, "level": "important",
                   "personal_info": "sensitive", "is_key": True},
                  {"name": "姓名", "data_type": "C", "length": 50, "personal_info": "general"},
                  {"name": "出生日期", "data_type": "D", "personal_info": "general"}],
        "sharing": {"type": "conditional", "condition": "政务服务", "legal_basis": "《居民身份证法》", "mode": "api"},
        "opening": {"type": "none"}, "update_cycle": "daily", "owner": "王数据", "contact": "0335-3000000",
    })).entry.code
    rows = [f"{id_number(i)},{'張' if i % 3 == 0 else '李'}{i}号,1979年{(i % 9) + 1}月{(i % 28) + 1}日"
            for i in range(12)]
    rows[4] = f"{id_number(4)[:-1]}{'0' if id_number(4)[-1] != '0' else '1'},王四,1979-05-05"  # bad check digit
    rows[7] = f"{id_number(7)},赵七"  # a field short
    source = tmp_path / "户籍人口（导出）.csv"
    source.write_bytes(("\r\n".join(["身份证号,姓名,出生日期", *rows]) + "\r\n").encode("gbk"))

    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("gongan.officer")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto(f"{live_server}/catalog/entries/{code}")
    page.get_by_test_id("ingest-link").click()
    page.get_by_label("数据文件").set_input_files(str(source))
    page.get_by_role("button", name="上传并加载").click()
    expect(page.get_by_test_id("load-status")).to_have_text("已加载")
    expect(page.get_by_test_id("rows-read")).to_have_text("12")
    expect(page.get_by_test_id("rows-loaded")).to_have_text("10")
    expect(page.get_by_test_id("rows-rejected")).to_have_text("2")
    expect(page.get_by_test_id("version")).to_have_text("1")
    report = page.get_by_test_id("quality-report")
    expect(report).to_contain_text("GB 11643")
    expect(report).to_contain_text("规范性")
    page.screenshot(path=str(tmp_path / "load.png"), full_page=True)

    link = page.get_by_test_id("rejected-download").get_attribute("href")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    csv = httpx.get(f"{live_server}{link}", cookies=cookies).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("行号,问题,") and len(csv.splitlines()) == 3
    assert "GB 11643" in csv and id_number(4)[:17] in csv

    page.goto(f"{live_server}/catalog/entries/{code}")
    expect(page.get_by_test_id("lifecycle").locator("li.current")).to_have_text("挂接")  # mounted by the load
    page.context.close()
