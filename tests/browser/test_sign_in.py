"""A person signs in through the real browser and sees the dashboard; a wrong password is refused."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, expect

from zhengshu.core.identity import service
from zhengshu.core.identity.schemas import UserCreate
from zhengshu.kernel.actor import system_actor
from zhengshu.modules import Platform

PASSWORD = "Qhd-Data-2026!"


def _admin(platform: Platform) -> None:
    actor = system_actor("test")
    service.seed_city(platform.uow(), actor)
    service.create_user(platform.uow(), actor, UserCreate(
        username="liwei", display_name="李伟", organisation_code="130300002", roles=["platform_admin"],
        password=PASSWORD,
    ))


def test_sign_in_shows_the_dashboard(platform: Platform, live_server: str, browser: Browser,
                                     tmp_path: Path) -> None:
    _admin(platform)
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server}/")
    expect(page).to_have_url(f"{live_server}/login?next=/")
    page.get_by_label("用户名").fill("liwei")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("工作台")
    expect(page.get_by_test_id("current-user")).to_have_text("李伟")
    expect(page.get_by_role("navigation", name="主导航").get_by_role("link", name="审计日志")).to_be_visible()
    page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
    page.get_by_role("button", name="退出").click()
    expect(page).to_have_url(f"{live_server}/login")
    page.close()


def test_wrong_password_is_refused_in_chinese(platform: Platform, live_server: str, browser: Browser) -> None:
    _admin(platform)
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server}/login")
    page.get_by_label("用户名").fill("liwei")
    page.get_by_label("密码").fill("not-the-password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_role("alert")).to_have_text("用户名或密码错误。")
    expect(page.get_by_test_id("dashboard-title")).to_have_count(0)
    page.close()
